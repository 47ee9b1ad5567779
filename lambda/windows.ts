/**
 * Which time the next run covers. Pure: the checkpoint and the clock in, a plan out.
 *
 * Windows are half-open [from, to). A run covers from the checkpoint (minus an overlap, for
 * events a little late) to now minus the ingest lag; the very first run looks back a configured
 * span. The late sweep (run/sweep.ts) hunts what arrives later, so the overlap need not be long:
 * by default (`'auto'`) it is a fifth of the new time the run covers, at most ten minutes, so each
 * minute is read at most 1.2 times at any schedule (see `overlapFor`). After an outage the uncovered time is split into chunks of at most `maxWindowMs`, and
 * anything older than `maxLookbackMs` is skipped — reported, never hidden.
 */
import type { Checkpoint, RunSettings } from './ports.js';
import type { TimeWindow } from './pipeline-types.js';

export interface WindowPlan {
  /** Chunks to query in order; empty when the hunt is already up to date. */
  readonly chunks: TimeWindow[];
  /** Uncovered time dropped because it was older than the maximum lookback (ms). */
  readonly skippedMs: number;
  /** The skipped span itself, when there is one. */
  readonly skipped: TimeWindow | null;
}

/** The automatic overlap: this share of the new time a run covers… */
export const AUTO_OVERLAP_SHARE = 0.2;
/** …and never more than this (a catch-up after an outage re-reads no more than a scheduled run). */
export const AUTO_OVERLAP_MAX_MS = 10 * 60_000;

/**
 * How much before the checkpoint a run re-reads when it covers `newMs` of new time: the fixed
 * `overlapMs`, or with `'auto'` a fifth of `newMs` (whole seconds), at most AUTO_OVERLAP_MAX_MS.
 */
export function overlapFor(newMs: number, overlapMs: RunSettings['overlapMs']): number {
  if (overlapMs !== 'auto') return overlapMs;
  return Math.min(AUTO_OVERLAP_MAX_MS, Math.floor((Math.max(0, newMs) * AUTO_OVERLAP_SHARE) / 1000) * 1000);
}

/** How many times a run every `periodMs` reads each minute of `_time` (steady state: (period + overlap) / period). */
export function scansPerMinute(periodMs: number, overlapMs: RunSettings['overlapMs']): number {
  return (periodMs + overlapFor(periodMs, overlapMs)) / periodMs;
}

type WindowSettings = Pick<RunSettings, 'initialLookbackMs' | 'overlapMs' | 'ingestLagMs' | 'maxLookbackMs' | 'maxWindowMs'>;

export function planWindows(checkpoint: Checkpoint | null, now: number, settings: WindowSettings): WindowPlan {
  const end = now - settings.ingestLagMs;
  const floor = now - settings.maxLookbackMs;
  const coveredUntil = checkpoint?.coveredUntil ?? null;
  let start = coveredUntil === null ? end - settings.initialLookbackMs : coveredUntil - overlapFor(end - coveredUntil, settings.overlapMs);

  let skipped: TimeWindow | null = null;
  // Stryker disable next-line EqualityOperator: at start === floor the block skips nothing and sets start to floor: the same plan
  if (start < floor) {
    // Only time never covered counts as skipped; the overlap re-read is not a gap.
    const gapStart = coveredUntil === null ? start : Math.max(start, coveredUntil);
    if (gapStart < floor) skipped = { from: gapStart, to: floor };
    start = floor;
  }
  // Nothing new to cover (a run right after the last one): don't re-read the overlap alone.
  const chunks = coveredUntil !== null && end <= coveredUntil ? [] : split(start, end, settings.maxWindowMs);
  return { chunks, skippedMs: skipped ? skipped.to - skipped.from : 0, skipped };
}

/** A given window split into chunks of at most `maxWindowMs` (backfills and local runs). */
export function explicitPlan(window: TimeWindow, maxWindowMs: number): WindowPlan {
  return { chunks: split(window.from, window.to, maxWindowMs), skippedMs: 0, skipped: null };
}

function split(from: number, to: number, maxWindowMs: number): TimeWindow[] {
  const chunks: TimeWindow[] = [];
  for (let start = from; start < to; start += maxWindowMs) chunks.push({ from: start, to: Math.min(start + maxWindowMs, to) });
  return chunks;
}
