import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runLocalHunt, type RunIo } from '../../local/cli/run.js';
import { UsageError } from '../../local/cli/run-options.js';
import { SAMPLE_DAY_INTRUSION, SAMPLE_DAY_PASSWORD } from '../../local/sample-day/index.js';

const root = resolve(import.meta.dirname, '../..');

function capture(env: Record<string, string | undefined> = {}): RunIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    write: (t) => { out += t; }, error: (t) => { err += t; }, env, now: Date.now,
    out: () => out, err: () => err,
  };
}

describe('npm run hunt (embedded default)', () => {
  it('notifies the intrusion pairs once, and a second run reports them as repeats', async () => {
    const state = mkdtempSync(join(tmpdir(), 'hunt-state-'));
    const first = capture();
    expect(await runLocalHunt(['--state', state, '--output', 'json'], first)).toBe(0);
    const run1 = JSON.parse(first.out()) as { newPairs: number; notified: number; notifications: { source: string; target: string; severity: string; riskScore: number; remoteCommand: string; count: number }[] };
    const notified = run1.notifications.map((n) => `${n.source.toLowerCase()}→${n.target}`);
    for (const pair of SAMPLE_DAY_INTRUSION.pairs) expect(notified).toContain(`${pair.source.toLowerCase()}→${pair.target}`);
    expect(run1.notified).toBe(run1.notifications.length);
    for (const n of run1.notifications) {
      expect(['high', 'critical']).toContain(n.severity);
      expect(n.count).toBeGreaterThan(0);
    }
    expect(first.out()).not.toContain(SAMPLE_DAY_PASSWORD);

    const second = capture();
    expect(await runLocalHunt(['--state', state, '--output', 'json'], second)).toBe(0);
    const run2 = JSON.parse(second.out()) as { newPairs: number; repeats: number; recovered: number; notified: number; notifications: unknown[] };
    expect(run2).toMatchObject({ newPairs: 0, notified: 0, recovered: 0, notifications: [] });
    expect(run2.repeats).toBe(run1.notified);
  });

  it('prints notifications as an analyst reads them, then the summary, without the stolen password', async () => {
    const io = capture();
    await runLocalHunt(['--state', mkdtempSync(join(tmpdir(), 'hunt-state-')), '--details'], io);
    expect(io.out()).toMatch(/"WS-FIN-023" -> "fs01"/);
    expect(io.out()).toContain('RESPONSE ACTIONS');
    expect(io.out()).toContain('── Run summary');
    expect(io.out()).not.toContain(SAMPLE_DAY_PASSWORD);
  });

  it('hunts a JSONL file of events and reports its bad lines without dropping the good ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-events-'));
    const t = Date.UTC(2026, 0, 5, 10);
    const row = (id: string, line: string) => JSON.stringify({
      _time: t, event_id: id, agent_hostname: 'WS-01', agent_os_type: 'AGENT_OS_WINDOWS', event_type: 'PROCESS', event_sub_type: 'PROCESS_START',
      action_process_image_name: 'wmic.exe', action_process_image_command_line: line, actor_process_image_name: 'powershell.exe',
    });
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, [row('e1', 'wmic /node:"db01" process call create "powershell -enc AAAA"'), '{broken', row('e2', 'wmic /node:. process call create calc.exe')].join('\n'));
    const io = capture();
    expect(await runLocalHunt(['--events', file, '--state', join(dir, 'state'), '--output', 'json'], io)).toBe(0);
    const out = JSON.parse(io.out()) as { rows: number; notifications: { target: string }[] };
    expect(out.rows).toBe(2);
    expect(out.notifications.map((n) => n.target)).toEqual(['db01']);
    expect(io.err()).toMatch(/events\.jsonl:2: skipped: not valid JSON/);
  });

  it('rejects bad options with a usage error naming the option', async () => {
    await expect(runLocalHunt(['--output', 'xml'], capture())).rejects.toThrow(new UsageError('--output must be text or json (got "xml")'));
    await expect(runLocalHunt(['--from', 'yesterday'], capture())).rejects.toThrow(/--from must be an ISO 8601 time/);
  });

  it('names the bad variable when a real tenant is configured wrongly, without echoing the key', async () => {
    const io = capture({ XSIAM_TENANT: 'acme.xdr.us.paloaltonetworks.com', XSIAM_API_KEY: 'CANARY-secret value' });
    const err = (await runLocalHunt([], io).catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('XSIAM_API_KEY_ID is missing');
    expect(err.message).toContain('XSIAM_API_KEY contains whitespace');
    expect(err.message).not.toContain('CANARY');
  });
});

describe('npm run hunt as a command', () => {
  it('writes exactly one JSON document to stdout with --output json', async () => {
    const state = mkdtempSync(join(tmpdir(), 'hunt-state-'));
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'local/cli.ts', '--state', state, '--output', 'json'], { cwd: root });
    const doc = JSON.parse(stdout) as { status: string; notifications: unknown[] };
    expect(doc.status).toBe('completed');
    expect(doc.notifications.length).toBeGreaterThan(0);
  }, 60_000);
});
