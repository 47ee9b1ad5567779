/**
 * The history checks and write plan both stores share (lambda/state/history.ts), at their edges:
 * what an operator reads in the StateInputError of readHistory / recordHistory (every problem
 * named, labelled by the argument it is in), and which items a chunk's write reads and puts.
 */
import { describe, expect, it } from 'vitest';
import { SUBJECT_NAME_LIMIT, dayOf, targetHash, type HistoryUpdate, type Sighting } from '../../lambda/history/index.js';
import {
  HISTORY_SUBJECTS_LIMIT, historyQueryProblems, historyUpdateProblems, historyWriteKeys, planHistoryWrites,
} from '../../lambda/state/history.js';
import { coverageKey, historyKey } from '../../lambda/state/keys.js';
import { DAY, T0 } from '../fixtures/state/findings.js';

const HUNT = 'hunt-history-edges';
const D0 = dayOf(T0);
const sighting = (kind: 'host' | 'user', name: string, days: number[] = [D0], targets: unknown[] = [targetHash('srv-1')]): Sighting =>
  ({ kind, name, days, targets } as Sighting);
const update = (over: Partial<Record<keyof HistoryUpdate, unknown>> = {}): HistoryUpdate =>
  ({ coveredDays: [D0], sightings: [sighting('host', 'ws-1')], keepDays: 45, ...over } as HistoryUpdate);
const queryOf = (hosts: unknown, users: unknown = []): Parameters<typeof historyQueryProblems>[1] =>
  ({ hosts, users } as Parameters<typeof historyQueryProblems>[1]);
const nameMessage = (label: string, i: number): string => `${label}[${i}] must be a non-empty name of at most ${SUBJECT_NAME_LIMIT} characters`;

describe('readHistory names what is wrong with its query', () => {
  it('names a host list that is not an array, and a bad hunt id and clock, all at once', () => {
    expect(historyQueryProblems('', queryOf('ws-1', ['corp\\alice']), Number.NaN)).toEqual([
      'huntId must be a non-empty string', 'query.hosts must be an array of names', 'now must be a finite number',
    ]);
    expect(historyQueryProblems(HUNT, queryOf([], 'corp\\alice'), T0)).toEqual(['query.users must be an array of names']);
  });

  it('takes 10 000 names per list and refuses 10 001', () => {
    const names = Array.from({ length: HISTORY_SUBJECTS_LIMIT }, (_, i) => `ws-${i}`);
    expect(historyQueryProblems(HUNT, queryOf(names, names), T0)).toEqual([]);
    expect(historyQueryProblems(HUNT, queryOf([...names, 'ws-extra']), T0)).toEqual(['query.hosts names more than 10000 subjects']);
  });

  it('points at the first name that is not a name: a number, a blank, one character over the limit', () => {
    expect(historyQueryProblems(HUNT, queryOf(['ws-1', 42]), T0)).toEqual([nameMessage('query.hosts', 1)]);
    expect(historyQueryProblems(HUNT, queryOf(['ws-1'], ['corp\\alice', '   ']), T0)).toEqual([nameMessage('query.users', 1)]);
    const atLimit = 'h'.repeat(SUBJECT_NAME_LIMIT);
    expect(historyQueryProblems(HUNT, queryOf([atLimit]), T0)).toEqual([]);
    expect(historyQueryProblems(HUNT, queryOf([atLimit, `${atLimit}h`]), T0)).toEqual([nameMessage('query.hosts', 1)]);
  });

  it('says what a query must be when it is null or not an object, with the hunt id problem too', () => {
    for (const q of [null, 'ws-1', undefined]) {
      expect(historyQueryProblems('a#b', q as never, T0)).toEqual([`huntId "a#b" must not contain '#'`, 'query must be { hosts, users }']);
    }
  });
});

