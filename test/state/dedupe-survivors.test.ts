/**
 * The dedupe core (lambda/state/dedupe.ts) on the items the adapters store: each stored item here
 * is what newFindingRecord writes (or a hand-edited one), read back through readStoredState as both
 * adapters do. What is asserted is what the dedupe state keeps (count, first seen, event ids,
 * claim owner and stamp, rev) and which list a racing run's finding lands in (pending, in-flight,
 * repeat): the lists that decide who notifies a pair, exactly once.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../lambda/finding.js';
import {
  RECENT_EVENT_IDS_LIMIT, claimIsLive, decide, mergeEventIds, newFindingRecord, readStoredState, releasedItem, type Decision, type StoredState,
} from '../../lambda/state/dedupe.js';
import { findingKey } from '../../lambda/state/keys.js';
import { expiresAtFor } from '../../lambda/state/time.js';
import { FileStateStore } from '../../local/adapters/index.js';
import { DAY, MINUTE, T0, freshHuntId, makeFinding } from '../fixtures/state/findings.js';

const MAX_RUN = 6 * MINUTE;
const runA = { runId: 'run-a', maxRunMs: MAX_RUN };
const runB = { runId: 'run-b', maxRunMs: MAX_RUN };
const f = makeFinding('hunt-dedupe', 1, { eventIds: ['ev-1-a', 'ev-1-b'] });
/** The item a run stored for `finding`, as an adapter reads it back for `next`. */
const storedFor = (finding: Finding, claim = runA, at = T0): Record<string, unknown> => ({ ...newFindingRecord(finding, at, DAY, claim) });
const reread = (raw: Record<string, unknown>, next: Finding): StoredState => readStoredState(raw, next);
/** The write a known item asks for; a `create` (wrong here) has none. */
const changeOf = (d: Decision): unknown => (d.kind === 'create' ? 'create' : d.change);
const ids = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `ev-${from + i}`);

describe('mergeEventIds keeps every id below its bound, and only the newest at it', () => {
  it('keeps all 151 ids of an item far from the bound (none dropped)', () => {
    const merged = mergeEventIds(ids(150), ['ev-150']);
    expect(merged).toEqual({ eventIds: ids(151), added: 1 });
  });

  it('keeps 200 ids at the bound, and drops the oldest one at 201', () => {
    expect(mergeEventIds(ids(199), ['ev-199']).eventIds).toEqual(ids(RECENT_EVENT_IDS_LIMIT));
    expect(mergeEventIds(ids(200), ['ev-200'])).toEqual({ eventIds: ids(200, 1), added: 1 });
  });
});

describe('readStoredState on items that lack a field', () => {
  it('reads an item without an event-id list as no ids: the next finding stores only its own ids, its count on top of the stored one', () => {
    const raw = { ...storedFor(f), eventIds: undefined, count: 4 };
    const s = reread(raw, f);
    expect(s.eventIds).toEqual([]);
    expect(changeOf(decide(f, s, T0 + MINUTE, DAY, runA))).toMatchObject({ count: 6, eventIds: ['ev-1-a', 'ev-1-b'] });
    // Without a count either, the item counted nothing: the two ids are its count.
    expect(reread({ status: 'PENDING', eventIds: 'ev-1-a' }, f)).toMatchObject({ eventIds: [], count: 0 });
  });
});

