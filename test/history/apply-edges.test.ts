/**
 * applyHistory's edges (issue 21): the score clamp at 0 and 100, the band guard in the medium band
 * and on a raise, the warm-up without history, and the exact reason text an analyst reads.
 * Most inputs are findings the real detector made; the clamp and band edges use the plain judged
 * shape explain passes (local/cli/explain-history.ts), since no single wmic line lands exactly there.
 */
import { describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import { DEFAULT_ALLOWLIST, RISK_REASONS, createDetector } from '../../lambda/detect/index.js';
import type { RiskReason, Severity } from '../../lambda/finding.js';
import { applyHistory, dayOf, historyStatus, type HuntHistory, type Judged } from '../../lambda/history/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { T0, wmicRow } from '../integration/harness.js';

const settings = defaultRunSettings();
const TODAY = dayOf(T0);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** Four weeks covered; the admin host seen on ten of them, reaching three targets. */
const WARM: HuntHistory = {
  coveredDays: range(TODAY - 28, TODAY - 1),
  hosts: new Map([['it-adm-01', { kind: 'host', name: 'it-adm-01', days: range(TODAY - 20, TODAY - 11), targets: [], targetCount: 3 }]]),
  users: new Map(),
};
const FIRST = RISK_REASONS['history.first-source'].detail;
const ROUTINE = RISK_REASONS['history.routine-source'].detail;
const GPUPDATE = 'wmic /node:"WS-ENG-004" process call create "gpupdate.exe /target:computer /force"';

function detected(host: string, cmd: string): Judged {
  const [f] = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST })([wmicRow(T0, host, cmd)], T0).findings;
  if (f === undefined) throw new Error(`no finding for ${cmd}`);
  return f;
}
const judged = (sourceHost: string, riskScore: number, severity: Severity, ...codes: string[]): Judged => ({
  sourceHost, user: null, riskScore, severity, reasons: codes.map((code) => ({ code, points: 10, detail: code })),
});
const historyReason = (f: Judged | undefined): RiskReason | undefined => f?.reasons.find((r) => r.code.startsWith('history.'));

describe('the reason text an analyst reads', () => {
  it('a routine source: the table text, the days seen in the baseline and the distinct targets', () => {
    const { findings: [f] } = applyHistory([detected('IT-ADM-01', GPUPDATE)], WARM, settings, TODAY);
    expect(historyReason(f)).toEqual({ code: 'history.routine-source', points: -20, detail: `${ROUTINE} (seen on 10 of the last 30 days, 3 distinct target(s))` });
  });

  it('a first-time source: the table text and the baseline length', () => {
    const { findings: [f] } = applyHistory([detected('WS-FIN-023', GPUPDATE)], WARM, settings, TODAY);
    expect(historyReason(f)).toEqual({ code: 'history.first-source', points: 10, detail: `${FIRST} (no day in the last 30 days)` });
  });

  it('a dangerous payload kept in its band says by how much and why', () => {
    const { findings: [f] } = applyHistory([judged('IT-ADM-01', 75, 'high', 'payload.encoded')], WARM, settings, TODAY);
    expect(f).toMatchObject({ riskScore: 70, severity: 'high' });
    expect(historyReason(f)).toEqual({
      code: 'history.routine-source', points: -5,
      detail: `${ROUTINE} (seen on 10 of the last 30 days, 3 distinct target(s)); limited to -5 points: payload.encoded keeps its high band`,
    });
  });
});

