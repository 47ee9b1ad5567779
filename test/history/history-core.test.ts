/**
 * The pure history core without a store (issue 21): UTC days of a window, the kept span of days,
 * how a stored item is read leniently and merged, its TTL, and what one chunk's findings add.
 */
import { describe, expect, it } from 'vitest';
import {
  DAY_MS, HISTORY_MAX_TARGETS, daysOfWindow, historyExpiresAt, historyQuery, hostName, keepDaysFor, mergeCoverage, mergeDays,
  mergeSubject, readCoverage, readSubject, referenceDay, revOf, sightingsOf, subjectName, targetHash,
} from '../../lambda/history/index.js';
import { defaultRunSettings } from '../../lambda/config.js';
import { UNKNOWN_HOST } from '../../lambda/detect/index.js';
import type { Finding } from '../../lambda/finding.js';

const D = 20_000; // a UTC day number in 2024
const at = (day: number, ms = 0): number => day * DAY_MS + ms;

describe('days', () => {
  it('a window touches the days of its first and last instant; an empty or reversed one none', () => {
    expect(daysOfWindow({ from: at(D), to: at(D + 1) })).toEqual([D]);
    expect(daysOfWindow({ from: at(D), to: at(D + 1) + 1 })).toEqual([D, D + 1]);
    expect(daysOfWindow({ from: at(D, -1), to: at(D + 2) })).toEqual([D - 1, D, D + 1]);
    expect(daysOfWindow({ from: at(D), to: at(D) })).toEqual([]);
    expect(daysOfWindow({ from: at(D) + 1, to: at(D) })).toEqual([]);
  });

  it("the reference day is the day of the window's last instant", () => {
    expect(referenceDay({ from: at(D), to: at(D + 1) })).toBe(D);
    expect(referenceDay({ from: at(D), to: at(D + 1) + 1 })).toBe(D + 1);
  });

  it('merging keeps distinct days ascending, and only the newest `keep` days of the span', () => {
    expect(mergeDays([D + 2, D], [D + 1, D, D + 10], 30)).toEqual([D, D + 1, D + 2, D + 10]);
    expect(mergeDays([D - 3, D - 2, D - 1], [D], 3)).toEqual([D - 2, D - 1, D]);
    expect(mergeDays([D - 40], [D], 30)).toEqual([D]);
    expect(mergeDays([], [], 30)).toEqual([]);
    expect(mergeDays([], [D], 1)).toEqual([D]);
  });
});

describe('reading stored items leniently', () => {
  it('a subject item: wrong kind or absent is nothing; bad days, targets and counts are left out', () => {
    expect(readSubject(undefined, 'host', 'h')).toBeNull();
    expect(readSubject({ subject: 'user', days: [D] }, 'host', 'h')).toBeNull();
    const raw = { subject: 'host', days: [D + 1, 'x', 1.5, -1, 0, D + 1, D], targets: ['a', 7, 'b'], targetCount: 5 };
    expect(readSubject(raw, 'host', 'h')).toEqual({ kind: 'host', name: 'h', days: [0, D, D + 1], targets: ['a', 'b'], targetCount: 5 });
    expect(readSubject({ subject: 'host', days: 'x', targets: 'y', targetCount: Number.NaN }, 'host', 'h')).toEqual({ kind: 'host', name: 'h', days: [], targets: [], targetCount: 0 });
    expect(readSubject({ subject: 'host', targets: ['a', 'b'], targetCount: 1 }, 'host', 'h')?.targetCount).toBe(2);
    expect(readSubject({ subject: 'host', targets: ['a'], targetCount: '9' }, 'host', 'h')?.targetCount).toBe(1);
    const many = Array.from({ length: HISTORY_MAX_TARGETS + 2 }, (_, i) => `t${i}`);
    expect(readSubject({ subject: 'host', targets: many }, 'host', 'h')?.targets).toEqual(many.slice(2));
  });

  it('a coverage item and a revision', () => {
    expect(readCoverage(undefined)).toEqual([]);
    expect(readCoverage({ subject: 'host', days: [D] })).toEqual([]);
    expect(readCoverage({ subject: 'coverage', days: [D + 1, D] })).toEqual([D, D + 1]);
    expect(revOf(undefined)).toBeNull();
    expect(revOf({ rev: 'x' })).toBeNull();
    expect(revOf({ rev: 0 })).toBe(0);
  });
});