describe('decide merges a stored pair with a new finding', () => {
  it('keeps the first sighting the item stored when a later window brings new events', () => {
    const later = makeFinding('hunt-dedupe', 1, { eventIds: ['ev-1-c'], firstSeen: T0 + MINUTE, lastSeen: T0 + 2 * MINUTE });
    const d = decide(later, reread(storedFor(f), later), T0 + 3 * MINUTE, DAY, runA);
    expect(d.tracked).toMatchObject({ count: 3, firstSeen: f.firstSeen, lastSeen: T0 + 2 * MINUTE });
    expect(changeOf(d)).toMatchObject({ count: 3, firstSeen: f.firstSeen, lastSeen: T0 + 2 * MINUTE, eventIds: ['ev-1-a', 'ev-1-b', 'ev-1-c'] });
  });

  it('stores an earlier first sighting of events it cannot name (no event ids): one ms earlier is written, the same is not', () => {
    // The detector names no ids when the rows carry no event_id: the finding is still one event.
    const unnamed = makeFinding('hunt-dedupe', 2, { eventIds: [] });
    const raw = storedFor(unnamed);
    const earlier = { ...unnamed, firstSeen: unnamed.firstSeen - 1 };
    expect(decide(earlier, reread(raw, earlier), T0 + MINUTE, DAY, runA)).toMatchObject({
      kind: 'pending', tracked: { firstSeen: unnamed.firstSeen - 1 }, change: { count: 1, firstSeen: unnamed.firstSeen - 1, rev: 2, expectedRev: 1 },
    });
    expect(changeOf(decide(unnamed, reread(raw, unnamed), T0 + MINUTE, DAY, runA))).toBeNull();
  });

  it('puts the notification facts only on a repeat of a NOTIFIED pair, never on a pending or in-flight one', () => {
    const pending = decide(f, reread(storedFor(f), f), T0 + MINUTE, DAY, runA);
    const inFlight = decide(f, reread(storedFor(f), f), T0 + MINUTE, DAY, runB);
    expect([pending.kind, inFlight.kind]).toEqual(['pending', 'in-flight']);
    expect(pending.tracked).not.toHaveProperty('sent');
    expect(inFlight.tracked).not.toHaveProperty('sent');
    const notified = { ...storedFor(f), status: 'NOTIFIED', notifiedAt: T0, confirmation: 'not-seen' };
    expect(decide(f, reread(notified, f), T0 + MINUTE, DAY, runB).tracked.sent).toEqual({ notifiedAt: T0, confirmation: 'not-seen', followUpSent: null });
    // A NOTIFIED state that kept no notification facts gives a repeat without any.
    const bare: StoredState = { status: 'NOTIFIED', count: 2, firstSeen: f.firstSeen, lastSeen: f.lastSeen, expiresAt: expiresAtFor(T0 + DAY), eventIds: f.eventIds, rev: 3 };
    expect(decide(f, bare, T0 + MINUTE, DAY, runB).tracked).not.toHaveProperty('sent');
  });
});

describe('claims between racing runs', () => {
  it('leaves its own claim as it is on a later chunk: no write, and the claim keeps its first stamp', () => {
    const raw = storedFor(f);
    expect(decide(f, reread(raw, f), T0 + 5 * MINUTE, DAY, runA)).toMatchObject({ kind: 'pending', change: null });
    const more = { ...f, eventIds: ['ev-1-c'] };
    const change = changeOf(decide(more, reread(raw, more), T0 + 5 * MINUTE, DAY, runA));
    expect(change).toMatchObject({ count: 3, rev: 2 });
    expect(change).not.toHaveProperty('claimedAt');
    expect(change).not.toHaveProperty('claimedBy');
  });

  it('takes over a PENDING pair whose state names no claimant (an item from before claim owners) at once', () => {
    const s: StoredState = { status: 'PENDING', count: 2, firstSeen: f.firstSeen, lastSeen: f.lastSeen, expiresAt: expiresAtFor(T0 + DAY), eventIds: f.eventIds, rev: 1 };
    expect(claimIsLive({ claimedAt: T0 }, T0, runB)).toBe(false);
    expect(decide(f, s, T0, DAY, runB)).toMatchObject({ kind: 'pending', change: { claimedAt: T0, claimedBy: 'run-b', rev: 2, expectedRev: 1 } });
  });

  it('lets a shadow run (no claimant) read a pair a live run holds as pending, without touching the claim', () => {
    const d = decide(f, reread(storedFor(f), f), T0 + MINUTE, DAY);
    expect(d).toMatchObject({ kind: 'pending', change: null });
  });
});