describe('score edges', () => {
  it('a raise stops at 100 and a lowering at 0', () => {
    const { findings: [top] } = applyHistory([judged('WS-NEW-01', 95, 'critical')], WARM, settings, TODAY);
    expect(top).toMatchObject({ riskScore: 100, severity: 'critical' });
    const { findings: [bottom] } = applyHistory([judged('IT-ADM-01', 10, 'low')], WARM, settings, TODAY);
    expect(bottom).toMatchObject({ riskScore: 0, severity: 'low' });
  });

  it('a credential dump in the medium band keeps medium (40), not low (25)', () => {
    const { findings: [f] } = applyHistory([judged('IT-ADM-01', 45, 'medium', 'payload.credential-access')], WARM, settings, TODAY);
    expect(f).toMatchObject({ riskScore: 40, severity: 'medium' });
    expect(historyReason(f)?.points).toBe(-5);
    expect(historyReason(f)?.detail).toMatch(/; limited to -5 points: payload\.credential-access keeps its medium band$/);
  });

  it('a dangerous payload lowered within its band takes the full 20 points and no "limited" note', () => {
    const { findings: [f] } = applyHistory([judged('IT-ADM-01', 65, 'medium', 'payload.encoded')], WARM, settings, TODAY);
    expect(f).toMatchObject({ riskScore: 45, severity: 'medium' });
    expect(historyReason(f)).toMatchObject({ points: -20, detail: `${ROUTINE} (seen on 10 of the last 30 days, 3 distinct target(s))` });
  });

  it('a first-time source running a dangerous payload is raised across the band, with no "limited" note', () => {
    const { findings: [f] } = applyHistory([judged('WS-NEW-01', 85, 'high', 'payload.encoded')], WARM, settings, TODAY);
    expect(f).toMatchObject({ riskScore: 95, severity: 'critical' });
    expect(historyReason(f)).toEqual({ code: 'history.first-source', points: 10, detail: `${FIRST} (no day in the last 30 days)` });
  });

  it('a payload that is not dangerous leaves its band when lowered', () => {
    const { findings: [f] } = applyHistory([judged('IT-ADM-01', 75, 'high', 'payload.powershell')], WARM, settings, TODAY);
    expect(f).toMatchObject({ riskScore: 55, severity: 'medium' });
  });
});

describe('counting and status', () => {
  it('counts distinct source hosts, not findings', () => {
    const findings = [detected('WS-NEW-01', GPUPDATE), detected('ws-new-01', GPUPDATE), detected('IT-ADM-01', GPUPDATE), detected('it-adm-01', GPUPDATE)];
    const verdict = applyHistory(findings, WARM, settings, TODAY);
    expect(verdict).toMatchObject({ firstSources: 1, routineSources: 1 });
    expect(verdict.findings.map((f) => historyReason(f)?.code)).toEqual(['history.first-source', 'history.first-source', 'history.routine-source', 'history.routine-source']);
  });

  it('coverage counts only baseline days: the chunk\'s own day and days over 30 back are left out', () => {
    const status = historyStatus({ ...WARM, coveredDays: range(TODAY - 40, TODAY) }, settings, TODAY);
    expect(status).toEqual({ warmingUp: false, coveredDays: 30, minCoverageDays: 7, baselineDays: 30, available: true });
  });

  it('without history it is warming up and unavailable, even when no coverage is required', () => {
    const none = { ...settings, historyMinCoverageDays: 0 };
    expect(historyStatus(null, none, TODAY)).toEqual({ warmingUp: true, coveredDays: 0, minCoverageDays: 0, baselineDays: 30, available: false });
    const empty: HuntHistory = { coveredDays: [], hosts: new Map(), users: new Map() };
    expect(historyStatus(empty, none, TODAY)).toEqual({ warmingUp: false, coveredDays: 0, minCoverageDays: 0, baselineDays: 30, available: true });
    const { findings: [f], firstSources } = applyHistory([detected('WS-NEW-01', GPUPDATE)], empty, none, TODAY);
    expect(historyReason(f)?.code).toBe('history.first-source');
    expect(firstSources).toBe(1);
  });

  it('7 covered days end the warm-up and 6 do not, with one finding from a routine host', () => {
    const base = [detected('IT-ADM-01', GPUPDATE)];
    const seven = applyHistory(base, { ...WARM, coveredDays: range(TODAY - 7, TODAY - 1) }, settings, TODAY);
    expect(seven).toMatchObject({ status: { warmingUp: false, coveredDays: 7 }, routineSources: 1 });
    const six = applyHistory(base, { ...WARM, coveredDays: range(TODAY - 6, TODAY - 1) }, settings, TODAY);
    expect(six).toEqual({ findings: base, status: { warmingUp: true, coveredDays: 6, minCoverageDays: 7, baselineDays: 30, available: true }, firstSources: 0, routineSources: 0 });
  });
});
