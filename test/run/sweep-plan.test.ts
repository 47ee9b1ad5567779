/** The late sweep's plan, pure: when it is due, what it reads, the budget, and its XQL. */
import { describe, expect, it } from 'vitest';
import { SEED_XQL } from '../../lambda/hunts/index.js';
import { ARRIVAL_MARGIN_MS, decideSweep, sweepSpecs, sweepXql, utcDay } from '../../lambda/run/sweep-plan.js';
import type { SweepMark } from '../../lambda/ports.js';
import { parseXql } from '../../local/xql/index.js';

const T = Date.UTC(2026, 11, 6, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const spec = { name: 'full', everyMs: HOUR, horizonMs: 72 * HOUR };
const mark = (over: Partial<SweepMark> = {}): SweepMark => ({
  arrivedUntil: T - HOUR, sweptAt: T - HOUR, unitsDay: utcDay(T), unitsSpent: 1, lastCost: 0.5, version: 3, updatedAt: T - HOUR, ...over,
});

describe('decideSweep', () => {
  it('starts the mark on the first run, waits until due, then reads the passed _time by arrival', () => {
    expect(decideSweep(spec, null, T, T - 5 * MIN, 0)).toEqual({ kind: 'start' });
    expect(decideSweep(spec, mark({ sweptAt: T - 30 * MIN }), T, T - 5 * MIN, 0)).toEqual({ kind: 'not-due' });
    expect(decideSweep(spec, mark(), T, T - 5 * MIN, 0)).toEqual({
      kind: 'sweep', window: { from: T - 72 * HOUR, to: T - 5 * MIN }, arrived: { from: T - HOUR, to: T - ARRIVAL_MARGIN_MS }, spent: 1,
    });
  });

  it('skips a sweep the daily budget cannot pay for; a new UTC day starts from zero', () => {
    expect(decideSweep(spec, mark(), T, T - 5 * MIN, 1.2)).toEqual({ kind: 'over-budget', spent: 1 });
    expect(decideSweep(spec, mark({ unitsDay: '2026-12-05' }), T, T - 5 * MIN, 1.2)).toMatchObject({ kind: 'sweep', spent: 0 });
  });

  it('has no sweep when lateArrivalHours is 0', () => {
    expect(sweepSpecs({ lateArrivalMs: 0, lateSweepEveryMs: 0 })).toEqual([]);
    expect(sweepSpecs({ lateArrivalMs: 48 * HOUR, lateSweepEveryMs: 0 })).toEqual([{ name: 'full', everyMs: 0, horizonMs: 48 * HOUR }]);
  });
});

describe('sweepXql', () => {
  it('adds the documented to_epoch comparison on _insert_time right after the dataset stage', () => {
    const xql = sweepXql(SEED_XQL, { from: 1000, to: 2000 });
    expect(xql).toContain('| dataset = xdr_data \n| filter to_epoch(_insert_time, "MILLIS") > 1000 and to_epoch(_insert_time, "MILLIS") <= 2000\n| filter event_type');
    expect(parseXql(xql).stages.length).toBe(parseXql(SEED_XQL).stages.length + 1);
  });
});
