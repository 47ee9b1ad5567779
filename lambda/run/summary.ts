/**
 * The run's summary. Every counter is declared once, in ZERO: RunSummary's count fields, the zero
 * value and the adding all follow from it. Stages return the counts they moved; the run adds them.
 */
import type { TrackedFinding } from '../finding.js';
import type { IncidentSummary } from '../incidents/index.js';
import type { HistoryStatus } from '../history/index.js';
import type { TimeWindow } from '../pipeline-types.js';

const ZERO = {
  /** Chunks queried and committed. */
  chunks: 0,
  /** Uncovered time older than the maximum lookback that this run skipped (ms). */
  skippedMs: 0,
  /** Rows the queries returned. */
  rows: 0,
  /** Findings (host pair + command) the detector made of the rows. */
  findings: 0,
  /** Pairs this run claimed first. */
  newPairs: 0,
  /** Pairs claimed by an earlier run that never got notified (crash or publish failure), handled now. */
  recovered: 0,
  /** Pairs already notified inside the dedupe window: counted, not re-sent. */
  repeats: 0,
  /** Due pairs an allowlist entry suppressed. */
  suppressed: 0,
  /** Due pairs below the minimum severity. */
  belowMinSeverity: 0,
  /** Pairs whose notification the sink accepted. */
  notified: 0,
  /** Messages sent (one per pair, or one digest). */
  messages: 0,
  /** Digests sent in place of per-pair messages. */
  digests: 0,
  /** Due pairs not published because SNS pacing ran into the deadline: PENDING for the next run. */
  deferred: 0,
  /** Shadow mode: pairs that would have been notified (nothing was sent; they stay PENDING). */
  wouldNotify: 0,
  /** Malformed rows of the replies plus rows the detector skipped. */
  rowProblems: 0,
  /** Query units spent. */
  queryCost: 0,
  /** HTTP requests the queries took. */
  httpCalls: 0,
  /** Source hosts raised as never seen in the history baseline (`history.first-source`), per chunk. */
  firstSources: 0,
  /** Source hosts lowered as routine (`history.routine-source`), per chunk. */
  routineSources: 0,
  /** Chunks judged while history was warming up (too few baseline days covered: no history reasons). */
  historyWarmingUp: 0,
  /** Chunks judged without history because it could not be read. */
  historyUnavailable: 0,
  /** Target-side confirmation (stages/confirm.ts): XQL queries started, their HTTP calls (endpoints API included) and query units. */
  confirmQueries: 0,
  confirmHttpCalls: 0,
  confirmQueryCost: 0,
  /** Endpoints-API (get_endpoint) requests of the confirmation; no query units. */
  confirmEndpointRequests: 0,
  /** Outcomes of the pairs sent to notify: the command started on the target / did not / no agent there / not checked. */
  confirmed: 0,
  notSeen: 0,
  unmanaged: 0,
  unavailable: 0,
  /** Late-evidence follow-ups delivered (one per pair at most). */
  followUps: 0,
  /** Due pairs another live run had claimed: left to it; the chunk stays uncommitted so a later run re-checks them. */
  inFlight: 0,
  /** Late sweeps (lambda/run/sweep.ts): queries run on `_insert_time`, their query units and the hours of `_time` they scanned. */
  lateSweeps: 0,
  lateSweepQueryCost: 0,
  lateSweepDataHours: 0,
  /** Late sweeps due but narrowed or put off because the day's `dailyQueryUnits` could not pay for them (run/sweep-budget.ts). */
  lateSweepsOverBudget: 0,
  /** Notified pairs whose events reached XSIAM late (`arrivedLateMs` above the ingest lag). */
  latePairs: 0,
  /** Pairs the caps left out: targets of a row past 100, pairs of a source past 500 (lambda/detect/caps.ts). */
  pairsOverCap: 0,
  /** Findings a stored pair of another hunt explained (stages/join.ts): joined to its incident as evidence, not notified on their own. */
  joinedEvidence: 0,
  /** Chunks or sweeps not hunted because no XSIAM query slot of the tenant freed up before the deadline (lambda/query-slots/). */
  querySlotUnavailable: 0,
} as const;

export type Counts = { readonly [K in keyof typeof ZERO]: number };
export type Counter = keyof Counts;
export const COUNTERS = Object.keys(ZERO) as readonly Counter[];

/** The counts with nothing counted yet. */
export const NO_COUNTS: Counts = ZERO;

/** `a` plus every count in each of `more`. */
export function addCounts(a: Counts, ...more: readonly Partial<Counts>[]): Counts {
  const sum: Record<Counter, number> = { ...a };
  for (const counts of more) for (const key of COUNTERS) sum[key] += counts[key] ?? 0;
  return sum;
}

export type RunStatus = 'completed' | 'partial' | 'up-to-date' | 'lease-held';

