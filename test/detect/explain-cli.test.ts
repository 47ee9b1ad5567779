import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPLAIN_DEPS, runExplain } from '../../local/cli/explain.js';
import { loadAllowlist } from '../../lambda/detect/index.js';

const root = resolve(import.meta.dirname, '../..');
const input = readFileSync(resolve(root, 'test/fixtures/detect/explain-input.jsonl'), 'utf8');

async function explain(args: string[], stdin = '', deps = DEFAULT_EXPLAIN_DEPS): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runExplain(args, { stdin: Readable.from([stdin]), write: (t) => void (out += t), error: (t) => void (err += t) }, deps);
  return { code, out, err };
}

describe('hunt explain (JSONL on stdin)', () => {
  it('answers every input line in order, with errors for the bad ones', async () => {
    const { code, out } = await explain([], input);
    expect(code).toBe(0);
    const answers = out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(answers).toHaveLength(7);
    expect(answers[0]).toMatchObject({
      event_id: 'r1', remoteExec: true, targets: ['fs01', 'localhost'], remoteTargets: ['fs01'], remoteCommand: 'cmd /c whoami',
      riskScore: 100, severity: 'critical', suppressed: null, lineUser: 'CORP\\adm', credentialsOnLine: true,
    });
    expect((answers[0]!['reasons'] as { code: string }[]).map((r) => r.code)).toEqual(['payload.cmd-chain', 'payload.discovery-only', 'parent.office', 'credentials.on-line']);
    expect(answers[1]).toEqual({ event_id: 'r2', line: 2, error: 'line 2: not valid JSON' });
    expect(answers[2]).toEqual({ event_id: null, line: 3, error: 'line 3: expected a JSON object (one xdr_data row)' });
    expect(answers[3]).toEqual({ event_id: 'r4', line: 4, error: 'line 4: action_process_image_command_line is missing or not a non-empty string' });
    expect(answers[4]).toMatchObject({ line: 5, error: 'line 5: empty line' });
    expect(answers[5]).toMatchObject({ event_id: 'r6', remoteExec: false, riskScore: null, severity: null, reasons: [] });
    expect(answers[6]).toMatchObject({ event_id: 'r7', remoteExec: true, targets: ['10.0.0.5'], record: 'parent-shell', via: ['cmd'] });
    expect(out).not.toContain('Hunter2');
  });

  it('answers a 1 MB hostile line and the line after it', async () => {
    const huge = JSON.stringify({ event_id: 'big', action_process_image_name: 'wmic.exe', action_process_image_command_line: `wmic /node:FS01 process call create "${'\u0000\u202e"'.repeat(350_000)}` });
    const next = JSON.stringify({ event_id: 'after', action_process_image_name: 'wmic.exe', action_process_image_command_line: 'wmic /node:FS02 process call create x' });
    const { out } = await explain([], `${huge}\n${next}\n`);
    const answers = out.trimEnd().split('\n').map((l) => JSON.parse(l) as { event_id: string; remoteExec: boolean });
    expect(answers.map((a) => [a.event_id, a.remoteExec])).toEqual([['big', true], ['after', true]]);
  });

  it('marks a row suppressed when every remote target is allowlisted', async () => {
    const allowlist = loadAllowlist({ schemaVersion: 1, entries: [{ id: 'fs01-push', owner: 'ops', reason: 'push', expires: '2099-01-01', targetHost: 'fs01' }] });
    const { out } = await explain([], input.split('\n')[0]!, { ...DEFAULT_EXPLAIN_DEPS, allowlist });
    expect(JSON.parse(out)).toMatchObject({ suppressed: { entryId: 'fs01-push' }, suppressedTargets: [{ target: 'fs01', entryId: 'fs01-push' }] });
  });
});

describe('hunt explain <command line>', () => {
  it('prints a readable report', async () => {
    const { code, out } = await explain(['wmic /node:FS01 /user:adm /password:"Hunter2-Secret" process call create "powershell -enc AAAA"']);
    expect(code).toBe(0);
    expect(out).toContain('REMOTE PROCESS CREATION');
    expect(out).toContain('remote       : fs01');
    expect(out).toContain('command      : powershell -enc AAAA');
    expect(out).toMatch(/\+10 {2}payload\.encoded/);
    expect(out).not.toContain('Hunter2');
  });

  it('uses --host to decide what is local', async () => {
    const { out } = await explain(['--host', 'FS01', 'wmic /node:fs01.corp.example process call create x']);
    expect(out).toContain('every /node target is the local machine');
    expect((await explain(['--host'])).code).toBe(2);
  });
});

describe('npm run --silent hunt', () => {
  it('writes only JSON lines to stdout for explain', () => {
    const run = spawnSync('npm', ['run', '--silent', 'hunt', '--', 'explain'], { cwd: root, input, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
  });

  it('refuses an unknown command on stderr, leaving stdout empty', () => {
    const run = spawnSync(resolve(root, 'node_modules/.bin/tsx'), ['local/cli.ts', 'no-such-command'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('no-such-command');
    expect(run.stdout).toBe('');
  });
});
