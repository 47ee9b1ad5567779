/**
 * The late sweeps' daily budget (`dailyQueryUnits`), pure: whether a due sweep reads its whole
 * `_time` range, a narrower one, or waits.
 *
 * XSIAM bills a query by the data it scans, so a sweep's units follow the hours of `_time` it
 * reads: the next query is estimated from the last one's units per hour (or its units alone in a
 * mark written before hours were kept). When the day's units left cannot pay for the whole range:
 * - the frequent sweep narrows to the most recent hours the units pay for (at least
 *   MIN_NARROW_HOURS); events later than that are left to the full sweep, which keeps the promise;
 * - the full sweep never narrows (that would lose events inside the horizon): it waits, its mark
 *   kept, and runs when the units allow (at the latest the next UTC day), its range widened to the
 *   arrivals it has not read. So it runs rarer, never loses what it would have read.
 * The frequent sweep also leaves the full sweep's last cost unspent while that one has not run
 * today. Narrowed and waiting sweeps are both counted (`lateSweepsOverBudget`) and alarmed.
 */

/** A frequent sweep is not narrowed below this many hours of `_time`; it waits instead. */
export const MIN_NARROW_HOURS = 1;

export interface BudgetInput {
  /** Query units the sweeps may spend a UTC day; 0: no budget. */
  readonly dailyUnits: number;
  /** Units every sweep of the hunt spent today. */
  readonly spentToday: number;
  /** Units kept for another sweep still due today (the full sweep's last cost), 0 when none. */
  readonly reserve: number;
  /** The units this sweep's whole range would cost. */
  readonly estimate: number;
  /** The hours of `_time` that range reads. */
  readonly hours: number;
  /** Whether the sweep may read fewer hours (the frequent sweep) or must wait (the full sweep). */
  readonly canNarrow: boolean;
}

export type BudgetVerdict =
  | { readonly kind: 'whole' }
  /** Read only the last `hours` of the range. */
  | { readonly kind: 'narrow'; readonly hours: number }
  | { readonly kind: 'wait' };

export function fitBudget(input: BudgetInput): BudgetVerdict {
  const { dailyUnits, spentToday, reserve, estimate, hours, canNarrow } = input;
  if (dailyUnits <= 0) return { kind: 'whole' };
  const left = dailyUnits - spentToday - reserve;
  if (left <= 0) return { kind: 'wait' };
  if (estimate <= left) return { kind: 'whole' };
  if (!canNarrow) return { kind: 'wait' };
  // Whole minutes, rounded down: the narrowed query must fit.
  const narrowed = Math.floor((hours * left * 60) / estimate) / 60;
  return narrowed >= MIN_NARROW_HOURS ? { kind: 'narrow', hours: narrowed } : { kind: 'wait' };
}

/** Units the next query over `hours` would cost, from the last one (`lastHours` absent: its cost as it was). */
export function estimateUnits(last: { readonly lastCost: number; readonly lastHours?: number }, hours: number): number {
  if (last.lastHours === undefined || last.lastHours <= 0) return last.lastCost;
  return (last.lastCost / last.lastHours) * hours;
}
