/**
 * Backfill progress and the shadow-log day (lambda/state/progress.ts). A resumed backfill skips
 * the chunks its stored set lists as done: an entry that is not exactly `from-to` (a hand edit
 * with a note after it, text before it) must not count, or the resume would skip a chunk that was
 * never hunted. And readShadow's day check must name the problem for a day that is not text at
 * all, rather than fail with a TypeError of its own.
 */
import { describe, expect, it } from 'vitest';
import { chunkId, dayProblems, readBackfillChunks } from '../../lambda/state/progress.js';
import { T0 } from '../fixtures/state/findings.js';

const HOUR = 3_600_000;

describe('the done chunks a resumed backfill reads', () => {
  const first = { from: T0, to: T0 + HOUR };
  const second = { from: T0 + HOUR, to: T0 + 2 * HOUR };

  it('counts only entries that are exactly from-to: text before or after one does not count', () => {
    const id = chunkId(second);
    for (const stored of [[chunkId(first), `${id} redo`, `x${id}`, `${id}-${T0 + 3 * HOUR}`], new Set([chunkId(first), `${id}\n`, ` ${id}`])]) {
      expect(readBackfillChunks({ chunksDone: stored })).toEqual([first]);
    }
  });
});

describe('the shadow-log day readShadow takes', () => {
  it('names the problem for a day that has no text form (a symbol, a null-prototype object such as a parsed query string)', () => {
    for (const day of [Symbol('2031-01-15'), Object.assign(Object.create(null) as object, { day: '2031-01-15' })]) {
      expect(dayProblems(day)).toEqual(['day must be a UTC date YYYY-MM-DD']);
    }
  });
});
