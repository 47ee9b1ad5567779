/** UTC day numbers: the unit history counts in. Pure. */
import type { TimeWindow } from '../pipeline-types.js';
import { DAY_MS } from './types.js';

/** The UTC day (epoch ms / 86,400,000, floored) of an instant. */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** Every UTC day the half-open window [from, to) touches. */
export function daysOfWindow(window: TimeWindow): number[] {
  if (!(window.to > window.from)) return [];
  const days: number[] = [];
  for (let d = dayOf(window.from); d <= dayOf(window.to - 1); d++) days.push(d);
  return days;
}

/**
 * The chunk's own day, the day history is judged from: the day of the window's last instant.
 * Only days before it count, so hunting the same chunk again gives the same verdict.
 */
export function referenceDay(window: TimeWindow): number {
  return dayOf(window.to - 1);
}

/** How many of `days` fall in the baseline: the `baselineDays` days before `refDay`. */
export function daysInBaseline(days: readonly number[], refDay: number, baselineDays: number): number {
  let n = 0;
  for (const d of days) if (d < refDay && d >= refDay - baselineDays) n++;
  return n;
}

/** Ascending distinct union of two day lists, keeping only the newest `keep` (oldest dropped). */
export function mergeDays(a: readonly number[], b: readonly number[], keep: number): number[] {
  const all = [...new Set([...a, ...b])].sort((x, y) => x - y);
  // undefined when there are no days: the filter then runs over none
  const newest = all[all.length - 1] as number;
  // Days older than the kept span are dropped even when there are few entries: they never count again.
  // The span holds at most `keep` distinct whole days, so nothing more is cut.
  return all.filter((d) => d > newest - keep);
}
