/**
 * The pairs one chunk confirms, split by when they happened. A pair found late (a laptop that
 * uploaded its events a day later, a sweep reading rows that arrived late) launched hours before
 * the run, and its target's WmiPrvSE child started then too: its query must cover
 * [its source event − skew, its source event + follow], wherever the run's window is. One range
 * over an on-time pair and a 30-hour-late one would scan 30 hours (XSIAM bills by data scanned)
 * and be cut to the most recent 24 h, losing the late pair; so pairs whose times lie more than
 * `JOIN_GAP_MS` apart get separate queries, each bounded as range.ts says.
 */
import type { TimeWindow } from '../xsiam/index.js';
import { confirmationRange, DEFAULT_TIMING, pairWindow, type ConfirmTiming } from './range.js';
import type { ConfirmPair } from './types.js';

const MINUTE = 60_000;

/**
 * Pairs whose windows are at most this far apart share one query: an hour keeps an ordinary
 * run's pairs and the awaiting ones of the horizon in one query, as before.
 */
export const JOIN_GAP_MS = 60 * MINUTE;

/** Most separate confirmation queries (groups) one chunk starts; the oldest groups beyond wait. */
export const MAX_CONFIRM_GROUPS = 6;

export interface ConfirmGroup<P> {
  readonly pairs: readonly P[];
  /** The range to query, or null when all of it is newer than now − ingest lag. */
  readonly range: TimeWindow | null;
}

type Timed = Pick<ConfirmPair, 'firstSeen' | 'lastSeen'>;

/**
 * `pairs` grouped, the most recent group first: a pair joins the group before it when its window
 * ends at most `JOIN_GAP_MS` before the group's start and the group stays within `maxSpanMs`.
 */
export function confirmationGroups<P extends Timed>(pairs: readonly P[], now: number, ingestLagMs: number, timing: ConfirmTiming = DEFAULT_TIMING): ConfirmGroup<P>[] {
  const sorted = [...pairs].sort((a, b) => b.lastSeen - a.lastSeen || b.firstSeen - a.firstSeen);
  const groups: { pairs: P[]; from: number; to: number }[] = [];
  for (const p of sorted) {
    const w = pairWindow(p, timing);
    const last = groups[groups.length - 1];
    if (last !== undefined && w.to >= last.from - JOIN_GAP_MS && last.to - Math.min(last.from, w.from) <= timing.maxSpanMs) {
      last.pairs.push(p);
      last.from = Math.min(last.from, w.from);
    } else {
      groups.push({ pairs: [p], from: w.from, to: w.to });
    }
  }
  return groups.map((g) => ({ pairs: g.pairs, range: confirmationRange(g.pairs, now, ingestLagMs, timing) }));
}
