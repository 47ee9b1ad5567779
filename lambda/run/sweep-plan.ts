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

/**
 * Rows that arrived in the last minute are left to the next sweep: the mark is the query's start
 * minus this, so a row indexed a little after its `_insert_time` (or a clock a little apart from
 * XSIAM's) is still read once. (Assumption: XSIAM does not document how soon after `_insert_time`
 * a row can be queried.)
 */
export const ARRIVAL_MARGIN_MS = 60_000;

export interface SweepSpec {
  /** The mark's name in the run control state. */
  readonly name: string;
  /** Runs at most this often (0: every scheduled run). */
  readonly everyMs: number;
  /** Reads `_time` this far behind now. */
  readonly horizonMs: number;
}

/** The sweeps of a hunt: none when `lateArrivalMs` is 0 or absent. */
export function sweepSpecs(settings: Pick<RunSettings, 'lateArrivalMs' | 'lateSweepEveryMs'>): SweepSpec[] {
  const horizonMs = settings.lateArrivalMs ?? 0;
  if (horizonMs <= 0) return [];
  return [{ name: 'full', everyMs: settings.lateSweepEveryMs ?? 0, horizonMs }];
}

export type SweepDecision =
  /** First run: the mark starts here (arrivals before the hunt was deployed are not promised). */
  | { readonly kind: 'start' }
  | { readonly kind: 'not-due' }
  | { readonly kind: 'over-budget'; readonly spent: number }
  | { readonly kind: 'sweep'; readonly window: TimeWindow | null; readonly arrived: TimeWindow; readonly spent: number };

/**
 * What sweep `spec` does now, with the windows covered up to `coveredUntil`. `window` is null when
 * there is no `_time` to read (the mark still advances).
 */
export function decideSweep(
  spec: SweepSpec, mark: SweepMark | null, now: number, coveredUntil: number, budget: number,
): SweepDecision {
  if (mark === null) return { kind: 'start' };
  if (now - mark.sweptAt < spec.everyMs) return { kind: 'not-due' };
  const spent = mark.unitsDay === utcDay(now) ? mark.unitsSpent : 0;
  // The last query's cost is the estimate of the next one (the same range is scanned).
  if (budget > 0 && spent + mark.lastCost > budget) return { kind: 'over-budget', spent };
  const arrived = { from: mark.arrivedUntil, to: Math.max(mark.arrivedUntil, now - ARRIVAL_MARGIN_MS) };
  const from = now - spec.horizonMs;
  const window = coveredUntil > from && arrived.to > arrived.from ? { from, to: coveredUntil } : null;
  return { kind: 'sweep', window, arrived, spent };
}

/** The UTC day (`YYYY-MM-DD`) of epoch ms `ms`, for the daily budget. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DATASET_STAGE = /(\|\s*dataset\s*=\s*xdr_data\b[^\n|]*)/i;

/**
 * The hunt's XQL with a filter on arrival right after its dataset stage: rows whose
 * `_insert_time` is in (arrived.from, arrived.to].
 */
export function sweepXql(huntXql: string, arrived: TimeWindow): string {
  if (!DATASET_STAGE.test(huntXql)) throw new RunError('the late sweep needs the hunt XQL to name its dataset (| dataset = xdr_data)');
  const filter = `| filter to_epoch(_insert_time, "MILLIS") > ${Math.floor(arrived.from)} and to_epoch(_insert_time, "MILLIS") <= ${Math.floor(arrived.to)}`;
  return huntXql.replace(DATASET_STAGE, (stage) => `${stage}\n${filter}`);
}
