/** `explain --state DIR`: the history reasons a run would add, read from a state folder's history. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { dayOf, targetHash } from '../../lambda/history/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { FileStateStore } from '../../local/adapters/index.js';
import { DEFAULT_EXPLAIN_DEPS, runExplain } from '../../local/cli/explain.js';

const NOW = Date.UTC(2026, 10, 20, 12);
const TODAY = dayOf(NOW);
const deps = { ...DEFAULT_EXPLAIN_DEPS, now: () => NOW };

async function explain(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runExplain(args, { stdin: Readable.from([stdin]), write: (t) => void (out += t), error: (t) => void (err += t) }, deps);
  return { code, out, err };
}

async function stateWithRoutine(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'explain-state-'));
  const days = Array.from({ length: 20 }, (_, i) => TODAY - 20 + i);
  await new FileStateStore({ dir }).recordHistory(WMIC_REMOTE_EXEC.id, {
    coveredDays: days, keepDays: 45,
    sightings: [
      { kind: 'host', name: 'it-adm-01', days: days.slice(10), targets: ['ws-1', 'ws-2', 'ws-3'].map(targetHash) },
      { kind: 'user', name: 'corp\\adm.jlee', days: days.slice(12), targets: ['ws-1'].map(targetHash) },
    ],
  }, NOW);
  return dir;
}

const GPUPDATE = 'wmic /node:"WS-ENG-009" process call create "gpupdate.exe /force"';

describe('explain --state', () => {
  it('shows the routine source lowered, with what history knows of it', async () => {
    const dir = await stateWithRoutine();
    const { code, out } = await explain(['--state', dir, '--host', 'IT-ADM-01', GPUPDATE]);
    expect(code).toBe(0);
    expect(out).toContain('risk         : 65 (medium)');
    expect(out).toMatch(/-20 {2}history\.routine-source — .*seen on 10 of the last 30 days, 3 distinct target\(s\)/);
    expect(out).toContain('history      : 20 of the last 30 days covered');
    expect(out).toContain('source: it-adm-01 seen on 10 of the last 30 days, 3 distinct target(s)');
  });

  it('shows a first-time source raised', async () => {
    const { out } = await explain(['--state', await stateWithRoutine(), '--host', 'WS-FIN-023', GPUPDATE]);
    expect(out).toContain('risk         : 95 (critical)');
    expect(out).toContain('+10  history.first-source');
    expect(out).toContain('source: never seen');
  });

  it('adds history to JSONL answers, user included; lines that are not remote pass as they are', async () => {
    const row = (id: string, cmd: string) => JSON.stringify({ event_id: id, agent_hostname: 'IT-ADM-01', actor_effective_username: 'CORP\\adm.jlee', action_process_image_name: 'wmic.exe', action_process_image_command_line: cmd });
    const { out } = await explain(['--state', await stateWithRoutine()], `${row('a', GPUPDATE)}\n${row('b', 'wmic process list brief')}\n`);
    const [a, b] = out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({ event_id: 'a', riskScore: 65, severity: 'medium', history: { status: { warmingUp: false }, user: { name: 'corp\\adm.jlee', daysInBaseline: 8 } } });
    expect((a!['reasons'] as { code: string }[]).map((r) => r.code)).toContain('history.routine-source');
    expect(b).toMatchObject({ event_id: 'b', remoteExec: false });
    expect(b).not.toHaveProperty('history');
  });

  it('says warming up for a state folder without enough history, and asks for the folder', async () => {
    const { out } = await explain(['--state', mkdtempSync(join(tmpdir(), 'explain-empty-')), '--host', 'IT-ADM-01', GPUPDATE]);
    expect(out).toContain('risk         : 85 (high)');
    expect(out).toContain('history      : warming up (0 of 7 days covered)');
    expect((await explain(['--state'])).code).toBe(2);
  });
});