describe('releasedItem: a run gives up only its own PENDING claims', () => {
  it('drops the claimant and bumps rev by one, keeping every counted fact', () => {
    const raw = storedFor(f);
    const { claimedBy: _owner, ...rest } = raw;
    expect(releasedItem(raw, 'run-a')).toEqual({ ...rest, rev: 2 });
    expect(releasedItem({ ...raw, rev: undefined }, 'run-a')).toMatchObject({ count: 2, rev: 1 });
  });

  it('leaves a pair already NOTIFIED (even under its own name) and another run\'s claim alone', () => {
    const raw = storedFor(f);
    expect(releasedItem({ ...raw, status: 'NOTIFIED', notifiedAt: T0 }, 'run-a')).toBeNull();
    expect(releasedItem(raw, 'run-b')).toBeNull();
    expect(releasedItem(undefined, 'run-a')).toBeNull();
  });
});

describe('the same races through the file store (the local CLI\'s state)', () => {
  const WINDOW = 7 * DAY;
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hunt-dedupe-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const fresh = async (): Promise<FileStateStore> => new FileStateStore({ dir: await mkdtemp(join(root, 'case-')) });
  const fps = (list: readonly { fingerprint: string }[] | undefined): string[] => (list ?? []).map((x) => x.fingerprint);
  const itemOf = async (store: FileStateStore, finding: Finding): Promise<Record<string, unknown>> =>
    (JSON.parse(await readFile(store.path, 'utf8')) as { items: Record<string, Record<string, unknown>> }).items[findingKey(finding.huntId, finding.fingerprint)] ?? {};

  it('recovers a crashed run\'s pair maxRunMs after its claim, however late its own later chunk re-read it', async () => {
    const store = await fresh();
    const g = makeFinding(freshHuntId(), 1);
    await store.recordFindings([g], T0, WINDOW, runA);
    await store.recordFindings([{ ...g, eventIds: ['ev-1-b'] }], T0 + MAX_RUN - 1, WINDOW, runA);
    expect(await itemOf(store, g)).toMatchObject({ claimedAt: T0, claimedBy: 'run-a', count: 2 });
    expect(fps((await store.recordFindings([g], T0 + MAX_RUN - 1, WINDOW, runB)).inFlight)).toEqual([g.fingerprint]);
    expect(fps((await store.recordFindings([g], T0 + MAX_RUN, WINDOW, runB)).pending)).toEqual([g.fingerprint]);
  });

  it('a released pair keeps its count and first sighting for the run that takes it; a NOTIFIED pair is not touched', async () => {
    const store = await fresh();
    const hunt = freshHuntId();
    const released = makeFinding(hunt, 1, { eventIds: ['ev-1-a', 'ev-1-b', 'ev-1-c'] });
    const notified = makeFinding(hunt, 2);
    await store.recordFindings([released, notified], T0, WINDOW, runA);
    await store.markNotified(hunt, [notified.fingerprint], T0);
    const before = await itemOf(store, notified);
    await store.releaseClaims(hunt, [released.fingerprint, notified.fingerprint], 'run-a');
    expect(await itemOf(store, notified)).toEqual(before);
    expect(await itemOf(store, released)).not.toHaveProperty('claimedBy');
    const next = { ...released, eventIds: ['ev-1-d'], firstSeen: T0, lastSeen: T0 + MINUTE };
    const b = await store.recordFindings([next], T0 + 2 * MINUTE, WINDOW, runB);
    expect(b.pending).toMatchObject([{ fingerprint: released.fingerprint, count: 4, firstSeen: released.firstSeen, lastSeen: T0 + MINUTE }]);
  });

  it('a shadow run (no claimant) reads a pair a live run holds as pending, and leaves the claim to it', async () => {
    const store = await fresh();
    const g = makeFinding(freshHuntId(), 1);
    await store.recordFindings([g], T0, WINDOW, runA);
    const shadow = await store.recordFindings([g], T0 + MINUTE, WINDOW);
    expect(fps(shadow.pending)).toEqual([g.fingerprint]);
    expect(fps((await store.recordFindings([g], T0 + MINUTE, WINDOW, runB)).inFlight)).toEqual([g.fingerprint]);
  });
});
