/**
 * History through the CLI, as the held-out scenario runs it: four weeks of routine admin events
 * hunted first (one `--events` run: every chunk records its sightings and the days it covered),
 * then a new day with `--min-severity low` on the same state folder.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocalHunt, type RunIo } from '../../local/cli/run.js';

const DAY = 86_400_000;
/** Four weeks before the new day, from a Monday 00:00 UTC. */
const START = Date.UTC(2026, 9, 5);
const NEW_DAY = START + 28 * DAY;

function capture(): RunIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { write: (t) => { out += t; }, error: (t) => { err += t; }, env: {}, now: Date.now, out: () => out, err: () => err };
}

let seq = 0;
function row(time: number, host: string, user: string, cmd: string, parent = 'cmd.exe'): string {
  seq += 1;
  return JSON.stringify({
    _time: time, event_id: `e-${seq}`, agent_hostname: host, agent_os_type: 'AGENT_OS_WINDOWS', event_type: 'PROCESS', event_sub_type: 'PROCESS_START',
    action_process_image_name: 'wmic.exe', action_process_image_command_line: cmd, actor_process_image_name: parent, actor_effective_username: user,
  });
}

const GPUPDATE = (ws: string) => `wmic /node:"${ws}" process call create "gpupdate.exe /target:computer /force"`;

/** The helpdesk admin's weekday routine: gpupdate on two or three workstations from the jump host. */
function routineWeeks(): string {
  const lines: string[] = [];
  for (let d = 0; d < 28; d++) {
    if (d % 7 >= 5) continue;
    for (let k = 0; k < 2 + (d % 2); k++) {
      lines.push(row(START + d * DAY + (9 + k) * 3_600_000, 'IT-ADM-01', 'CORP\\adm.jlee', GPUPDATE(`WS-${String((d * 3 + k) % 12).padStart(3, '0')}`)));
    }
  }
  return `${lines.join('\n')}\n`;
}

type Summary = { history: { warmingUp: boolean; coveredDays: number }; historyWarmingUp: number; chunks: number; notifications: { source: string; target: string; riskScore: number; severity: string; reasons: { code: string; points: number; detail: string }[] }[] };
/** The reason codes of a notification (`reasons` are `{code, points, detail}` since schemaVersion 1). */
const codes = (n: { reasons: { code: string }[] } | undefined): string[] => (n?.reasons ?? []).map((r) => r.code);

describe('history through npm run hunt', () => {
  const WMIC = 'HuntQuery-Windows-WMIC-RemoteExec';
  it('four weeks of routine, then a new day: the routine admin lowered, the intruder raised', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-history-'));
    const state = join(dir, 'state');
    writeFileSync(join(dir, 'weeks.jsonl'), routineWeeks());
    writeFileSync(join(dir, 'day.jsonl'), [
      row(NEW_DAY + 9 * 3_600_000, 'IT-ADM-01', 'CORP\\adm.jlee', GPUPDATE('WS-NEW-77')),
      row(NEW_DAY + 11 * 3_600_000, 'WS-FIN-023', 'CORP\\m.keller', 'wmic /node:"FS01" process call create "gpupdate.exe /target:computer /force"'),
    ].join('\n'));

    const weeks = capture();
    // four weeks are about a hundred queries: more than 20 needs --yes
    // The WMIC hunt alone: its history is what this test is about (every hunt would triple the time).
    expect(await runLocalHunt(['--events', join(dir, 'weeks.jsonl'), '--state', state, '--output', 'json', '--yes', '--hunt', WMIC], weeks)).toBe(0);
    const backfill = JSON.parse(weeks.out()) as Summary;
    // The first week's chunks judged while warming up; by the end the history is warm.
    expect(backfill.historyWarmingUp).toBeGreaterThan(0);
    expect(backfill.historyWarmingUp).toBeLessThan(backfill.chunks);
    expect(backfill.history.warmingUp).toBe(false);

    const day = capture();
    expect(await runLocalHunt(['--events', join(dir, 'day.jsonl'), '--state', state, '--min-severity', 'low', '--output', 'json', '--hunt', WMIC], day)).toBe(0);
    const judged = JSON.parse(day.out()) as Summary;
    // The events ran from Monday of week 1 to Friday of week 4: 26 days hunted.
    expect(judged.history).toMatchObject({ warmingUp: false, coveredDays: 26 });
    const admin = judged.notifications.find((n) => n.source === 'IT-ADM-01');
    const intruder = judged.notifications.find((n) => n.source === 'WS-FIN-023');
    expect(codes(admin)).toContain('history.routine-source');
    expect(codes(intruder)).toContain('history.first-source');
    expect(admin!.riskScore).toBeLessThan(intruder!.riskScore);
    // 85 − 20 (routine source) + 5 (target.unmanaged: ws-new-77 has no agent in these events)
    expect(admin).toMatchObject({ target: 'ws-new-77', riskScore: 70, severity: 'high' });
    // 85 + 10 (first-time source) + 5 (target.unmanaged: FS01 has no agent in these events)
    expect(intruder).toMatchObject({ riskScore: 100, severity: 'critical' });
  });

  it('says the history is warming up on a first run, in the summary and the JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-history-'));
    writeFileSync(join(dir, 'one.jsonl'), `${row(START + 10 * 3_600_000, 'IT-ADM-01', 'CORP\\adm.jlee', GPUPDATE('WS-001'))}\n`);
    const text = capture();
    expect(await runLocalHunt(['--events', join(dir, 'one.jsonl'), '--state', join(dir, 'state')], text)).toBe(0);
    expect(text.out()).toContain('history       warming up (0 of 7 days covered)');
    const json = capture();
    expect(await runLocalHunt(['--events', join(dir, 'one.jsonl'), '--state', join(dir, 'state'), '--output', 'json'], json)).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject({ historyWarmingUp: 1, history: { warmingUp: true, coveredDays: 0, minCoverageDays: 7 } });
  });

  it('refuses a --min-severity that is not a severity', async () => {
    await expect(runLocalHunt(['--min-severity', 'urgent'], capture())).rejects.toThrow(/--min-severity must be one of low, medium, high, critical/);
  });
});

describe('history on the sample day (npm run hunt)', () => {
  it('ships a history of the days before: the helpdesk gpupdate is routine (not notified), the intruder a first-time source', async () => {
    const io = capture();
    const dir = mkdtempSync(join(tmpdir(), 'hunt-sample-'));
    expect(await runLocalHunt(['--state', dir, '--output', 'json'], io)).toBe(0);
    const s = JSON.parse(io.out()) as Summary & { routineSources: number };
    expect(s.history.warmingUp).toBe(false);
    expect(s.routineSources).toBeGreaterThan(0);
    expect(s.notifications.some((n) => n.source === 'IT-ADM-01')).toBe(false);
    const intrusion = s.notifications.filter((n) => n.source === 'WS-FIN-023');
    expect(intrusion.length).toBeGreaterThan(0);
    for (const n of intrusion) expect(codes(n)).toContain('history.first-source');

    const text = capture();
    expect(await runLocalHunt(['--state', dir], text)).toBe(0);
    expect(text.out()).toMatch(/history {7}\d+ of the last 30 days covered; first-time sources \d+, routine sources \d+ \(lowered\)/);
  });
});
