/**
 * Edges of the history core (issue 21) that history-core.test.ts leaves open: a window inside one
 * day that is empty or reversed covers no day (coverage days end the warm-up), and an item's TTL
 * counts from its newest day when that day is after the write's day.
 */
import { describe, expect, it } from 'vitest';
import { DAY_MS, daysOfWindow, mergeCoverage, mergeDays, mergeSubject } from '../../lambda/history/index.js';

const D = 20_000; // a UTC day number in 2024
const at = (day: number, ms = 0): number => day * DAY_MS + ms;
const HOUR = 3_600_000;

describe('a window inside one day', () => {
  it('covers its day for one millisecond, and none when empty or reversed', () => {
    expect(daysOfWindow({ from: at(D, 5 * HOUR), to: at(D, 5 * HOUR) + 1 })).toEqual([D]);
    expect(daysOfWindow({ from: at(D, 5 * HOUR), to: at(D, 5 * HOUR) })).toEqual([]);
    expect(daysOfWindow({ from: at(D, 5 * HOUR), to: at(D, 4 * HOUR) })).toEqual([]);
  });
});

describe('the kept span', () => {
  it('keeps the day `keep - 1` before the newest and drops the day `keep` before it, with few days stored', () => {
    expect(mergeDays([D - 2], [D], 3)).toEqual([D - 2, D]);
    expect(mergeDays([D - 3], [D], 3)).toEqual([D]);
  });
});

describe('expiry counts from the newest day when it is after the write', () => {
  // historyExpiresAt: keepDays after the later of the item's newest day and the write's day, to the next day
  const sighting = { kind: 'host' as const, name: 'srv', days: [D, D + 1], targets: ['a'] };

  it('a subject item seen on the day after the write lives keep + 1 days after that day', () => {
    expect(mergeSubject(null, null, sighting, 45, at(D, 7)).expiresAt).toBe(((D + 1 + 46) * DAY_MS) / 1000);
    expect(mergeSubject(null, null, { ...sighting, days: [D - 1, D] }, 45, at(D, 7)).expiresAt).toBe(((D + 46) * DAY_MS) / 1000);
  });

  it('so does the coverage item', () => {
    expect(mergeCoverage([D - 1], 1, [D, D + 1], 45, at(D, 7)).expiresAt).toBe(((D + 1 + 46) * DAY_MS) / 1000);
    expect(mergeCoverage([D - 1], 1, [D], 45, at(D, 7)).expiresAt).toBe(((D + 46) * DAY_MS) / 1000);
  });
});