describe('recordHistory names what is wrong with its update', () => {
  it('accepts a valid chunk, day 0 included, and refuses day -1', () => {
    expect(historyUpdateProblems(HUNT, update({ coveredDays: [0], sightings: [sighting('host', 'ws-1', [0])] }), T0)).toEqual([]);
    expect(historyUpdateProblems(HUNT, update({ coveredDays: [-1] }), T0)).toEqual(['update.coveredDays must be UTC day numbers']);
  });

  it('says what an update must be when it is null or not an object, with the hunt id problem too', () => {
    for (const u of [null, 'chunk', 7]) {
      expect(historyUpdateProblems('', u as never, T0)).toEqual(['huntId must be a non-empty string', 'update must be { coveredDays, sightings, keepDays }']);
    }
  });

  it('names a bad hunt id and clock alongside the update problems', () => {
    expect(historyUpdateProblems('', update({ keepDays: 0 }), Number.POSITIVE_INFINITY)).toEqual([
      'huntId must be a non-empty string', 'now must be a finite number', 'update.keepDays must be a whole number from 1 to 400',
    ]);
  });

  it('keeps 1 to 400 whole days: 0, 401, 45.5 and "45" are refused', () => {
    const keep = 'update.keepDays must be a whole number from 1 to 400';
    expect([1, 400].map((k) => historyUpdateProblems(HUNT, update({ keepDays: k }), T0))).toEqual([[], []]);
    expect([0, 401, 45.5, '45'].map((k) => historyUpdateProblems(HUNT, update({ keepDays: k }), T0))).toEqual([[keep], [keep], [keep], [keep]]);
  });

  it('says sightings must be an array, and stops there', () => {
    expect(historyUpdateProblems(HUNT, update({ sightings: { kind: 'host' } }), T0)).toEqual(['update.sightings must be an array']);
  });

  it('takes 20 000 sightings and refuses 20 001', () => {
    const many = Array.from({ length: 2 * HISTORY_SUBJECTS_LIMIT }, (_, i) => sighting(i % 2 === 0 ? 'host' : 'user', `s-${i}`));
    expect(historyUpdateProblems(HUNT, update({ sightings: many }), T0)).toEqual([]);
    expect(historyUpdateProblems(HUNT, update({ sightings: [...many, sighting('host', 'one-more')] }), T0))
      .toEqual(['update.sightings names more than 20000 subjects']);
  });

  it('names each bad field of a sighting by its index', () => {
    const bad = { kind: 'process', name: 'WS-1', days: [D0, -1], targets: 'srv-1' };
    expect(historyUpdateProblems(HUNT, update({ sightings: [sighting('host', 'ws-1'), bad] }), T0)).toEqual([
      'update.sightings[1].kind must be host or user',
      `update.sightings[1].name must be a lower-cased, trimmed name of at most ${SUBJECT_NAME_LIMIT} characters`,
      'update.sightings[1].days must be UTC day numbers',
      'update.sightings[1].targets must be target hashes',
    ]);
  });

  it('takes targets of up to 64 characters and refuses a 65-character one, a number, or a nested list of hashes', () => {
    const targets = 'update.sightings[0].targets must be target hashes';
    const h = targetHash('srv-1');
    expect(historyUpdateProblems(HUNT, update({ sightings: [sighting('host', 'ws-1', [D0], [h, 'a'.repeat(64)])] }), T0)).toEqual([]);
    for (const t of [[h, 'a'.repeat(65)], [h, 42], [[h, targetHash('srv-2')]]]) {
      expect(historyUpdateProblems(HUNT, update({ sightings: [sighting('host', 'ws-1', [D0], t)] }), T0)).toEqual([targets]);
    }
  });
});

describe('what a chunk write reads and puts', () => {
  const host = historyKey(HUNT, 'host', 'ws-1');
  const user = historyKey(HUNT, 'user', 'corp\\alice');
  const chunk = update({ sightings: [sighting('host', 'ws-1'), sighting('user', 'corp\\alice')] });
  const nothing = (): undefined => undefined;

  it('reads the coverage item only when the chunk covered a day', () => {
    expect(historyWriteKeys(HUNT, chunk)).toEqual([coverageKey(HUNT), host, user]);
    expect(historyWriteKeys(HUNT, { ...chunk, coveredDays: [] })).toEqual([host, user]);
  });

  it('puts no coverage item for a chunk that covered no day', () => {
    expect(planHistoryWrites(HUNT, { ...chunk, coveredDays: [] }, nothing, T0).map((w) => w.key)).toEqual([host, user]);
  });

  it('puts only the items it is asked to retry', () => {
    expect(planHistoryWrites(HUNT, chunk, nothing, T0, new Set([user])).map((w) => w.key)).toEqual([user]);
    expect(planHistoryWrites(HUNT, chunk, nothing, T0, new Set([coverageKey(HUNT)])).map((w) => w.key)).toEqual([coverageKey(HUNT)]);
  });

  it('guards a put over a stored item, live or expired, by its rev (not as absent)', () => {
    const live = { pk: host, subject: 'host', name: 'ws-1', days: [D0 - 1], targets: [], targetCount: 0, rev: 3, expiresAt: (T0 + DAY) / 1000 };
    const expired = { ...live, rev: 7, expiresAt: (T0 - DAY) / 1000 };
    const stored = (raw: Record<string, unknown>) => (key: string): Record<string, unknown> | undefined => (key === host ? raw : undefined);
    const only = new Set([host]);
    expect(planHistoryWrites(HUNT, chunk, stored(live), T0, only)).toMatchObject([{ key: host, expectedRev: 3, absent: false, item: { days: [D0 - 1, D0] } }]);
    expect(planHistoryWrites(HUNT, chunk, stored(expired), T0, only)).toMatchObject([{ key: host, expectedRev: 7, absent: false, item: { days: [D0] } }]);
    expect(planHistoryWrites(HUNT, chunk, nothing, T0, only)).toMatchObject([{ key: host, expectedRev: null, absent: true }]);
  });
});
