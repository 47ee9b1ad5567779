/** planWindows and explicitPlan at their edges: one ms inside and one outside each bound. */
import { describe, expect, it } from 'vitest';
import { explicitPlan, overlapFor, planWindows } from '../../lambda/windows.js';
import type { Checkpoint } from '../../lambda/ports.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = Date.UTC(2026, 10, 29, 12, 0, 0);
const settings = { initialLookbackMs: 24 * HOUR, overlapMs: 10 * MIN, ingestLagMs: 5 * MIN, maxLookbackMs: 72 * HOUR, maxWindowMs: 6 * HOUR };
const end = now - settings.ingestLagMs;
const floor = now - settings.maxLookbackMs;
const checkpointAt = (coveredUntil: number): Checkpoint => ({ coveredUntil, version: 3, lastRunStatus: 'ok', updatedAt: coveredUntil });

describe('planWindows: the maximum lookback', () => {
  it('first run: a lookback reaching exactly the floor skips nothing, 1 ms further skips that 1 ms', () => {
    const exact = planWindows(null, now, { ...settings, initialLookbackMs: end - floor });
    expect(exact).toMatchObject({ skipped: null, skippedMs: 0 });
    expect(exact.chunks[0]!.from).toBe(floor);
    const over = planWindows(null, now, { ...settings, initialLookbackMs: end - floor + 1 });
    expect(over).toMatchObject({ skipped: { from: floor - 1, to: floor }, skippedMs: 1 });
    expect(over.chunks[0]!.from).toBe(floor);
  });

  it('a checkpoint at the floor skips nothing (only the overlap is cut), 1 ms before it skips 1 ms', () => {
    const at = planWindows(checkpointAt(floor), now, settings);
    expect(at).toMatchObject({ skipped: null, skippedMs: 0 });
    expect(at.chunks[0]!.from).toBe(floor);
    const before = planWindows(checkpointAt(floor - 1), now, settings);
    expect(before).toMatchObject({ skipped: { from: floor - 1, to: floor }, skippedMs: 1 });
    expect(before.chunks[0]!.from).toBe(floor);
  });

  it('keeps the whole overlap when it ends exactly at the floor', () => {
    const plan = planWindows(checkpointAt(floor + settings.overlapMs), now, settings);
    expect(plan).toMatchObject({ skipped: null, skippedMs: 0 });
    expect(plan.chunks[0]!.from).toBe(floor);
    expect(planWindows(checkpointAt(floor + settings.overlapMs + 1), now, settings).chunks[0]!.from).toBe(floor + 1);
  });
});

describe('planWindows: nothing new to cover', () => {
  it('plans one chunk with its overlap when the checkpoint is 1 ms before the ingest-lag edge', () => {
    expect(planWindows(checkpointAt(end - 1), now, settings).chunks).toEqual([{ from: end - 1 - settings.overlapMs, to: end }]);
    expect(planWindows(checkpointAt(end + 1), now, settings)).toEqual({ chunks: [], skippedMs: 0, skipped: null });
  });

  it('reads no overlap for time not yet covered: a checkpoint past the edge gives a zero auto overlap', () => {
    expect(overlapFor(-5 * MIN, 'auto')).toBe(0);
    expect(overlapFor(4_999, 'auto')).toBe(0);
    expect(overlapFor(5_000, 'auto')).toBe(1_000);
  });
});

describe('explicitPlan', () => {
  it('splits a given window into chunks of at most the maximum, ending exactly at its end, skipping nothing', () => {
    expect(explicitPlan({ from: 0, to: 25 }, 10)).toEqual({ chunks: [{ from: 0, to: 10 }, { from: 10, to: 20 }, { from: 20, to: 25 }], skippedMs: 0, skipped: null });
    expect(explicitPlan({ from: 0, to: 20 }, 10).chunks).toEqual([{ from: 0, to: 10 }, { from: 10, to: 20 }]);
    expect(explicitPlan({ from: 5, to: 5 }, 10).chunks).toEqual([]);
  });
});