export interface RunSummary extends Counts {
  readonly runId: string;
  readonly huntId: string;
  readonly status: RunStatus;
  /** The time covered by this run (first chunk start to last committed chunk end), or null. */
  readonly window: TimeWindow | null;
  readonly expiredAllowlistEntries: string[];
  /** now − end of the covered time (ms) after this run, or null when nothing was ever covered. */
  readonly windowLagMs: number | null;
  readonly durationMs: number;
  /** The pairs this run notified, for the local CLI's output. */
  readonly notifications: TrackedFinding[];
  /** The incidents of the pairs this run notified (the latest state of each), for the local CLI's output. */
  readonly incidents: IncidentSummary[];
  /** Where history stood for the last chunk hunted (warming up, days covered); null when no chunk ran. */
  readonly history: HistoryStatus | null;
  /** Detection latency of the pairs notified (arrival in XSIAM → SNS accepted); null when none had a known arrival. */
  readonly detectionLatencyMs: LatencySummary | null;
  /**
   * Every due pair not suppressed, as the target check left it (sent, held below the minimum, or
   * what shadow would send), for the local CLI's output: one score whatever the threshold.
   */
  readonly checked: TrackedFinding[];
}

/** What a chunk (or a whole run so far) adds up to: counts, and the lists beside them. */
export interface Tally {
  readonly counts: Counts;
  readonly expiredAllowlistEntries: readonly string[];
  readonly notifications: readonly TrackedFinding[];
  readonly incidents?: readonly IncidentSummary[];
  /** The history status of the last chunk added. */
  readonly history?: HistoryStatus;
  /** Per notified pair with a known arrival: ms from arrival in XSIAM to SNS accepting it. */
  readonly latenciesMs?: readonly number[];
  /** Due pairs not suppressed, as the target check left them. */
  readonly checked?: readonly TrackedFinding[];
}

/** Detection latency of a run's notified pairs: arrival in XSIAM → SNS accepted (ms). */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  /**
   * The values for the EMF metric (CloudWatch takes at most 100 per metric and record): every value,
   * or past 100 a sample spread evenly from the fastest to the slowest, so the metric's max and
   * percentiles stay the run's (the fastest 100 alone would hide the slow tail).
   */
  readonly values: readonly number[];
}

/** The nearest-rank percentile `p` (0–100) of `sorted` (ascending, not empty). */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

function latencySummary(values: readonly number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? 0, values: spread(sorted, METRIC_VALUES) };
}

/** Values a metric of one EMF record holds (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html). */
const METRIC_VALUES = 100;

/** `sorted` itself when it has at most `limit` values, else `limit` of them evenly spread, first and last kept. */
function spread(sorted: readonly number[], limit: number): number[] {
  // Stryker disable next-line EqualityOperator: at exactly `limit` values the spread takes every one, as the copy does
  if (sorted.length <= limit) return [...sorted];
  return Array.from({ length: limit }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (limit - 1))] ?? 0);
}

/** A tally of just these counts. */
export function tallyOf(counts: Partial<Counts>): Tally {
  return { counts: addCounts(NO_COUNTS, counts), expiredAllowlistEntries: [], notifications: [] };
}

export function addTally(a: Tally, ...more: readonly Tally[]): Tally {
  return {
    counts: addCounts(a.counts, ...more.map((t) => t.counts)),
    expiredAllowlistEntries: [...new Set([...a.expiredAllowlistEntries, ...more.flatMap((t) => t.expiredAllowlistEntries)])],
    notifications: [...a.notifications, ...more.flatMap((t) => t.notifications)],
    incidents: latestIncidents([a, ...more]),
    ...lastHistory(a, more),
    latenciesMs: [a, ...more].flatMap((t) => t.latenciesMs ?? []),
    checked: [a, ...more].flatMap((t) => t.checked ?? []),
  };
}

function lastHistory(a: Tally, more: readonly Tally[]): { history?: HistoryStatus } {
  const history = [a, ...more].reverse().find((t) => t.history !== undefined)?.history;
  return history === undefined ? {} : { history };
}

export interface SummaryFacts {
  readonly runId: string;
  readonly huntId: string;
  readonly status: RunStatus;
  readonly window: TimeWindow | null;
  readonly windowLagMs: number | null;
  readonly durationMs: number;
}

export function summarise(facts: SummaryFacts, tally: Tally): RunSummary {
  const { runId, huntId, status, window, windowLagMs, durationMs } = facts;
  return {
    runId, huntId, status, window, ...tally.counts,
    expiredAllowlistEntries: [...tally.expiredAllowlistEntries],
    windowLagMs, durationMs, notifications: [...tally.notifications],
    incidents: latestIncidents([tally]),
    history: tally.history ?? null,
    detectionLatencyMs: latencySummary(tally.latenciesMs ?? []),
    checked: [...(tally.checked ?? [])],
  };
}

/** Incidents of several tallies, one per id: a later chunk's state of an incident replaces an earlier one. */
function latestIncidents(tallies: readonly Tally[]): IncidentSummary[] {
  const byId = new Map<string, IncidentSummary>();
  for (const t of tallies) for (const i of t.incidents ?? []) byId.set(i.id, i);
  return [...byId.values()];
}
