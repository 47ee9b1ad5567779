/**
 * `npm run hunt -- xql`: a notification's drill-down XQL, replayed with the local engine over the
 * events the hunt ran on, finds the notification's own events; parse errors name line and column.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runLocalHunt, type RunIo } from '../../local/cli/run.js';
import { runXqlCommand, type XqlIo } from '../../local/cli/xql.js';
import { sampleDay } from '../../local/sample-day/index.js';

const root = resolve(import.meta.dirname, '../..');

interface NotificationJson {
  readonly source: string;
  readonly target: string;
  readonly drillDownXql: string;
  readonly eventIds: string[];
}

function runIo(): RunIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { write: (t) => { out += t; }, error: (t) => { err += t; }, env: {}, now: Date.now, out: () => out, err: () => err };
}

/** Runs `xql` in process with captured streams; returns the exit code, result rows and stderr. */
async function xql(events: string, query: string): Promise<{ code: number; rows: Record<string, unknown>[]; err: string }> {
  let out = '';
  let err = '';
  const io: XqlIo = { write: (t) => { out += t; }, error: (t) => { err += t; }, now: Date.now };
  const code = await runXqlCommand(['--events', events, '--query', query], io);
  const rows = out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, rows, err };
}

async function hunt(args: string[]): Promise<NotificationJson[]> {
  const io = runIo();
  expect(await runLocalHunt([...args, '--output', 'json'], io)).toBe(0);
  return (JSON.parse(io.out()) as { notifications: NotificationJson[] }).notifications;
}

function jsonl(dir: string, rows: readonly object[]): string {
  const file = join(dir, 'events.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  return file;
}

describe('drill-down XQL replayed with npm run hunt -- xql', () => {
  for (const variant of ['seed', 'broadened']) {
    it(`finds every notification's own events on the sample day (${variant} variant)`, async () => {
      const state = mkdtempSync(join(tmpdir(), 'hunt-xql-'));
      const notifications = await hunt(['--state', state, '--variant', variant]);
      // The same rows the embedded XSIAM served: the sample day at the anchor the run saved.
      const { anchor } = JSON.parse(readFileSync(join(state, 'sample-day.json'), 'utf8')) as { anchor: number };
      const events = jsonl(state, sampleDay(anchor));

      expect(notifications.length).toBeGreaterThan(5);
      for (const n of notifications) {
        expect(n.eventIds.length, `${n.source} -> ${n.target}`).toBeGreaterThan(0);
        expect(n.drillDownXql.match(/^config /gm), 'one config stage').toHaveLength(1);
        expect(n.drillDownXql).not.toMatch(/"\d{4}-\d\d-\d\dT/);
        const { code, rows } = await xql(events, n.drillDownXql);
        expect(code).toBe(0);
        const found = rows.map((r) => r['event_id']);
        for (const id of n.eventIds) expect(found, `${n.source} -> ${n.target}: ${id}`).toContain(id);
      }
    }, 120_000);
  }

  it('matches a quoted target as the raw line writes it, and a renamed wmic by the image it ran as', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-xql-'));
    const t = Date.UTC(2026, 10, 28, 10);
    const row = (id: string, over: Record<string, unknown>) => ({
      _time: t, event_id: id, agent_hostname: 'WS-01', agent_os_type: 'AGENT_OS_WINDOWS', event_type: 'PROCESS', event_sub_type: 'PROCESS_START',
      action_process_image_name: 'wmic.exe', actor_process_image_name: 'cmd.exe', ...over,
    });
    const events = jsonl(dir, [
      row('quoted', { action_process_image_command_line: 'wmic /node:"ws"-eng-9 process call create "cmd /c whoami"' }),
      row('renamed', {
        _time: t + 60_000, action_process_image_name: 'svc-helper.exe', action_process_file_info: { original_name: 'wmic.exe' },
        action_process_image_command_line: 'C:\\ProgramData\\svc-helper.exe /node:fs01 process call create "C:\\ProgramData\\enc.exe"',
      }),
      row('lookalike', {
        _time: t + 120_000, action_process_image_name: 'notwmic.exe', action_process_file_info: { original_name: 'notwmic.exe' },
        action_process_image_command_line: 'notwmic.exe /node:db01 process call create "x.exe"',
      }),
    ]);
    const notifications = await hunt(['--events', events, '--variant', 'broadened', '--state', join(dir, 'state')]);

    expect(notifications.map((n) => n.target).sort()).toEqual(['fs01', 'ws-eng-9']);
    const quoted = notifications.find((n) => n.target === 'ws-eng-9');
    const renamed = notifications.find((n) => n.target === 'fs01');
    expect(quoted?.drillDownXql).toContain('action_process_image_command_line contains "ws"\n    and action_process_image_command_line contains "-eng-9"');
    expect(renamed?.drillDownXql).toContain('action_process_image_name in ("wmic.exe", "svc-helper.exe")');
    expect((await xql(events, quoted?.drillDownXql ?? '')).rows.map((r) => r['event_id'])).toEqual(['quoted']);
    expect((await xql(events, renamed?.drillDownXql ?? '')).rows.map((r) => r['event_id'])).toEqual(['renamed']);
  }, 60_000);
});

describe('npm run hunt -- xql (spawned)', () => {
  const run = promisify(execFile);
  const dir = mkdtempSync(join(tmpdir(), 'hunt-xql-cli-'));
  const events = jsonl(dir, [
    { _time: 1_764_383_400_000, event_id: 'p1', event_type: 'PROCESS', agent_os_type: 'AGENT_OS_WINDOWS', agent_hostname: 'WS-01' },
    { _time: 1_764_383_460_000, event_id: 'f1', event_type: 'FILE', agent_os_type: 'AGENT_OS_WINDOWS', agent_hostname: 'WS-02' },
  ]);

  it('writes the result rows as JSONL to stdout', async () => {
    const { stdout } = await run('npx', ['tsx', 'local/cli.ts', 'xql', '--events', events, '--query',
      'config case_sensitive = false timeframe between "2025-01-01 00:00:00 +0000" and "2027-01-01 00:00:00 +0000"\n| dataset = xdr_data\n| filter event_type = ENUM.PROCESS | fields event_id, agent_hostname'], { cwd: root });

    const rows = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toEqual([expect.objectContaining({ event_id: 'p1', agent_hostname: 'WS-01', _time: 1_764_383_400_000 })]);
  }, 60_000);

  it('exits non-zero on a parse error, naming line, column and what was expected', async () => {
    const failure = await run('npx', ['tsx', 'local/cli.ts', 'xql', '--events', events, '--query',
      'config timeframe between "2026-11-29T00:00:00Z" and "2026-11-30 00:00:00 +0000"\n| dataset = xdr_data'], { cwd: root })
      .then(() => null, (err: { code: number; stdout: string; stderr: string }) => err);

    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toContain('parse error at line 1, column 26: expected a time in double quotes in the documented form "YYYY-MM-DD HH:MM:SS +0000"');
  }, 60_000);

  it('refuses an unknown enum with its position', async () => {
    const { code, err, rows } = await xql(events, 'dataset = xdr_data\n| filter agent_os_type = ENUM.AGENT_OS_WINDOWZ');

    expect(code).toBe(1);
    expect(rows).toEqual([]);
    expect(err).toContain('line 2, column 26: expected a known enum name');
  });
});
