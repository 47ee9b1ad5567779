/**
 * The awaiting-late-evidence list every StateStore adapter must keep: one bounded list per hunt,
 * entries dropped when removed or past the horizon, concurrent writers never losing each other.
 */
import { expect, it } from 'vitest';
import type { AwaitingPair, StateStore } from '../../lambda/ports.js';
import { AWAITING_LIMIT } from '../../lambda/state/index.js';
import { MINUTE, T0, fingerprintOf, freshHuntId } from '../fixtures/state/findings.js';

const HOUR = 60 * MINUTE;

function pair(hunt: string, n: number, notifiedAt: number): AwaitingPair {
  return {
    fingerprint: fingerprintOf(hunt, n), sourceHost: `WS-${n}`, targetHost: `srv-${n}`, remoteCommand: 'cmd.exe /c whoami', user: 'CORP\\alice',
    firstSeen: T0 - 10 * MINUTE, lastSeen: T0 - 5 * MINUTE, severity: 'high', riskScore: 85, notifiedAt,
  };
}

function awaitingOf(s: StateStore): Required<Pick<StateStore, 'readAwaiting' | 'updateAwaiting'>> {
  if (s.readAwaiting === undefined || s.updateAwaiting === undefined) throw new Error('the adapter has no awaiting list');
  return { readAwaiting: s.readAwaiting.bind(s), updateAwaiting: s.updateAwaiting.bind(s) };
}

export function awaitingContract(store: () => StateStore): void {
  it('keeps the pairs awaiting late evidence, oldest first, until removed or past the horizon', async () => {
    const hunt = freshHuntId();
    const s = awaitingOf(store());
    expect(await s.readAwaiting(hunt, T0, HOUR)).toEqual([]);
    await s.updateAwaiting(hunt, { add: [pair(hunt, 2, T0 + MINUTE), pair(hunt, 1, T0)], remove: [] }, T0 + MINUTE, HOUR);
    await s.updateAwaiting(hunt, { add: [pair(hunt, 3, T0 + 20 * MINUTE), { ...pair(hunt, 1, T0 + 20 * MINUTE), sourceHost: 'OTHER' }], remove: [] }, T0 + 20 * MINUTE, HOUR);
    const listed = await awaitingOf(store()).readAwaiting(hunt, T0 + 30 * MINUTE, HOUR);
    expect(listed).toEqual([pair(hunt, 1, T0), pair(hunt, 2, T0 + MINUTE), pair(hunt, 3, T0 + 20 * MINUTE)]);

    await s.updateAwaiting(hunt, { add: [], remove: [fingerprintOf(hunt, 2)] }, T0 + 30 * MINUTE, HOUR);
    expect((await s.readAwaiting(hunt, T0 + 30 * MINUTE, HOUR)).map((e) => e.sourceHost)).toEqual(['WS-1', 'WS-3']);
    // Past the horizon of its notification an entry reads as absent.
    expect((await s.readAwaiting(hunt, T0 + HOUR + MINUTE, HOUR)).map((e) => e.sourceHost)).toEqual(['WS-3']);
    expect(await s.readAwaiting(hunt, T0 + 2 * HOUR, HOUR)).toEqual([]);
    // Another hunt's list is its own.
    expect(await s.readAwaiting(freshHuntId(), T0, HOUR)).toEqual([]);
  });

  it(`lists at most ${AWAITING_LIMIT} pairs, dropping the oldest`, async () => {
    const hunt = freshHuntId();
    const s = awaitingOf(store());
    const many = Array.from({ length: AWAITING_LIMIT + 5 }, (_, i) => pair(hunt, i, T0 + i));
    await s.updateAwaiting(hunt, { add: many, remove: [] }, T0 + AWAITING_LIMIT + 5, HOUR);
    const listed = await s.readAwaiting(hunt, T0 + AWAITING_LIMIT + 5, HOUR);
    expect(listed).toHaveLength(AWAITING_LIMIT);
    expect(listed[0]!.fingerprint).toBe(fingerprintOf(hunt, 5));
    expect(listed.at(-1)!.fingerprint).toBe(fingerprintOf(hunt, AWAITING_LIMIT + 4));
  });

  it('keeps the most severe pairs when a flood of lesser pairs fills the list', async () => {
    const hunt = freshHuntId();
    const s = awaitingOf(store());
    const critical = Array.from({ length: 5 }, (_, i) => ({ ...pair(hunt, i, T0 + i), severity: 'critical' as const, riskScore: 95 }));
    await s.updateAwaiting(hunt, { add: critical, remove: [] }, T0 + 5, HOUR);
    // Newer, lesser pairs than the list holds, in two runs: neither pushes a critical pair out.
    const flood = (from: number) => Array.from({ length: AWAITING_LIMIT }, (_, i) => ({ ...pair(hunt, from + i, T0 + from + i), severity: 'medium' as const, riskScore: 55 }));
    await s.updateAwaiting(hunt, { add: flood(100), remove: [] }, T0 + 400, HOUR);
    await s.updateAwaiting(hunt, { add: [...flood(400), { ...pair(hunt, 900, T0 + 900), riskScore: 70 }], remove: [] }, T0 + 900, HOUR);
    const listed = await s.readAwaiting(hunt, T0 + 900, HOUR);
    expect(listed).toHaveLength(AWAITING_LIMIT);
    expect(listed.filter((e) => e.severity === 'critical').map((e) => e.fingerprint)).toEqual(critical.map((e) => e.fingerprint));
    expect(listed.some((e) => e.fingerprint === fingerprintOf(hunt, 900))).toBe(true);
    // Among the equals, the newer notifications stay; the list is still oldest first.
    expect(listed.map((e) => e.notifiedAt)).toEqual([...listed.map((e) => e.notifiedAt)].sort((x, y) => x - y));
    expect(listed.at(-1)!.fingerprint).toBe(fingerprintOf(hunt, 900));
  });

  it('loses no entry when two runs add to the list at once', async () => {
    const hunt = freshHuntId();
    await Promise.all(Array.from({ length: 4 }, (_, i) => awaitingOf(store()).updateAwaiting(hunt, { add: [pair(hunt, i, T0)], remove: [] }, T0, HOUR)));
    expect((await awaitingOf(store()).readAwaiting(hunt, T0, HOUR)).map((e) => e.fingerprint).sort()).toEqual([0, 1, 2, 3].map((i) => fingerprintOf(hunt, i)).sort());
  });

  it('refuses an entry that is not an awaiting pair, naming it', async () => {
    const hunt = freshHuntId();
    const bad = { ...pair(hunt, 1, T0), severity: 'huge' } as unknown as AwaitingPair;
    await expect(awaitingOf(store()).updateAwaiting(hunt, { add: [bad], remove: [] }, T0, HOUR)).rejects.toThrow(/change\.add\[0\] must be an awaiting pair/);
    await expect(awaitingOf(store()).readAwaiting('a#b', T0, HOUR)).rejects.toThrow(/huntId "a#b" must not contain '#'/);
  });

  it('keeps when a late pair reached XSIAM, so its follow-up says it arrived late', async () => {
    const hunt = freshHuntId();
    const s = awaitingOf(store());
    const late = { ...pair(hunt, 1, T0), arrivedAt: T0 - MINUTE, arrivedLateMs: 30 * HOUR };
    await s.updateAwaiting(hunt, { add: [late, pair(hunt, 2, T0)], remove: [] }, T0, HOUR);
    expect(await s.readAwaiting(hunt, T0, HOUR)).toEqual([late, pair(hunt, 2, T0)]);
  });
}
