import { describe, expect, it } from 'vitest';
import { leaseAvailable } from '../../lambda/state/control.js';
import { decodeItem } from '../../lambda/state/dynamo-codec.js';
import { decide, mergeEventIds, readStoredState, type StoredState } from '../../lambda/state/dedupe.js';
import { expiresAtFor, isExpired } from '../../lambda/state/time.js';
import { DAY, MINUTE, T0, makeFinding } from '../fixtures/state/findings.js';

const f = makeFinding('h', 1, { eventIds: ['e1', 'e2'] });
const stored = (over: Partial<StoredState> = {}): StoredState => ({
  status: 'NOTIFIED', count: 2, firstSeen: f.firstSeen, lastSeen: f.lastSeen, expiresAt: expiresAtFor(T0 + DAY), eventIds: ['e1', 'e2'], rev: 3, ...over,
});

describe('mergeEventIds', () => {
  it('adds only ids it has not seen, in order, and counts them', () => {
    expect(mergeEventIds(['a', 'b'], ['b', 'c', 'c', 'd'])).toEqual({ eventIds: ['a', 'b', 'c', 'd'], added: 2 });
  });

  it('keeps the newest ids when the list exceeds its bound', () => {
    expect(mergeEventIds(['a', 'b', 'c'], ['d', 'e'], 3)).toEqual({ eventIds: ['c', 'd', 'e'], added: 2 });
  });
});

describe('decide', () => {
  it('asks for no write when the events are already counted and nothing moved', () => {
    const d = decide(f, stored(), T0, DAY);
    expect(d).toMatchObject({ kind: 'repeat', change: null, tracked: { count: 2, status: 'NOTIFIED' } });
  });

  it('asks for a guarded write when lastSeen moves, even without new events', () => {
    const d = decide({ ...f, lastSeen: T0 }, stored(), T0, DAY);
    expect(d).toMatchObject({ kind: 'repeat', change: { count: 2, lastSeen: T0, rev: 4, expectedRev: 3 } });
  });

  it('claims anew one second past expiresAt, not before', () => {
    const expiresAt = expiresAtFor(T0);
    expect(decide(f, stored({ expiresAt }), T0 + 999, DAY).kind).toBe('repeat');
    expect(decide(f, stored({ expiresAt }), T0 + 1000, DAY).kind).toBe('create');
  });

  it('stamps a new claim PENDING with expiresAt in epoch seconds', () => {
    const d = decide(f, undefined, T0, 30 * MINUTE);
    expect(d.kind === 'create' && d.record).toMatchObject({ status: 'PENDING', count: 2, claimedAt: T0, expiresAt: (T0 + 30 * MINUTE) / 1000, rev: 1 });
  });
});

describe('readStoredState', () => {
  it('reads a hand-edited item with safe defaults: unknown status is PENDING (re-sent, never lost)', () => {
    const s = readStoredState({ status: 'DONE?', eventIds: ['x', 7], expiresAt: 'soon' }, f);
    expect(s).toEqual({ status: 'PENDING', count: 1, firstSeen: f.firstSeen, lastSeen: f.lastSeen, expiresAt: 'soon', eventIds: ['x'], rev: null,
      sent: { notifiedAt: null, confirmation: null, followUpSent: null }, claimedAt: null, claimedBy: null });
    expect(isExpired(s.expiresAt, T0)).toBe(false);
    expect(decide(f, s, T0, DAY)).toMatchObject({ kind: 'pending', change: { expectedRev: null, rev: 1, count: 3 } });
  });

  it('reads a follow-up mark it cannot parse as sent, and an unknown confirmation as none (never a second follow-up)', () => {
    const s = readStoredState({ status: 'NOTIFIED', notifiedAt: T0, confirmation: 'perhaps', followUpSent: 'yes' }, f);
    expect(s.sent).toEqual({ notifiedAt: T0, confirmation: null, followUpSent: 0 });
  });
});

describe('leaseAvailable', () => {
  it('treats a lease whose end cannot be read as ended', () => {
    expect(leaseAvailable({ holder: 'other', leaseUntil: 'never' }, 'me', T0)).toBe(true);
    expect(leaseAvailable({ holder: 'other', leaseUntil: T0 + 1 }, 'me', T0)).toBe(false);
  });
});

describe('decodeItem', () => {
  it('decodes the raw AttributeValue map of an ALL_OLD item', () => {
    expect(decodeItem({ a: { S: 'x' }, n: { N: '1.5' }, l: { L: [{ S: 'e' }, { NULL: true }] }, m: { M: { b: { BOOL: true } } } }))
      .toEqual({ a: 'x', n: 1.5, l: ['e', null], m: { b: true } });
    expect(decodeItem(undefined)).toBeUndefined();
  });
});
