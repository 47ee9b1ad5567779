/**
 * History reasons: a source host never seen in the baseline is raised (`history.first-source`),
 * one seen on enough baseline days is lowered (`history.routine-source`). Pure: the findings, the
 * history as it was before the chunk, the settings and the chunk's day in; re-scored findings out.
 *
 * Only once history covers enough of the baseline (until then: warming up, nothing changes).
 * Lowering never moves a dangerous payload (encoded PowerShell, ransomware-like actions,
 * credential dumping) out of its severity band.
 */
import { RISK_REASONS, severityFor } from '../detect/index.js';
import type { RiskReason, Severity } from '../finding.js';
import { daysInBaseline } from './days.js';
import { hostName } from './sightings.js';
import type { HistorySettings, HistoryStatus, HuntHistory } from './types.js';

/** What applyHistory needs of a finding (explain's pseudo-findings have the same fields). */
export interface Judged {
  readonly sourceHost: string;
  readonly user: string | null;
  readonly riskScore: number;
  readonly severity: Severity;
  readonly reasons: readonly RiskReason[];
}

/** Reasons whose payload keeps its severity band whatever history says. */
export const DANGEROUS_PAYLOADS: readonly string[] = ['payload.encoded', 'payload.ransomware', 'payload.credential-access', 'payload.defense-impairment', 'payload.log-clearing'];

/** Lowest score of each band (risk.ts: low < 40 ≤ medium < 70 ≤ high < 90 ≤ critical). */
const BAND_FLOOR: Record<Severity, number> = { low: 0, medium: 40, high: 70, critical: 90 };

export interface HistoryVerdict<F> {
  readonly findings: F[];
  readonly status: HistoryStatus;
  /** Distinct source hosts raised as first-time sources. */
  readonly firstSources: number;
  /** Distinct source hosts lowered as routine. */
  readonly routineSources: number;
}

/** Where history stands for a chunk of day `refDay`. */
export function historyStatus(history: HuntHistory | null, settings: HistorySettings, refDay: number): HistoryStatus {
  const coveredDays = history === null ? 0 : daysInBaseline(history.coveredDays, refDay, settings.historyBaselineDays);
  return {
    warmingUp: history === null || coveredDays < settings.historyMinCoverageDays,
    coveredDays,
    minCoverageDays: settings.historyMinCoverageDays,
    baselineDays: settings.historyBaselineDays,
    available: history !== null,
  };
}

function rescore<F extends Judged>(f: F, code: 'history.first-source' | 'history.routine-source', note: string): F {
  const table = RISK_REASONS[code];
  let points: number = table.points;
  let detail = `${table.detail} (${note})`;
  const score = Math.max(0, Math.min(100, f.riskScore + points));
  const guarded = f.reasons.find((r) => DANGEROUS_PAYLOADS.includes(r.code));
  let riskScore = score;
  // Only lowering is limited: a first-time source is raised whatever its payload.
  if (code === 'history.routine-source' && guarded !== undefined && severityFor(score) !== f.severity) {
    // A routine admin host running an encoded payload or an encryptor is still that: keep the band.
    riskScore = Math.max(score, BAND_FLOOR[f.severity]);
    points = riskScore - f.riskScore;
    detail = `${detail}; limited to ${points} points: ${guarded.code} keeps its ${f.severity} band`;
  }
  return { ...f, riskScore, severity: severityFor(riskScore), reasons: [...f.reasons, { code, points, detail }] };
}

/**
 * The findings with history reasons added (each at most once) and score and severity re-derived.
 * `history` is what the store held before this chunk (null: it could not be read); `refDay` the chunk's day.
 */
export function applyHistory<F extends Judged>(findings: readonly F[], history: HuntHistory | null, settings: HistorySettings, refDay: number): HistoryVerdict<F> {
  const status = historyStatus(history, settings, refDay);
  if (history === null || status.warmingUp) return { findings: [...findings], status, firstSources: 0, routineSources: 0 };
  const first = new Set<string>();
  const routine = new Set<string>();
  const out = findings.map((f) => {
    const host = hostName(f.sourceHost);
    if (host === null || f.reasons.some((r) => r.code.startsWith('history.'))) return f;
    const seen = history.hosts.get(host);
    const days = seen === undefined ? 0 : daysInBaseline(seen.days, refDay, settings.historyBaselineDays);
    if (days === 0) {
      first.add(host);
      return rescore(f, 'history.first-source', `no day in the last ${settings.historyBaselineDays} days`);
    }
    if (days >= settings.historyRoutineMinDays) {
      routine.add(host);
      return rescore(f, 'history.routine-source', `seen on ${days} of the last ${settings.historyBaselineDays} days, ${seen?.targetCount ?? 0} distinct target(s)`);
    }
    return f;
  });
  return { findings: out, status, firstSources: first.size, routineSources: routine.size };
}
