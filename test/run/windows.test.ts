import { describe, expect, it } from 'vitest';
import { planWindows } from '../../lambda/windows.js';
import type { Checkpoint } from '../../lambda/ports.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const settings = { initialLookbackMs: 24 * HOUR, overlapMs: 10 * MIN, ingestLagMs: 5 * MIN, maxLookbackMs: 72 * HOUR, maxWindowMs: 6 * HOUR };
const now = Date.UTC(2026, 10, 29, 12, 0, 0);
const checkpointAt = (coveredUntil: number): Checkpoint => ({ coveredUntil, version: 3, lastRunStatus: 'ok', updatedAt: coveredUntil });

describe('planWindows', () => {
  it('looks back the initial span on the first run, in chunks, ending at now minus the ingest lag', () => {
    const plan = planWindows(null, now, settings);
    expect(plan.chunks[0]!.from).toBe(now - 5 * MIN - 24 * HOUR);
    expect(plan.chunks.at(-1)!.to).toBe(now - 5 * MIN);
    expect(plan.chunks).toHaveLength(4);
    expect(plan.skippedMs).toBe(0);
  });

  it('re-reads the overlap before the checkpoint and leaves no gap between chunks', () => {
    const plan = planWindows(checkpointAt(now - 20 * MIN), now, settings);
    expect(plan.chunks).toEqual([{ from: now - 30 * MIN, to: now - 5 * MIN }]);
  });

  it('catches up after an outage in chunks no longer than the maximum window', () => {
    const plan = planWindows(checkpointAt(now - 30 * HOUR), now, settings);
    for (let i = 1; i < plan.chunks.length; i++) expect(plan.chunks[i]!.from).toBe(plan.chunks[i - 1]!.to);
    expect(plan.chunks.every((c) => c.to - c.from <= 6 * HOUR)).toBe(true);
    expect(plan.chunks[0]!.from).toBe(now - 30 * HOUR - 10 * MIN);
    expect(plan.chunks).toHaveLength(6);
  });

  it('skips and reports only never-covered time older than the maximum lookback', () => {
    const plan = planWindows(checkpointAt(now - 100 * HOUR), now, settings);
    expect(plan.skipped).toEqual({ from: now - 100 * HOUR, to: now - 72 * HOUR });
    expect(plan.skippedMs).toBe(28 * HOUR);
    expect(plan.chunks[0]!.from).toBe(now - 72 * HOUR);
  });

  it('plans nothing when the checkpoint is already at or past the ingest-lag edge', () => {
    expect(planWindows(checkpointAt(now - 5 * MIN), now, settings).chunks).toEqual([]);
    expect(planWindows(checkpointAt(now), now, settings).chunks).toEqual([]);
  });
});
