/**
 * `npm run hunt -- run ... --output json` confirms on the target: the sample day shows every
 * outcome, and an events file (source and target rows, as the held-out check feeds it) gets each
 * notified pair's `confirmation.status` right, with `target.confirmed` and the target's event id.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocalHunt, type RunIo } from '../../local/cli/run.js';
import { wmicRow } from '../integration/harness.js';
import { AGENTS, child, noise } from './fixture.js';

interface Notification {
  huntId?: string;
  source: string;
  target: string;
  /** `{code, points, detail}` since schemaVersion 1; the codes alone are in `reasonCodes`. */
  reasonCodes: string[];
  confirmation: { status: string; eventId: string | null; detail: string } | null;
}

async function runJson(args: string[]): Promise<{ notifications: Notification[]; confirmQueries: number }> {
  let out = '';
  const io: RunIo = { write: (t) => { out += t; }, error: () => undefined, env: {}, now: Date.now };
  expect(await runLocalHunt(['--state', mkdtempSync(join(tmpdir(), 'confirm-cli-')), '--output', 'json', ...args], io)).toBe(0);
  return JSON.parse(out) as { notifications: Notification[]; confirmQueries: number };
}

describe('npm run hunt --output json: confirmation', () => {
  it('shows every outcome on the sample day, each confirmed pair with target.confirmed and the target event id', async () => {
    const run = await runJson([]);
    expect(new Set(run.notifications.map((n) => n.confirmation?.status))).toEqual(new Set(['confirmed', 'not-seen', 'unmanaged', 'unavailable']));
    for (const n of run.notifications.filter((x) => x.confirmation?.status === 'confirmed')) {
      expect(n.reasonCodes, n.target).toContain('target.confirmed');
      expect(n.confirmation?.eventId, n.target).toMatch(/\S/);
    }
    expect(run.confirmQueries).toBeGreaterThan(0);
  });

  it.each([
    ['a week old', Date.UTC(2026, 10, 20, 9, 0, 0)],
    // Launched a minute ago: the local XSIAM has the target side already, so nothing is `unavailable`.
    ['a minute old', Math.floor(Date.now() / 1000) * 1000 - 60_000],
  ])('confirms from an events file (%s), ignoring a target event outside the pair time and the IP-prefix look-alike', async (_age, launch) => {
    const payload = 'cmd.exe /c whoami > C:\\Windows\\Temp\\w.txt';
    const line = (target: string): string => `wmic /node:${target} process call create "${payload}"`;
    const rows = [
      wmicRow(launch, 'WS-1', line('FS01')),
      child(AGENTS.fs01, launch + 5_000, 'cmd /c whoami > C:\\Windows\\Temp\\w.txt', { event_id: 'held-fs01' }),
      wmicRow(launch, 'WS-2', line('APP01')), noise(AGENTS.app01, launch - 60_000),
      wmicRow(launch, 'WS-3', line('10.1.1.5')), child(AGENTS.trap, launch + 4_000, payload),
      wmicRow(launch, 'WS-4', line('SQL01')), child(AGENTS.sql01, launch + 30 * 60_000, payload),
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'confirm-events-')), 'events.jsonl');
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);

    const run = await runJson(['--events', file]);
    const byTarget = Object.fromEntries(run.notifications.filter((n) => n.huntId === undefined || n.huntId === 'HuntQuery-Windows-WMIC-RemoteExec').map((n) => [n.target, n]));
    expect(Object.fromEntries(Object.entries(byTarget).map(([t, n]) => [t, n.confirmation?.status]))).toEqual({
      fs01: 'confirmed', app01: 'not-seen', '10.1.1.5': 'unmanaged', sql01: 'not-seen',
    });
    expect(byTarget.fs01!.confirmation?.eventId).toBe('held-fs01');
    expect(byTarget.fs01!.reasonCodes).toContain('target.confirmed');
    expect(byTarget['10.1.1.5']!.reasonCodes).not.toContain('target.confirmed');
  });
});
