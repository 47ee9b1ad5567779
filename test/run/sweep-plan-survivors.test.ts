/**
 * The late sweep's plan at its edges (lambda/run/sweep-plan.ts): the units the frequent sweep leaves
 * for the full one, when a due sweep has no `_time` or no arrivals to read (its mark still moves),
 * and a hunt XQL the arrival filter cannot be put into.
 */
import { describe, expect, it } from 'vitest';
import { SEED_XQL } from '../../lambda/hunts/index.js';
import type { SweepMark } from '../../lambda/ports.js';
import { RunError } from '../../lambda/run/index.js';
import { ARRIVAL_MARGIN_MS, decideSweep, reserveFor, sweepSpecs, sweepXql, type SweepSpec } from '../../lambda/run/sweep-plan.js';
import { parseXql } from '../../local/xql/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T = Date.UTC(2026, 11, 6, 12, 0, 0);
const MIDNIGHT = Date.UTC(2026, 11, 6, 0, 0, 0);
const TODAY = '2026-12-06';
const NO_BUDGET = { dailyUnits: 0, spentToday: 0, reserve: 0 };

const mark = (over: Partial<SweepMark> = {}): SweepMark => ({
  arrivedUntil: T - HOUR, sweptAt: T - HOUR, unitsDay: TODAY, unitsSpent: 1, lastCost: 0.5, lastHours: 7, version: 3, updatedAt: T - HOUR, ...over,
});

describe('reserveFor: what the frequent sweep leaves for the full sweep', () => {
  const specs = sweepSpecs({ lateArrivalMs: 72 * HOUR, lateSweepEveryMs: HOUR, lateSweepRecentMs: 6 * HOUR, lateSweepFullEveryMs: 24 * HOUR });
  const [recent, full] = specs as [SweepSpec, SweepSpec];
  // The recent sweep's own last cost is never kept for itself: only the full sweep's counts.
  const marks = (fullSweptAt: number | null): Map<string, SweepMark | null> => new Map([
    ['recent', mark({ sweptAt: MIDNIGHT - 1, lastCost: 5 })],
    ['full', fullSweptAt === null ? null : mark({ sweptAt: fullSweptAt, lastCost: 7 })],
  ]);

  it('keeps the full sweep\'s last cost while it has not run today (it last ran a ms before midnight)', () => {
    expect(reserveFor(recent, specs, marks(MIDNIGHT - 1), TODAY)).toBe(7);
  });

  it('keeps nothing once the full sweep ran today (at midnight), nor before it ever ran', () => {
    expect(reserveFor(recent, specs, marks(MIDNIGHT), TODAY)).toBe(0);
    expect(reserveFor(recent, specs, marks(null), TODAY)).toBe(0);
  });

  it('keeps nothing for the full sweep itself', () => {
    expect(reserveFor(full, specs, marks(MIDNIGHT - 1), TODAY)).toBe(0);
  });
});

describe('decideSweep: a due sweep with nothing to read still moves its mark', () => {
  const spec: SweepSpec = { name: 'full', everyMs: 0, horizonMs: 72 * HOUR, complete: true, maxBacklogMs: 72 * HOUR };
  // The horizon before the last mark: the earliest `_time` this sweep reads.
  const from = T - HOUR - 72 * HOUR;

  it('reads no `_time` when the windows have covered only up to its start; one ms more is read', () => {
    expect(decideSweep(spec, mark(), T, from, NO_BUDGET)).toEqual({
      kind: 'sweep', window: null, arrived: { from: T - HOUR, to: T - ARRIVAL_MARGIN_MS }, spent: 1, narrowed: false,
    });
    expect(decideSweep(spec, mark(), T, from + 1, NO_BUDGET)).toEqual({
      kind: 'sweep', window: { from, to: from + 1 }, arrived: { from: T - HOUR, to: T - ARRIVAL_MARGIN_MS }, spent: 1, narrowed: false,
    });
  });

  it('reads nothing when no arrival is new since its mark (it ran a margin ago); one ms of arrivals is read', () => {
    const at = T - ARRIVAL_MARGIN_MS;
    expect(decideSweep(spec, mark({ arrivedUntil: at }), T, T - 5 * MIN, NO_BUDGET)).toEqual({
      kind: 'sweep', window: null, arrived: { from: at, to: at }, spent: 1, narrowed: false,
    });
    expect(decideSweep(spec, mark({ arrivedUntil: at - 1 }), T, T - 5 * MIN, NO_BUDGET)).toEqual({
      kind: 'sweep', window: { from: at - 1 - 72 * HOUR, to: T - 5 * MIN }, arrived: { from: at - 1, to: at }, spent: 1, narrowed: false,
    });
  });
});

describe('sweepXql: a hunt XQL without the xdr_data dataset stage', () => {
  it('is refused with a clear error, never run without the arrival filter', () => {
    const other = SEED_XQL.replace('dataset = xdr_data', 'dataset = endpoints');
    const similar = SEED_XQL.replace('dataset = xdr_data', 'dataset = xdr_data_archive');
    for (const xql of [other, similar]) {
      expect(() => sweepXql(xql, { from: 1000, to: 2000 })).toThrow(RunError);
      expect(() => sweepXql(xql, { from: 1000, to: 2000 })).toThrow('the late sweep needs the hunt XQL to name its dataset (| dataset = xdr_data)');
    }
  });
});

describe('sweepXql: a hunt XQL that starts with its dataset stage (no `config` before it)', () => {
  // XQL's usual form, as the README's own example: `dataset = xdr_data | filter … | fields …`.
  const LEADING = '// Title: wmic remote process creation\n\ndataset = xdr_data\n| filter action_process_image_name = "wmic.exe"\n| fields _time, agent_hostname';

  it('gets the arrival filter right after the dataset stage, on its own line or on one line', () => {
    expect(sweepXql(LEADING, { from: 1000, to: 2000 })).toBe(
      '// Title: wmic remote process creation\n\ndataset = xdr_data\n| filter to_epoch(_insert_time, "MILLIS") > 1000 and to_epoch(_insert_time, "MILLIS") <= 2000\n| filter action_process_image_name = "wmic.exe"\n| fields _time, agent_hostname',
    );
    expect(parseXql(sweepXql(LEADING, { from: 1000, to: 2000 })).stages.length).toBe(parseXql(LEADING).stages.length + 1);
    const oneLine = 'dataset = xdr_data | filter event_type = ENUM.PROCESS | fields event_id';
    expect(parseXql(sweepXql(oneLine, { from: 1000, to: 2000 })).stages.length).toBe(parseXql(oneLine).stages.length + 1);
  });

  it('is not fooled by the dataset named in a comment', () => {
    expect(() => sweepXql('// dataset = xdr_data\ndataset = endpoints | fields endpoint_name', { from: 1000, to: 2000 })).toThrow(RunError);
  });
});
