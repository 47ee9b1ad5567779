/**
 * applyHistory over findings the real detector made: routine sources lowered (never a dangerous
 * payload out of its band), first-time sources raised, nothing while warming up or unreadable.
 */
import { describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import { DEFAULT_ALLOWLIST, UNKNOWN_HOST, createDetector } from '../../lambda/detect/index.js';
import type { Finding } from '../../lambda/finding.js';
import { applyHistory, dayOf, sightingsOf, type HuntHistory, type SubjectHistory } from '../../lambda/history/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { T0, wmicRow } from '../integration/harness.js';

const settings = defaultRunSettings();
const detect = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST });
const TODAY = dayOf(T0);

function finding(host: string, cmd: string, parent?: string): Finding {
  const extra = parent === undefined ? {} : { actor_process_image_name: parent.split('\\').pop()!, actor_process_image_path: parent };
  const [f] = detect([wmicRow(T0, host, cmd, extra)], T0).findings;
  if (f === undefined) throw new Error(`no finding for ${cmd}`);
  return f;
}

const host = (name: string, days: number[]): SubjectHistory => ({ kind: 'host', name, days, targets: [], targetCount: 3 });
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** Four weeks covered; the admin host seen on ten of them. */
const WARM: HuntHistory = {
  coveredDays: range(TODAY - 28, TODAY - 1),
  hosts: new Map([['it-adm-01', host('it-adm-01', range(TODAY - 20, TODAY - 11))], ['ws-rare', host('ws-rare', [TODAY - 3])]]),
  users: new Map(),
};

const GPUPDATE = 'wmic /node:"WS-ENG-004" process call create "gpupdate.exe /target:computer /force"';
const ENCODED = 'wmic /node:"WS-ENG-004" process call create "powershell.exe -NoP -enc SQBFAFgA"';
const ENCRYPTOR = 'wmic /node:FS02 process call create "cmd.exe /c vssadmin delete shadows /all /quiet"';
const codes = (f: Finding) => f.reasons.map((r) => r.code);

describe('history reasons', () => {
  it('lowers a routine source: the admin host seen on 10 of 30 days drops from high to medium (not notified at high)', () => {
    const base = finding('IT-ADM-01', GPUPDATE);
    expect(base).toMatchObject({ riskScore: 85, severity: 'high' });
    const { findings: [f], routineSources, status } = applyHistory([base], WARM, settings, TODAY);
    expect(status).toMatchObject({ warmingUp: false, coveredDays: 28, available: true });
    expect(codes(f!)).toContain('history.routine-source');
    expect(f).toMatchObject({ riskScore: 65, severity: 'medium' });
    expect(f!.reasons.find((r) => r.code === 'history.routine-source')).toMatchObject({ points: -20 });
    expect(f!.reasons.at(-1)!.detail).toContain('seen on 10 of the last 30 days');
    expect(routineSources).toBe(1);
  });

  it("keeps a routine source's encoded-PowerShell launch in its band: high stays high, critical stays critical", () => {
    // Launched by the management agent: 85 + 5 + 10 − 25 = 75, high.
    const viaAgent = finding('IT-ADM-01', ENCODED, 'C:\\Windows\\CCM\\CcmExec.exe');
    expect(viaAgent).toMatchObject({ riskScore: 75, severity: 'high' });
    const direct = finding('IT-ADM-01', ENCODED);
    expect(direct).toMatchObject({ riskScore: 100, severity: 'critical' });
    const { findings: [a, b] } = applyHistory([viaAgent, direct], WARM, settings, TODAY);
    expect(a).toMatchObject({ riskScore: 70, severity: 'high' });
    expect(b).toMatchObject({ riskScore: 90, severity: 'critical' });
    const reason = a!.reasons.find((r) => r.code === 'history.routine-source')!;
    expect(reason.points).toBe(-5);
    expect(reason.detail).toContain('payload.encoded keeps its high band');
  });

  it('keeps ransomware-like actions in their band too, and lowers within the band when it can', () => {
    const wiper = finding('IT-ADM-01', ENCRYPTOR);
    const { findings: [f] } = applyHistory([wiper], WARM, settings, TODAY);
    expect(f!.severity).toBe(wiper.severity);
    expect(f!.riskScore).toBeGreaterThanOrEqual(90);
    expect(codes(f!)).toContain('history.routine-source');
  });

  it("raises a source never seen in the baseline, and leaves a source seen on too few days as it is", () => {
    const intruder = finding('WS-FIN-023', GPUPDATE);
    const rare = finding('WS-RARE', GPUPDATE);
    const { findings: [i, r], firstSources } = applyHistory([intruder, rare], WARM, settings, TODAY);
    expect(i).toMatchObject({ riskScore: 95, severity: 'critical' });
    expect(codes(i!)).toContain('history.first-source');
    expect(r).toEqual(rare);
    expect(firstSources).toBe(1);
  });

  it('counts only the baseline: days older than 30 days and the chunk\'s own day do not make a source routine', () => {
    const stale: HuntHistory = { ...WARM, hosts: new Map([['it-adm-01', host('it-adm-01', [...range(TODAY - 45, TODAY - 31), TODAY])]]) };
    const { findings: [f] } = applyHistory([finding('IT-ADM-01', GPUPDATE)], stale, settings, TODAY);
    expect(codes(f!)).toContain('history.first-source');
  });

  it('changes nothing while warming up (fewer than 7 baseline days covered) and says so', () => {
    const young: HuntHistory = { ...WARM, coveredDays: range(TODAY - 6, TODAY) };
    const base = [finding('IT-ADM-01', GPUPDATE), finding('WS-FIN-023', GPUPDATE)];
    const { findings, status, firstSources, routineSources } = applyHistory(base, young, settings, TODAY);
    expect(findings).toEqual(base);
    expect(status).toMatchObject({ warmingUp: true, coveredDays: 6, minCoverageDays: 7, baselineDays: 30 });
    expect(firstSources + routineSources).toBe(0);
  });

  it('changes nothing when history could not be read', () => {
    const base = [finding('IT-ADM-01', GPUPDATE)];
    const { findings, status } = applyHistory(base, null, settings, TODAY);
    expect(findings).toEqual(base);
    expect(status).toMatchObject({ warmingUp: true, available: false });
  });

  it('leaves a finding without a source host alone, and records no history for it', () => {
    const [f] = detect([wmicRow(T0, '', GPUPDATE, { agent_hostname: null })], T0).findings;
    expect(f!.sourceHost).toBe(UNKNOWN_HOST);
    expect(applyHistory([f!], WARM, settings, TODAY).findings).toEqual([f]);
    const update = sightingsOf([f!], { from: T0 - 60_000, to: T0 + 1 }, settings);
    expect(update.sightings.map((s) => s.kind)).toEqual(['user']);
  });

  it('adds a history reason once, even when applied twice', () => {
    const once = applyHistory([finding('IT-ADM-01', GPUPDATE)], WARM, settings, TODAY).findings;
    const twice = applyHistory(once, WARM, settings, TODAY).findings;
    expect(twice).toEqual(once);
  });
});

