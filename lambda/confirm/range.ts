/**
 * The time the confirmation query covers: from a little before the first source event (clock
 * skew between the two agents) to a few minutes after the last (WmiPrvSE starts the command
 * within seconds; minutes allow for a slow or busy target), never past now − ingest lag (events
 * still arriving), and never longer than a bound, so a pair recovered days later cannot make
 * one query scan days of data.
 */
import type { TimeWindow } from '../xsiam/index.js';
import type { ConfirmPair } from './types.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export interface ConfirmTiming {
  /** A target event may carry a time this much before the source event (agents' clocks differ). @default 60000 */
  readonly skewMs: number;
  /** A target event this long after the source event still confirms it. @default 300000 */
  readonly followMs: number;
  /** Longest range one confirmation query covers. @default 24 hours + follow + skew */
  readonly maxSpanMs: number;
}

export const DEFAULT_TIMING: ConfirmTiming = { skewMs: MINUTE, followMs: 5 * MINUTE, maxSpanMs: 24 * 60 * MINUTE + 6 * MINUTE };

/** When a target event must have started to confirm `pair`: [firstSeen − skew, lastSeen + follow]. */
export function pairWindow(pair: Pick<ConfirmPair, 'firstSeen' | 'lastSeen'>, timing: ConfirmTiming = DEFAULT_TIMING): TimeWindow {
  return { from: pair.firstSeen - timing.skewMs, to: pair.lastSeen + timing.followMs };
}

/**
 * The query range for `pairs`, whole seconds (the XQL timeframe has second precision), or null
 * when there is nothing to query (no pairs, or all of them newer than now − ingest lag).
 * When the pairs span more than `maxSpanMs`, the most recent part is kept.
 */
export function confirmationRange(pairs: readonly Pick<ConfirmPair, 'firstSeen' | 'lastSeen'>[], now: number, ingestLagMs: number, timing: ConfirmTiming = DEFAULT_TIMING): TimeWindow | null {
  // Stryker disable next-line ConditionalExpression: a shortcut; with no pairs `from` below is Infinity and `to` −Infinity, so null too
  if (pairs.length === 0) return null;
  const first = Math.min(...pairs.map((p) => p.firstSeen));
  const last = Math.max(...pairs.map((p) => p.lastSeen));
  const to = Math.min(Math.ceil((last + timing.followMs) / SECOND) * SECOND, Math.floor((now - ingestLagMs) / SECOND) * SECOND);
  const from = Math.max(Math.floor((first - timing.skewMs) / SECOND) * SECOND, to - timing.maxSpanMs);
  return from < to ? { from, to } : null;
}
