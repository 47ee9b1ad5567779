import { describe, expect, it } from 'vitest';
import { overlapFor, planWindows, scansPerMinute } from '../../lambda/windows.js';
import type { Checkpoint } from '../../lambda/ports.js';
import type { TimeWindow } from '../../lambda/pipeline-types.js';

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

describe('the automatic overlap (default)', () => {
  const auto = { ...settings, overlapMs: 'auto' as const, ingestLagMs: 2 * MIN };

  it.each([[5, 1.2], [15, 1.2], [60, 70 / 60], [24 * 60, (24 * 60 + 10) / (24 * 60)]])(
    'reads each minute at most 1.2 times on a %i-minute schedule', (period, expected) => {
      expect(scansPerMinute(period * MIN, 'auto')).toBeCloseTo(expected, 10);
      expect(scansPerMinute(period * MIN, 'auto')).toBeLessThanOrEqual(1.2);
    });

  it('is a fifth of the new time in whole seconds, at most ten minutes; a fixed overlap is kept as set', () => {
    expect(overlapFor(15 * MIN, 'auto')).toBe(3 * MIN);
    expect(overlapFor(7 * MIN + 1_234, 'auto')).toBe(84_000); // 0.2 × 421.234 s = 84.2468 s → 84 s
    expect(overlapFor(50 * MIN, 'auto')).toBe(10 * MIN);
    expect(overlapFor(50 * MIN + 5_000, 'auto')).toBe(10 * MIN);
    expect(overlapFor(49 * MIN + 55_000, 'auto')).toBe(9 * MIN + 59_000);
    expect(overlapFor(30 * HOUR, 'auto')).toBe(10 * MIN);
    expect(overlapFor(0, 'auto')).toBe(0);
    expect(overlapFor(15 * MIN, 10 * MIN)).toBe(10 * MIN);
    expect(overlapFor(15 * MIN, 0)).toBe(0);
    expect(scansPerMinute(15 * MIN, 10 * MIN)).toBeCloseTo(25 / 15, 10);
  });

  it('re-reads a fifth of a scheduled run\'s new time before the checkpoint', () => {
    const plan = planWindows(checkpointAt(now - 17 * MIN), now, auto);
    expect(plan.chunks).toEqual([{ from: now - 17 * MIN - 3 * MIN, to: now - 2 * MIN }]);
  });

  it.each([5, 15, 60])('chains without a gap over a day of %i-minute runs (some late, one missed) and reads ≤ 1.2× in all', (period) => {
    let checkpoint: Checkpoint | null = checkpointAt(now - 24 * HOUR);
    const first = checkpoint.coveredUntil;
    const covered: TimeWindow[] = [];
    let read = 0;
    for (let t = now - 24 * HOUR + period * MIN, i = 0; t <= now; t += period * MIN, i++) {
      if (i % 37 === 36) continue; // a run that never happened: the next one covers its time
      const at = t + (i % 5) * 7_000; // EventBridge fires a few seconds late
      const plan = planWindows(checkpoint, at, auto);
      for (const c of plan.chunks) { covered.push(c); read += c.to - c.from; }
      const last = plan.chunks.at(-1);
      if (last) checkpoint = checkpointAt(last.to);
    }
    covered.sort((a, b) => a.from - b.from);
    let reach = first;
    for (const c of covered) { expect(c.from).toBeLessThanOrEqual(reach); reach = Math.max(reach, c.to); }
    const span = checkpoint.coveredUntil - first;
    expect(read / span).toBeLessThanOrEqual(1.2 + 1e-9);
    expect(read / span).toBeGreaterThan(1);
  });
});
