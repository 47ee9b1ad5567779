/** The late sweep's plan, pure: its tiers, when one is due, what it reads, the budget, and its XQL. */
import { describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import { SEED_XQL } from '../../lambda/hunts/index.js';
import { estimateUnits, fitBudget, MIN_NARROW_HOURS } from '../../lambda/run/sweep-budget.js';
import { ARRIVAL_MARGIN_MS, decideSweep, DUE_SLACK_MS, sweepSpecs, sweepXql, utcDay, type SweepSpec } from '../../lambda/run/sweep-plan.js';
import type { SweepMark } from '../../lambda/ports.js';
import { parseXql } from '../../local/xql/index.js';

const T = Date.UTC(2026, 11, 6, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const spec: SweepSpec = { name: 'full', everyMs: HOUR, horizonMs: 72 * HOUR, complete: true, maxBacklogMs: 72 * HOUR };
const recent: SweepSpec = { name: 'recent', everyMs: HOUR, horizonMs: 6 * HOUR, complete: false, maxBacklogMs: 72 * HOUR };
const NO_BUDGET = { dailyUnits: 0, spentToday: 0, reserve: 0 };
const mark = (over: Partial<SweepMark> = {}): SweepMark => ({
  arrivedUntil: T - HOUR, sweptAt: T - HOUR, unitsDay: utcDay(T), unitsSpent: 1, lastCost: 0.5, version: 3, updatedAt: T - HOUR, ...over,
});

describe('decideSweep', () => {
  it('starts the mark on the first run, waits until due, then reads by arrival from the horizon before the earliest arrival', () => {
    expect(decideSweep(spec, null, T, T - 5 * MIN, NO_BUDGET)).toEqual({ kind: 'start' });
    expect(decideSweep(spec, mark({ sweptAt: T - 30 * MIN }), T, T - 5 * MIN, NO_BUDGET)).toEqual({ kind: 'not-due' });
    expect(decideSweep(spec, mark(), T, T - 5 * MIN, NO_BUDGET)).toEqual({
      kind: 'sweep', window: { from: T - 73 * HOUR, to: T - 5 * MIN }, arrived: { from: T - HOUR, to: T - ARRIVAL_MARGIN_MS }, spent: 1, narrowed: false,
    });
  });

  it('is due a minute before its period is up, so a run that starts a little early does not put it off a whole run', () => {
    expect(decideSweep(spec, mark({ sweptAt: T - HOUR + DUE_SLACK_MS }), T, T - 5 * MIN, NO_BUDGET)).toMatchObject({ kind: 'sweep' });
    expect(decideSweep(spec, mark({ sweptAt: T - HOUR + DUE_SLACK_MS + 1 }), T, T - 5 * MIN, NO_BUDGET)).toEqual({ kind: 'not-due' });
  });

  it('reads a full day more when the daily sweep runs a day after its mark, and no further back than the maximum lookback', () => {
    const daily = { ...spec, everyMs: 24 * HOUR };
    expect(decideSweep(daily, mark({ arrivedUntil: T - 24 * HOUR, sweptAt: T - 24 * HOUR }), T, T - 2 * MIN, NO_BUDGET))
      .toMatchObject({ kind: 'sweep', window: { from: T - 96 * HOUR, to: T - 2 * MIN } });
    expect(decideSweep(daily, mark({ arrivedUntil: T - 30 * 24 * HOUR, sweptAt: T - 30 * 24 * HOUR }), T, T - 2 * MIN, NO_BUDGET))
      .toMatchObject({ kind: 'sweep', window: { from: T - 144 * HOUR } });
  });

  it('puts off a sweep the daily budget cannot pay for; a new UTC day starts from zero', () => {
    expect(decideSweep(spec, mark(), T, T - 5 * MIN, { dailyUnits: 1.2, spentToday: 1, reserve: 0 })).toEqual({ kind: 'over-budget', spent: 1 });
    expect(decideSweep(spec, mark({ unitsDay: '2026-12-05' }), T, T - 5 * MIN, { dailyUnits: 1.2, spentToday: 0, reserve: 0 })).toMatchObject({ kind: 'sweep', spent: 0 });
  });
});

describe('the budget at its edges (units per hour from the last query)', () => {
  // The last query read 7 hours for 70 units: 10 units an hour. The next reads 6 hours: 60 units.
  const last = mark({ arrivedUntil: T - HOUR, lastCost: 70, lastHours: 7, unitsSpent: 0 });
  const budget = (spentToday: number, reserve = 0): { dailyUnits: number; spentToday: number; reserve: number } => ({ dailyUnits: 100, spentToday, reserve });
  const coveredUntil = T - 1 * HOUR; // recent reads [T − 7 h, T − 1 h): 6 hours, 60 units

  it('reads the whole range when it fits to the unit, narrows (frequent) or waits (full) one unit past it', () => {
    expect(decideSweep(recent, last, T, coveredUntil, budget(40))).toMatchObject({ kind: 'sweep', narrowed: false, window: { from: T - 7 * HOUR, to: coveredUntil } });
    expect(decideSweep(recent, last, T, coveredUntil, budget(41))).toMatchObject({ kind: 'sweep', narrowed: true, window: { from: coveredUntil - 5.9 * HOUR, to: coveredUntil } });
    expect(decideSweep({ ...recent, complete: true }, last, T, coveredUntil, budget(40))).toMatchObject({ kind: 'sweep', narrowed: false });
    expect(decideSweep({ ...recent, complete: true }, last, T, coveredUntil, budget(41))).toEqual({ kind: 'over-budget', spent: 0 });
  });

  it('counts what is kept for the full sweep as spent', () => {
    expect(decideSweep(recent, last, T, coveredUntil, budget(20, 20))).toMatchObject({ kind: 'sweep', narrowed: false });
    expect(decideSweep(recent, last, T, coveredUntil, budget(20, 21))).toMatchObject({ kind: 'sweep', narrowed: true });
  });

  it('narrows to whole minutes no shorter than an hour; one unit less waits', () => {
    expect(fitBudget({ dailyUnits: 100, spentToday: 90, reserve: 0, estimate: 60, hours: 6, canNarrow: true })).toEqual({ kind: 'narrow', hours: MIN_NARROW_HOURS });
    expect(fitBudget({ dailyUnits: 100, spentToday: 91, reserve: 0, estimate: 60, hours: 6, canNarrow: true })).toEqual({ kind: 'wait' });
    expect(fitBudget({ dailyUnits: 100, spentToday: 87, reserve: 0, estimate: 70, hours: 7, canNarrow: true })).toEqual({ kind: 'narrow', hours: 1.3 });
    expect(fitBudget({ dailyUnits: 100, spentToday: 100, reserve: 0, estimate: 0, hours: 7, canNarrow: true })).toEqual({ kind: 'wait' });
    expect(fitBudget({ dailyUnits: 100, spentToday: 99, reserve: 0, estimate: 0, hours: 7, canNarrow: false })).toEqual({ kind: 'whole' });
    expect(fitBudget({ dailyUnits: 0, spentToday: 1e9, reserve: 1e9, estimate: 1e9, hours: 7, canNarrow: false })).toEqual({ kind: 'whole' });
  });

  it('estimates from the last cost per hour, or the last cost alone in an older mark', () => {
    expect(estimateUnits({ lastCost: 70, lastHours: 7 }, 96)).toBe(960);
    expect(estimateUnits({ lastCost: 0.5 }, 96)).toBe(0.5);
    expect(estimateUnits({ lastCost: 0.5, lastHours: 0 }, 96)).toBe(0.5);
  });
});

describe('sweepSpecs', () => {
  it('has a frequent and a full tier by default, each with its own mark', () => {
    expect(sweepSpecs(defaultRunSettings())).toEqual([
      { name: 'recent', everyMs: HOUR, horizonMs: 6 * HOUR, complete: false, maxBacklogMs: 72 * HOUR },
      { name: 'full', everyMs: 24 * HOUR, horizonMs: 72 * HOUR, complete: true, maxBacklogMs: 72 * HOUR },
    ]);
  });

  it('has one sweep over the horizon when the recent range reaches it, only the full one at 0, none when lateArrivalHours is 0', () => {
    expect(sweepSpecs({ lateArrivalMs: 0, lateSweepEveryMs: 0 })).toEqual([]);
    expect(sweepSpecs({ lateArrivalMs: 48 * HOUR, lateSweepEveryMs: 0 })).toEqual([{ name: 'full', everyMs: 0, horizonMs: 48 * HOUR, complete: true, maxBacklogMs: 48 * HOUR }]);
    expect(sweepSpecs({ lateArrivalMs: 48 * HOUR, lateSweepEveryMs: 0, lateSweepRecentMs: 48 * HOUR })).toHaveLength(1);
    expect(sweepSpecs({ lateArrivalMs: 48 * HOUR, lateSweepEveryMs: 0, lateSweepRecentMs: 0, lateSweepFullEveryMs: 720 * MIN }))
      .toEqual([{ name: 'full', everyMs: 720 * MIN, horizonMs: 48 * HOUR, complete: true, maxBacklogMs: 48 * HOUR }]);
  });
});

describe('sweepXql', () => {
  it('adds the documented to_epoch comparison on _insert_time right after the dataset stage', () => {
    const xql = sweepXql(SEED_XQL, { from: 1000, to: 2000 });
    expect(xql).toContain('| dataset = xdr_data \n| filter to_epoch(_insert_time, "MILLIS") > 1000 and to_epoch(_insert_time, "MILLIS") <= 2000\n| filter event_type');
    expect(parseXql(xql).stages.length).toBe(parseXql(SEED_XQL).stages.length + 1);
  });
});
