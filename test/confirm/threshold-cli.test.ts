/**
 * The threshold rule on the sample day, through `npm run hunt -- --output json`: every due pair is
 * checked on its target before the minimum severity is applied, so `--show all` shows one score per
 * pair at any threshold; and the routine helpdesk gpupdate (85 − 20 routine = 65), which its targets
 * confirm, earns no points for it (`target.confirmed-routine`): it stays held at the default.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocalHunt, type RunIo } from '../../local/cli/run.js';
import { wmicRow } from '../integration/harness.js';
import { AGENTS, child, noise } from './fixture.js';

interface Pair {
  huntId?: string;
  source: string;
  target: string;
  riskScore: number;
  reasonCodes: string[];
  confirmation: { status: string } | null;
}
interface Doc { notifications: Pair[]; belowMinSeverityPairs: Pair[]; wouldNotifyPairs: Pair[]; confirmQueries: number }

async function runJson(args: string[]): Promise<Doc> {
  let out = '';
  const io: RunIo = { write: (t) => { out += t; }, error: () => undefined, env: {}, now: Date.now };
  expect(await runLocalHunt(['--state', mkdtempSync(join(tmpdir(), 'threshold-cli-')), '--output', 'json', '--show', 'all', ...args], io)).toBe(0);
  return JSON.parse(out) as Doc;
}

const wmic = (pairs: readonly Pair[]): Pair[] => pairs.filter((p) => (p.huntId ?? 'HuntQuery-Windows-WMIC-RemoteExec') === 'HuntQuery-Windows-WMIC-RemoteExec');
const scores = (pairs: readonly Pair[]): Record<string, number> => Object.fromEntries(wmic(pairs).map((p) => [`${p.source}→${p.target}`, p.riskScore]));

describe('the sample day at any minimum severity', () => {
  it('keeps the routine helpdesk gpupdate held at 65, confirmed without points, and gives every pair one score under low and high', async () => {
    const high = await runJson([]);
    const helpdesk = wmic(high.belowMinSeverityPairs).filter((p) => p.source === 'IT-ADM-01');
    expect(helpdesk.length).toBeGreaterThan(0);
    for (const p of helpdesk) {
      expect(p.riskScore, p.target).toBe(65);
      expect(p.confirmation?.status, p.target).toBe('confirmed');
      expect(p.reasonCodes, p.target).toContain('target.confirmed-routine');
      expect(p.reasonCodes, p.target).not.toContain('target.confirmed');
    }
    expect(wmic(high.notifications).some((p) => p.source === 'IT-ADM-01')).toBe(false);

    const low = await runJson(['--min-severity', 'low']);
    expect(scores(low.notifications)).toEqual({ ...scores(high.notifications), ...scores(high.belowMinSeverityPairs) });
  });
});

describe('a near-threshold pair its target confirms, from an events file', () => {
  // SCCM's agent (CcmExec.exe, −25) pushing its client: 85 − 25 = 60 medium; FS01 shows WmiPrvSE.exe
  // starting it (+10 → 70 high), APP01 reports but shows nothing (not-seen, 60).
  const PUSH = 'C:\\Windows\\ccmsetup\\ccmsetup.exe /mp:SCCM01 SMSSITECODE=P01';
  const VIA_AGENT = { actor_process_image_name: 'CcmExec.exe', actor_process_image_path: 'C:\\Windows\\CCM\\CcmExec.exe' };
  function eventsFile(): string {
    const launch = Date.UTC(2026, 10, 20, 9, 0, 0);
    const rows = [
      wmicRow(launch, 'SCCM01', `wmic /node:fs01 process call create "${PUSH}"`, VIA_AGENT), child(AGENTS.fs01, launch + 2_000, PUSH),
      wmicRow(launch, 'SCCM01', `wmic /node:app01 process call create "${PUSH}"`, VIA_AGENT), noise(AGENTS.app01, launch - 600_000),
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'threshold-events-')), 'events.jsonl');
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    return file;
  }

  it('is sent at the default minimum with 70, and --show all holds the other at 60; shadow would send the same pair', async () => {
    const file = eventsFile();
    const live = await runJson(['--events', file]);
    expect(scores(live.notifications)).toEqual({ 'SCCM01→fs01': 70 });
    expect(scores(live.belowMinSeverityPairs)).toEqual({ 'SCCM01→app01': 60 });
    expect(wmic(live.belowMinSeverityPairs)[0]?.confirmation?.status).toBe('not-seen');

    const shadow = await runJson(['--events', file, '--shadow']);
    expect(scores(shadow.wouldNotifyPairs)).toEqual({ 'SCCM01→fs01': 70 });
    expect(scores(shadow.belowMinSeverityPairs)).toEqual({ 'SCCM01→app01': 60 });
  });
});
