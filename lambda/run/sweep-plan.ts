/**
 * The late sweep's plan, pure: which sweeps a hunt has, whether one is due, the `_time` range it
 * reads and the XQL that selects rows by arrival.
 *
 * XSIAM's timeframe selects on `_time` ("The results for the time frame are based on times listed
 * in the _Time column"), so a row that arrives after its `_time` window was hunted is never read
 * again by the windows. A sweep reads the `_time` range the windows have passed (up to
 * `lateArrivalMs` back) and keeps only the rows whose `_insert_time` (the documented system field:
 * when the row was ingested) is after its last mark.
 * https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-3.x-Documentation/timeframe
 * https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-3.x-Documentation/fields (system fields)
 * The comparison uses `to_epoch(<timestamp>, "MILLIS")`, which "converts a timestamp value … to the
 * Unix epoch timestamp format": https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-3.x-Documentation/to_epoch
 */
import type { RunSettings, SweepMark } from '../ports.js';
import type { TimeWindow } from '../pipeline-types.js';
import { RunError } from './errors.js';
import { estimateUnits, fitBudget } from './sweep-budget.js';

/**
 * Rows that arrived in the last minute are left to the next sweep: the mark is the query's start
 * minus this, so a row indexed a little after its `_insert_time` (or a clock a little apart from
 * XSIAM's) is still read once. (Assumption: XSIAM does not document how soon after `_insert_time`
 * a row can be queried.)
 */
export const ARRIVAL_MARGIN_MS = 60_000;

/**
 * A sweep is due this much before its period is up: scheduled runs start a few seconds apart from
 * one period to the next, and an hourly sweep on a 15-minute schedule must not slip to 75 minutes
 * because this run started a second earlier than the last.
 */
export const DUE_SLACK_MS = 60_000;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SweepSpec {
  /** The mark's name in the run control state. */
  readonly name: string;
  /** Runs at most this often (0: every scheduled run). */
  readonly everyMs: number;
  /** Reads `_time` this far before the earliest arrival it hunts. */
  readonly horizonMs: number;
  /** The sweep that keeps the promise over the whole horizon: never narrowed by the budget (sweep-budget.ts). */
  readonly complete: boolean;
  /** Arrivals older than this behind now are no longer promised (a mark left for weeks), as the windows' maximum lookback. */
  readonly maxBacklogMs: number;
}

/**
 * The sweeps of a hunt, frequent first: none when `lateArrivalMs` is 0 or absent. Two tiers by
 * default: `recent` every `lateSweepEveryMs` over `lateSweepRecentMs` (most late events, found
 * soon, cheap) and `full` every `lateSweepFullEveryMs` over the whole horizon (every late event
 * within it). One `full` sweep every `lateSweepEveryMs` when the recent range reaches the horizon
 * (or is absent); only the daily one when it is 0. Each tier has its own mark.
 */
export function sweepSpecs(
  settings: Pick<RunSettings, 'lateArrivalMs' | 'lateSweepEveryMs' | 'lateSweepRecentMs' | 'lateSweepFullEveryMs'> & Partial<Pick<RunSettings, 'maxLookbackMs'>>,
): SweepSpec[] {
  const horizonMs = settings.lateArrivalMs ?? 0;
  if (horizonMs <= 0) return [];
  const recentMs = settings.lateSweepRecentMs ?? horizonMs;
  const everyMs = settings.lateSweepEveryMs ?? 0;
  const maxBacklogMs = settings.maxLookbackMs ?? horizonMs;
  if (recentMs >= horizonMs) return [{ name: 'full', everyMs, horizonMs, complete: true, maxBacklogMs }];
  const full: SweepSpec = { name: 'full', everyMs: settings.lateSweepFullEveryMs ?? DAY, horizonMs, complete: true, maxBacklogMs };
  return recentMs === 0 ? [full] : [{ name: 'recent', everyMs, horizonMs: recentMs, complete: false, maxBacklogMs }, full];
}

