/**
 * The history behaviour every StateStore adapter must show (called from contract.ts, so it runs
 * against DynamoDB Local and the file store alike).
 */
import { expect, it } from 'vitest';
import type { StateStore } from '../../lambda/ports.js';
import { HISTORY_MAX_TARGETS, dayOf, targetHash, type HistoryUpdate, type Sighting } from '../../lambda/history/index.js';
import { StateInputError } from '../../lambda/state/index.js';
import { DAY, T0, freshHuntId } from '../fixtures/state/findings.js';

const D0 = dayOf(T0);
const KEEP = 45;

const sighting = (kind: 'host' | 'user', name: string, days: number[], targets: string[]): Sighting => ({ kind, name, days, targets: targets.map(targetHash) });
const update = (sightings: Sighting[], coveredDays: number[] = []): HistoryUpdate => ({ sightings, coveredDays, keepDays: KEEP });

export function historyContract(store: () => StateStore): void {
  it('reads an empty history for a hunt never recorded', async () => {
    const h = await store().readHistory(freshHuntId(), { hosts: ['WS-1'], users: ['corp\\alice'] }, T0);
    expect(h.coveredDays).toEqual([]);
    expect(h.hosts.size + h.users.size).toBe(0);
  });

  it('records days, distinct targets and covered days per host and user, names compared case-insensitively', async () => {
    const hunt = freshHuntId();
    await store().recordHistory(hunt, update([sighting('host', 'it-adm-01', [D0 - 3], ['ws-1', 'ws-2']), sighting('user', 'corp\\adm', [D0 - 3], ['ws-1'])], [D0 - 3]), T0);
    await store().recordHistory(hunt, update([sighting('host', 'it-adm-01', [D0 - 1, D0 - 3], ['WS-2', 'ws-3'])], [D0 - 2, D0 - 1]), T0);
    const h = await store().readHistory(hunt, { hosts: ['IT-ADM-01', 'ws-unknown'], users: ['CORP\\ADM'] }, T0);
    expect(h.coveredDays).toEqual([D0 - 3, D0 - 2, D0 - 1]);
    expect(h.hosts.get('it-adm-01')).toMatchObject({ kind: 'host', days: [D0 - 3, D0 - 1], targetCount: 3 });
    expect(h.hosts.has('ws-unknown')).toBe(false);
    expect(h.users.get('corp\\adm')).toMatchObject({ kind: 'user', days: [D0 - 3], targetCount: 1 });
  });

  it('is idempotent: recording the same chunk again changes nothing (a re-hunted chunk counts once)', async () => {
    const hunt = freshHuntId();
    const u = update([sighting('host', 'ws-a', [D0], ['srv-1', 'srv-2'])], [D0]);
    await store().recordHistory(hunt, u, T0);
    const once = await store().readHistory(hunt, { hosts: ['ws-a'], users: [] }, T0);
    await store().recordHistory(hunt, u, T0 + 60_000);
    const twice = await store().readHistory(hunt, { hosts: ['ws-a'], users: [] }, T0 + 60_000);
    expect(twice).toEqual(once);
  });

  it('stays bounded: at most keepDays day entries (oldest dropped) and 50 target hashes, with the distinct count kept', async () => {
    const hunt = freshHuntId();
    const days = Array.from({ length: 120 }, (_, i) => D0 - 119 + i);
    const targets = Array.from({ length: 200 }, (_, i) => `srv-${i}`);
    // Newest first: an item whose newest day is past the kept span would be expired, not bounded.
    for (const i of [3, 2, 1, 0]) {
      await store().recordHistory(hunt, update([sighting('host', 'sweeper', days.slice(i * 30, i * 30 + 30), targets.slice(i * 50, i * 50 + 50))], days.slice(i * 30, i * 30 + 30)), T0);
    }
    const h = await store().readHistory(hunt, { hosts: ['sweeper'], users: [] }, T0);
    const host = h.hosts.get('sweeper')!;
    expect(host.days).toHaveLength(KEEP);
    expect(host.days[0]).toBe(D0 - KEEP + 1);
    expect(host.days.at(-1)).toBe(D0);
    expect(host.targets).toHaveLength(HISTORY_MAX_TARGETS);
    expect(host.targets).toEqual(targets.slice(0, 50).map(targetHash));
    expect(host.targetCount).toBe(200);
    expect(h.coveredDays).toHaveLength(KEEP);
  });

  it('forgets a subject whose newest day is older than the kept span (TTL), and starts it over when seen again', async () => {
    const hunt = freshHuntId();
    await store().recordHistory(hunt, update([sighting('host', 'old-admin', [D0 - 10], ['srv-1'])], [D0 - 10]), T0);
    const later = T0 + (KEEP + 5) * DAY;
    const h = await store().readHistory(hunt, { hosts: ['old-admin'], users: [] }, later);
    expect(h.hosts.size).toBe(0);
    expect(h.coveredDays).toEqual([]);
    await store().recordHistory(hunt, update([sighting('host', 'old-admin', [dayOf(later)], ['srv-2'])], [dayOf(later)]), later);
    const again = await store().readHistory(hunt, { hosts: ['old-admin'], users: [] }, later);
    expect(again.hosts.get('old-admin')).toMatchObject({ days: [dayOf(later)], targetCount: 1 });
    expect(again.coveredDays).toEqual([dayOf(later)]);
  });

  it('keeps a backfill of older events for the runs after it (its TTL runs from the write, not from the old days)', async () => {
    const hunt = freshHuntId();
    const old = D0 - 60;
    await store().recordHistory(hunt, update([sighting('host', 'ws-a', [old, old + 1], ['srv-1'])], [old, old + 1]), T0);
    const h = await store().readHistory(hunt, { hosts: ['ws-a'], users: [] }, T0 + 30 * DAY);
    expect(h.hosts.get('ws-a')?.days).toEqual([old, old + 1]);
    expect(h.coveredDays).toEqual([old, old + 1]);
  });

  it('keeps hunts apart', async () => {
    const a = freshHuntId('a');
    await store().recordHistory(a, update([sighting('host', 'ws-a', [D0], ['srv-1'])], [D0]), T0);
    const other = await store().readHistory(freshHuntId('b'), { hosts: ['ws-a'], users: [] }, T0);
    expect(other.hosts.size).toBe(0);
    expect(other.coveredDays).toEqual([]);
  });

  it('rejects a malformed history update or query by name, writing nothing', async () => {
    const hunt = freshHuntId();
    const bad = { coveredDays: [D0, -1], keepDays: 0, sightings: [{ kind: 'host', name: 'WS-A', days: [D0], targets: [] }] } as unknown as HistoryUpdate;
    const err = await store().recordHistory(hunt, bad, T0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateInputError);
    expect((err as Error).message).toContain('update.coveredDays');
    expect((err as Error).message).toContain('update.keepDays');
    expect((err as Error).message).toContain('update.sightings[0].name');
    await expect(store().readHistory('bad#hunt', { hosts: [], users: [] }, T0)).rejects.toThrow(StateInputError);
    await expect(store().readHistory(hunt, { hosts: [''], users: [] }, T0)).rejects.toThrow(/query.hosts\[0\]/);
    expect((await store().readHistory(hunt, { hosts: ['ws-a'], users: [] }, T0)).coveredDays).toEqual([]);
  });
}