describe('merging and expiry', () => {
  it('an item lives `keep` days after the later of its newest day and the write, to the next day', () => {
    expect(historyExpiresAt(D, 45, at(D - 10))).toBe(((D + 46) * DAY_MS) / 1000);
    expect(historyExpiresAt(D - 100, 45, at(D, 5))).toBe(((D + 46) * DAY_MS) / 1000);
  });

  it('a sighting merges into a stored subject: days, targets moved to the end, the count, the revision', () => {
    const stored = { kind: 'host' as const, name: 'h', days: [D - 2], targets: ['a', 'b'], targetCount: 4 };
    const rec = mergeSubject(stored, 3, { kind: 'host', name: 'h', days: [D], targets: ['a', 'c', 'c'] }, 45, at(D, 7));
    expect(rec).toEqual({
      subject: 'host', name: 'h', days: [D - 2, D], targets: ['b', 'a', 'c'], targetCount: 5, rev: 4, updatedAt: at(D, 7), expiresAt: ((D + 46) * DAY_MS) / 1000,
    });
    const first = mergeSubject(null, null, { kind: 'user', name: 'u', days: [D], targets: ['a'] }, 45, at(D));
    expect(first).toMatchObject({ subject: 'user', days: [D], targets: ['a'], targetCount: 1, rev: 1 });
  });

  it('targets keep the newest 50 hashes; the count goes on', () => {
    const seen = Array.from({ length: HISTORY_MAX_TARGETS + 1 }, (_, i) => `t${i}`);
    const rec = mergeSubject(null, null, { kind: 'host', name: 'h', days: [D], targets: seen }, 45, at(D));
    expect(rec.targets).toEqual(seen.slice(1));
    expect(rec.targetCount).toBe(HISTORY_MAX_TARGETS + 1);
  });

  it('coverage merges days and bumps the revision', () => {
    expect(mergeCoverage([D - 1], 2, [D, D - 1], 45, at(D))).toEqual({ subject: 'coverage', days: [D - 1, D], rev: 3, updatedAt: at(D), expiresAt: ((D + 46) * DAY_MS) / 1000 });
    expect(mergeCoverage([], null, [], 45, at(D))).toMatchObject({ days: [], rev: 1, expiresAt: ((D + 46) * DAY_MS) / 1000 });
  });
});

describe('what a chunk adds', () => {
  const settings = defaultRunSettings();
  const f = (sourceHost: string, user: string | null, targetHost: string, firstSeen: number, lastSeen = firstSeen) =>
    ({ sourceHost, user, targetHost, firstSeen, lastSeen }) as Finding;

  it('names: trimmed, lower-cased, capped at 256; blank or the unknown host is none', () => {
    expect(subjectName('  CORP\\Adm ')).toBe('corp\\adm');
    expect(subjectName('   ')).toBeNull();
    expect(subjectName(null)).toBeNull();
    expect(subjectName('x'.repeat(300))).toHaveLength(256);
    expect(hostName('IT-ADM-01.corp.example.com')).toBe('it-adm-01');
    expect(hostName(UNKNOWN_HOST)).toBeNull();
  });

  it('a target hash is 16 hex characters, the same for two spellings of one host', () => {
    expect(targetHash('FS01')).toMatch(/^[0-9a-f]{16}$/);
    expect(targetHash('fs01.corp.example.com')).toBe(targetHash('FS01'));
    expect(targetHash('FS02')).not.toBe(targetHash('FS01'));
  });

  it('the query asks each host and user once', () => {
    expect(historyQuery([f('A', 'U', 'x', 0), f('a', 'u', 'y', 0), f(UNKNOWN_HOST, null, 'z', 0)])).toEqual({ hosts: ['a'], users: ['u'] });
  });

  it('sightings: the days of first and last sight, distinct targets, host and user apart even with one name', () => {
    const update = sightingsOf([f('SRV', 'srv', 'T1', at(D, 5), at(D + 1, 5)), f('srv', null, 'T2', at(D + 1, 9))], { from: at(D), to: at(D + 2) }, settings);
    expect(update.coveredDays).toEqual([D, D + 1]);
    expect(update.keepDays).toBe(keepDaysFor(settings));
    expect(keepDaysFor(settings)).toBe(45);
    expect(update.sightings).toEqual([
      { kind: 'host', name: 'srv', days: [D, D + 1], targets: [targetHash('T1'), targetHash('T2')] },
      { kind: 'user', name: 'srv', days: [D, D + 1], targets: [targetHash('T1')] },
    ]);
  });
});
