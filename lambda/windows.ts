/**
 * Which time the next run covers. Pure: the checkpoint and the clock in, a plan out.
 *
 * Windows are half-open [from, to). A run covers from the checkpoint (minus an overlap, for
 * late-arriving events) to now minus the ingest lag; the very first run looks back a configured
 * span. After an outage the uncovered time is split into chunks of at most `maxWindowMs`, and
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

type WindowSettings = Pick<RunSettings, 'initialLookbackMs' | 'overlapMs' | 'ingestLagMs' | 'maxLookbackMs' | 'maxWindowMs'>;

export function planWindows(checkpoint: Checkpoint | null, now: number, settings: WindowSettings): WindowPlan {
  const end = now - settings.ingestLagMs;
  const floor = now - settings.maxLookbackMs;
  const coveredUntil = checkpoint?.coveredUntil ?? null;
  let start = coveredUntil === null ? end - settings.initialLookbackMs : coveredUntil - settings.overlapMs;

  let skipped: TimeWindow | null = null;
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
