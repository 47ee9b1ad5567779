/**
 * recordHistory's input check (lambda/state/history.ts) on a sighting that is not an object at
 * all: an update built from JSON can carry `null` in its sightings list (a hand-edited or
 * truncated file store item, a caller's `[...sightings, undefined]`). The operator must read the
 * StateInputError naming every field of that entry, not a TypeError from the check itself.
 */
import { describe, expect, it } from 'vitest';
import { SUBJECT_NAME_LIMIT, dayOf, targetHash, type HistoryUpdate } from '../../lambda/history/index.js';
import { historyUpdateProblems } from '../../lambda/state/history.js';
import { T0 } from '../fixtures/state/findings.js';

const HUNT = 'hunt-history-edges-2';
const D0 = dayOf(T0);
const good = { kind: 'host', name: 'ws-1', days: [D0], targets: [targetHash('srv-1')] };
const every = (i: number): string[] => [
  `update.sightings[${i}].kind must be host or user`,
  `update.sightings[${i}].name must be a lower-cased, trimmed name of at most ${SUBJECT_NAME_LIMIT} characters`,
  `update.sightings[${i}].days must be UTC day numbers`,
  `update.sightings[${i}].targets must be target hashes`,
];

describe('recordHistory names a sighting that is not an object', () => {
  it('names all four fields of a null or missing sighting, by its index, next to a good one', () => {
    for (const missing of [null, undefined]) {
      const update = { coveredDays: [D0], sightings: [good, missing], keepDays: 45 } as unknown as HistoryUpdate;
      expect(historyUpdateProblems(HUNT, update, T0)).toEqual(every(1));
    }
  });

  it('names a host name that is a number (a JSON id in place of the name), not a TypeError', () => {
    const update = { coveredDays: [D0], sightings: [{ ...good, name: 42 }], keepDays: 45 } as unknown as HistoryUpdate;
    expect(historyUpdateProblems(HUNT, update, T0)).toEqual([every(0)[1]]);
  });
});