describe('history edges, one day inside and one outside', () => {
  it('7 covered baseline days end the warm-up; 6 do not', () => {
    expect(settings.historyMinCoverageDays).toBe(7);
    const seven: HuntHistory = { ...WARM, coveredDays: range(TODAY - 7, TODAY - 1) };
    const six: HuntHistory = { ...WARM, coveredDays: range(TODAY - 6, TODAY - 1) };
    const base = [finding('WS-FIN-023', GPUPDATE)];
    const warm = applyHistory(base, seven, settings, TODAY);
    expect(warm.status).toMatchObject({ warmingUp: false, coveredDays: 7 });
    expect(codes(warm.findings[0]!)).toContain('history.first-source');
    const cold = applyHistory(base, six, settings, TODAY);
    expect(cold.status).toMatchObject({ warmingUp: true, coveredDays: 6 });
    expect(cold.findings).toEqual(base);
  });

  it('a source seen on 5 baseline days is routine; on 4 it is left as it is', () => {
    expect(settings.historyRoutineMinDays).toBe(5);
    const withDays = (n: number): HuntHistory => ({ ...WARM, hosts: new Map([['it-adm-01', host('it-adm-01', range(TODAY - n, TODAY - 1))]]) });
    const base = finding('IT-ADM-01', GPUPDATE);
    const five = applyHistory([base], withDays(5), settings, TODAY);
    expect(codes(five.findings[0]!)).toContain('history.routine-source');
    expect(five.findings[0]!.reasons.at(-1)!.detail).toContain('seen on 5 of the last 30 days');
    expect(five.routineSources).toBe(1);
    const four = applyHistory([base], withDays(4), settings, TODAY);
    expect(four.findings[0]).toEqual(base);
    expect(four.routineSources + four.firstSources).toBe(0);
  });

  it('a day 30 days back is in the baseline; 31 days back is not', () => {
    const at = (day: number): HuntHistory => ({ ...WARM, hosts: new Map([['ws-rare', host('ws-rare', [day])]]) });
    const rare = finding('WS-RARE', GPUPDATE);
    expect(applyHistory([rare], at(TODAY - 30), settings, TODAY).findings[0]).toEqual(rare);
    expect(codes(applyHistory([rare], at(TODAY - 31), settings, TODAY).findings[0]!)).toContain('history.first-source');
  });
});