/** What the budget leaves this sweep: the day's units, what every sweep spent today, what is kept for another. */
export interface SweepUnits {
  readonly dailyUnits: number;
  readonly spentToday: number;
  readonly reserve: number;
}

/** The units a frequent sweep leaves for the full sweep while that one has not run today: its last cost. */
export function reserveFor(spec: SweepSpec, specs: readonly SweepSpec[], marks: ReadonlyMap<string, SweepMark | null>, today: string): number {
  if (spec.complete) return 0;
  return specs.filter((s) => s.complete).reduce((sum, s) => {
    const m = marks.get(s.name) ?? null;
    return sum + (m !== null && utcDay(m.sweptAt) !== today ? m.lastCost : 0);
  }, 0);
}

export type SweepDecision =
  /** First run: the mark starts here (arrivals before the hunt was deployed are not promised). */
  | { readonly kind: 'start' }
  | { readonly kind: 'not-due' }
  /** The budget cannot pay for it: the mark stays, the sweep runs when the units allow. */
  | { readonly kind: 'over-budget'; readonly spent: number }
  | { readonly kind: 'sweep'; readonly window: TimeWindow | null; readonly arrived: TimeWindow; readonly spent: number; readonly narrowed: boolean };

/**
 * What sweep `spec` does now, with the windows covered up to `coveredUntil`. It hunts the rows that
 * arrived after its mark, over `_time` from `horizonMs` before the earliest of those arrivals to
 * `coveredUntil` (newer `_time` is the windows' to read): so however late the sweep runs, a row
 * that arrived at most `horizonMs` after it happened is read. `window` is null when there is no
 * `_time` to read (the mark still advances). `spent` is this sweep's units today.
 */
export function decideSweep(spec: SweepSpec, mark: SweepMark | null, now: number, coveredUntil: number, units: SweepUnits): SweepDecision {
  if (mark === null) return { kind: 'start' };
  if (now - mark.sweptAt < spec.everyMs - DUE_SLACK_MS) return { kind: 'not-due' };
  const spent = mark.unitsDay === utcDay(now) ? mark.unitsSpent : 0;
  const arrived = { from: mark.arrivedUntil, to: Math.max(mark.arrivedUntil, now - ARRIVAL_MARGIN_MS) };
  const from = Math.max(arrived.from - spec.horizonMs, now - spec.horizonMs - spec.maxBacklogMs);
  if (!(coveredUntil > from && arrived.to > arrived.from)) return { kind: 'sweep', window: null, arrived, spent, narrowed: false };
  const hours = (coveredUntil - from) / HOUR;
  const verdict = fitBudget({ ...units, estimate: estimateUnits(mark, hours), hours, canNarrow: !spec.complete });
  if (verdict.kind === 'wait') return { kind: 'over-budget', spent };
  const narrowed = verdict.kind === 'narrow';
  const window = { from: narrowed ? coveredUntil - Math.round(verdict.hours * HOUR) : from, to: coveredUntil };
  return { kind: 'sweep', window, arrived, spent, narrowed };
}

/** The UTC day (`YYYY-MM-DD`) of epoch ms `ms`, for the daily budget. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The `dataset = xdr_data` stage: after a pipe (`config … | dataset = …`) or at the start of a line,
 * XQL's usual first stage (`dataset = xdr_data | filter …`).
 */
const DATASET_STAGE = /((?:^|\|)[ \t]*dataset\s*=\s*xdr_data\b[^\n|]*)/im;

/**
 * The hunt's XQL with a filter on arrival right after its dataset stage: rows whose
 * `_insert_time` is in (arrived.from, arrived.to].
 */
export function sweepXql(huntXql: string, arrived: TimeWindow): string {
  if (!DATASET_STAGE.test(huntXql)) throw new RunError('the late sweep needs the hunt XQL to name its dataset (| dataset = xdr_data)');
  const filter = `| filter to_epoch(_insert_time, "MILLIS") > ${Math.floor(arrived.from)} and to_epoch(_insert_time, "MILLIS") <= ${Math.floor(arrived.to)}`;
  return huntXql.replace(DATASET_STAGE, (stage) => `${stage}\n${filter}`);
}
