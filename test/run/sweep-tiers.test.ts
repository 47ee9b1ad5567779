/**
 * The two sweep tiers together, over simulated days of 15-minute runs (the real window and sweep
 * planning, test/support/schedule-sim.ts): no arrival inside the horizon is lost between the
 * frequent and the full sweep, at the edges of their ranges and marks, with or without a budget.
 */
import { describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import { ARRIVAL_MARGIN_MS } from '../../lambda/run/sweep-plan.js';
import { firstRead, simulateSchedule, type SimQuery, type SimRow } from '../support/schedule-sim.js';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const S = Date.UTC(2026, 11, 1, 0, 7, 0);
const END = S + 6 * 24 * HOUR;
const PERIOD = 15 * MIN;
const settings = defaultRunSettings();
const LATENESS = [0, SEC, 2 * MIN, 2 * MIN + 1, 3 * HOUR, 6 * HOUR - 1, 6 * HOUR, 6 * HOUR + 1, 7 * HOUR, 24 * HOUR, 72 * HOUR - 1, 72 * HOUR];

/** Arrivals on a grid and exactly at each sweep's arrival edges, each at every lateness. */
function rows(queries: readonly SimQuery[]): SimRow[] {
  const arrivals = new Set<number>();
  for (let a = S + 1; a < END - 26 * HOUR; a += 37 * MIN + 11 * SEC) arrivals.add(a);
  for (const q of queries) if (q.arrived !== null && q.arrived.to < END - 26 * HOUR) for (const a of [q.arrived.from, q.arrived.to, q.arrived.to + 1]) if (a > S) arrivals.add(a);
  return [...arrivals].flatMap((a) => LATENESS.map((late) => ({ t: a - late, a })));
}

describe('the frequent and the full sweep', () => {
  const sim = simulateSchedule({ settings, start: S, end: END, periodMs: PERIOD, delayMs: (i) => (i % 7) * 3 * SEC });

  it('read every row that arrived at most lateArrivalHours after it happened, at every edge', () => {
    const lost = rows(sim.queries).filter((r) => firstRead(sim.queries, r) === null);
    expect(lost).toEqual([]);
  });

  it('find a row up to lateSweepRecentHours late within the frequent sweep\'s period, a later one within the full sweep\'s', () => {
    for (const r of rows(sim.queries)) {
      const q = firstRead(sim.queries, r)!;
      const bound = r.a - r.t <= 6 * HOUR ? HOUR + ARRIVAL_MARGIN_MS + 30 * SEC : 24 * HOUR + ARRIVAL_MARGIN_MS + 30 * SEC;
      expect(q.runAt - r.a, `lateness ${r.a - r.t} ms, read by ${q.kind}`).toBeLessThanOrEqual(bound);
    }
  });

  it('read 7 hours an hour and 96 hours a day, about 11 times what the windows read', () => {
    const day = sim.queries.filter((q) => q.runAt >= S + 2 * 24 * HOUR && q.runAt < S + 3 * 24 * HOUR);
    const hours = (kind: string): number => day.filter((q) => q.kind === kind).reduce((h, q) => h + (q.window.to - q.window.from) / HOUR, 0);
    expect(hours('window')).toBeCloseTo(24 * 1.2, 0);
    expect(hours('recent')).toBeCloseTo(24 * 7, 0);
    expect(hours('full')).toBeCloseTo(96, 0);
  });

  it('still read every row inside the horizon when a tight budget narrows the frequent sweep and puts off the full one', () => {
    const tight = simulateSchedule({ settings: { ...settings, dailyQueryUnits: 150 }, start: S, end: END, periodMs: PERIOD });
    expect(tight.overBudget).toBeGreaterThan(0);
    expect(tight.queries.some((q) => q.kind === 'recent' && q.narrowed)).toBe(true);
    const spent = tight.queries.filter((q) => q.kind !== 'window' && q.runAt >= S + 2 * 24 * HOUR && q.runAt < S + 3 * 24 * HOUR)
      .reduce((h, q) => h + (q.window.to - q.window.from) / HOUR, 0);
    expect(spent).toBeLessThanOrEqual(150 + 1e-6);
    const lost = rows(tight.queries).filter((r) => firstRead(tight.queries, r) === null);
    expect(lost).toEqual([]);
  });
});
