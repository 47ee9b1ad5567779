/**
 * The behaviour every StateStore adapter must show. Each adapter's test file calls it with a
 * factory; tests use fresh hunt ids so they can share one table or directory.
 */
import { expect, it } from 'vitest';
import type { StateStore } from '../../lambda/ports.js';
import { CheckpointConflictError, FindingNotFoundError, StateInputError } from '../../lambda/state/index.js';
import { DAY, MINUTE, T0, freshHuntId, makeFinding, makeFindings } from '../fixtures/state/findings.js';
import { incidentContract } from './incident-contract.js';
import { historyContract } from './history-contract.js';
import { awaitingContract } from './awaiting-contract.js';
import { sweepContract } from './sweep-contract.js';
import { claimContract } from './claim-contract.js';
import { evidenceContract } from './evidence-contract.js';

const WINDOW = 7 * DAY;

const fps = (list: readonly { fingerprint: string }[]): string[] => list.map((f) => f.fingerprint).sort();

export function stateStoreContract(store: () => StateStore): void {
  incidentContract(store);
  awaitingContract(store);
  sweepContract(store);
  claimContract(store);
  evidenceContract(store);

  it('claims new host pairs once: created first, then known on the next record', async () => {
    const hunt = freshHuntId();
    const findings = makeFindings(hunt, 3);
    const first = await store().recordFindings(findings, T0, WINDOW);
    const second = await store().recordFindings(findings, T0 + MINUTE, WINDOW);
    expect(fps(first.created)).toEqual(fps(findings));
    expect(first.created.every((f) => f.status === 'PENDING' && f.count === 1)).toBe(true);
    expect(second.created).toEqual([]);
    expect(fps(second.pending)).toEqual(fps(findings));
  });

  it('hands each class back in the order the findings were given', async () => {
    const hunt = freshHuntId();
    const findings = makeFindings(hunt, 20).reverse();
    const first = await store().recordFindings(findings, T0, WINDOW);
    await store().markNotified(hunt, findings.filter((_, i) => i % 2 === 0).map((f) => f.fingerprint), T0);
    const second = await store().recordFindings(findings, T0 + MINUTE, WINDOW);
    expect(first.created.map((f) => f.fingerprint)).toEqual(findings.map((f) => f.fingerprint));
    expect(second.repeats.map((f) => f.fingerprint)).toEqual(findings.filter((_, i) => i % 2 === 0).map((f) => f.fingerprint));
    expect(second.pending.map((f) => f.fingerprint)).toEqual(findings.filter((_, i) => i % 2 === 1).map((f) => f.fingerprint));
  });

  it('returns a claim never marked notified as pending on the next run, and as a repeat once notified', async () => {
    const hunt = freshHuntId();
    const f = makeFinding(hunt, 1);
    await store().recordFindings([f], T0, WINDOW);
    const again = await store().recordFindings([f], T0 + 5 * MINUTE, WINDOW);
    expect(again.pending.map((p) => [p.fingerprint, p.status])).toEqual([[f.fingerprint, 'PENDING']]);
    await store().markNotified(hunt, [f.fingerprint], T0 + 6 * MINUTE);
    const later = await store().recordFindings([f], T0 + 10 * MINUTE, WINDOW);
    expect(later.pending).toEqual([]);
    expect(later.repeats.map((r) => [r.fingerprint, r.status])).toEqual([[f.fingerprint, 'NOTIFIED']]);
  });

  it("judges a known pair with this run's verdict: score, severity, reasons and suppression come from the finding given", async () => {
    const hunt = freshHuntId();
    const claimed = makeFinding(hunt, 1, { severity: 'low', riskScore: 20, suppressed: { entryId: 'sccm', owner: 'it', reason: 'deploys', expires: '2031-01-01' } });
    await store().recordFindings([claimed], T0, WINDOW);
    const reasons = [{ code: 'payload.powershell', points: 5, detail: 'encoded PowerShell' }];
    const now = { ...claimed, eventIds: ['ev-later'], severity: 'critical' as const, riskScore: 95, reasons, suppressed: null };
    const again = await store().recordFindings([now], T0 + MINUTE, WINDOW);
    expect(again.pending[0]).toMatchObject({ severity: 'critical', riskScore: 95, reasons, suppressed: null, count: 2, status: 'PENDING' });
    await store().markNotified(hunt, [claimed.fingerprint], T0 + 2 * MINUTE);
    const later = await store().recordFindings([{ ...now, severity: 'medium' as const }], T0 + 3 * MINUTE, WINDOW);
    expect(later.repeats[0]).toMatchObject({ severity: 'medium', status: 'NOTIFIED' });
  });

  it('counts each event id once across overlapping windows and grows with new ones', async () => {
    const hunt = freshHuntId();
    const f = makeFinding(hunt, 1, { eventIds: ['e1', 'e2'] });
    const first = await store().recordFindings([f], T0, WINDOW);
    await store().markNotified(hunt, [f.fingerprint], T0);
    const overlap = await store().recordFindings([{ ...f, eventIds: ['e2', 'e1'] }], T0 + MINUTE, WINDOW);
    const grown = await store().recordFindings([{ ...f, eventIds: ['e2', 'e3', 'e4'], lastSeen: T0 }], T0 + 2 * MINUTE, WINDOW);
    expect(first.created[0]?.count).toBe(2);
    expect(overlap.repeats[0]?.count).toBe(2);
    expect(grown.repeats[0]).toMatchObject({ count: 4, lastSeen: T0, firstSeen: f.firstSeen, status: 'NOTIFIED' });
    const reread = await store().recordFindings([{ ...f, eventIds: ['e1', 'e3'] }], T0 + 3 * MINUTE, WINDOW);
    expect(reread.repeats[0]).toMatchObject({ count: 4, lastSeen: T0 });
  });

  it('claims a pair anew once its item is past expiresAt, even though the item is still stored', async () => {
    const hunt = freshHuntId();
    const f = makeFinding(hunt, 1, { eventIds: ['old-1', 'old-2'] });
    await store().recordFindings([f], T0, WINDOW);
    await store().markNotified(hunt, [f.fingerprint], T0);
    const inside = await store().recordFindings([{ ...f, eventIds: ['new-1'] }], T0 + WINDOW - 1000, WINDOW);
    const after = await store().recordFindings([{ ...f, eventIds: ['new-2'] }], T0 + WINDOW + 1000, WINDOW);
    expect(inside.repeats.map((r) => r.count)).toEqual([3]);
    expect(after.created.map((c) => [c.fingerprint, c.count, c.status])).toEqual([[f.fingerprint, 1, 'PENDING']]);
    const next = await store().recordFindings([{ ...f, eventIds: ['new-2'] }], T0 + WINDOW + 2000, WINDOW);
    expect(next.pending.map((p) => p.count)).toEqual([1]);
  });

  it('folds findings with the same key in one call into one record', async () => {
    const hunt = freshHuntId();
    const a = makeFinding(hunt, 1, { eventIds: ['a1', 'a2'], firstSeen: T0 - 9 * MINUTE, lastSeen: T0 - 8 * MINUTE });
    const b = { ...a, eventIds: ['a2', 'a3'], firstSeen: T0 - 7 * MINUTE, lastSeen: T0 - 2 * MINUTE };
    const out = await store().recordFindings([a, b], T0, WINDOW);
    expect(out.created).toHaveLength(1);
    expect(out.created[0]).toMatchObject({ count: 3, firstSeen: T0 - 9 * MINUTE, lastSeen: T0 - 2 * MINUTE });
  });

  it('keeps hunts apart: the same fingerprint under another hunt is a new pair', async () => {
    const huntA = freshHuntId('a');
    const huntB = freshHuntId('b');
    const f = makeFinding(huntA, 1);
    await store().recordFindings([f], T0, WINDOW);
    const other = await store().recordFindings([{ ...f, huntId: huntB }], T0, WINDOW);
    expect(other.created).toHaveLength(1);
  });

  it('returns an empty outcome for no findings', async () => {
    expect(await store().recordFindings([], T0, WINDOW)).toEqual({ created: [], pending: [], repeats: [] });
  });

  it('rejects malformed findings by name before writing anything', async () => {
    const hunt = freshHuntId();
    const good = makeFinding(hunt, 1);
    const bad = { ...makeFinding(hunt, 2), fingerprint: '', eventIds: 'e1' } as unknown as typeof good;
    const err = await store().recordFindings([good, bad], T0, WINDOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateInputError);
    expect((err as Error).message).toContain('findings[1].fingerprint');
    expect((err as Error).message).toContain('findings[1].eventIds');
    const after = await store().recordFindings([good], T0, WINDOW);
    expect(after.created).toHaveLength(1);
  });

  it('rejects a non-finite time or window', async () => {
    const f = makeFinding(freshHuntId(), 1);
    await expect(store().recordFindings([f], Number.NaN, WINDOW)).rejects.toThrow(StateInputError);
    await expect(store().recordFindings([f], T0, 0)).rejects.toThrow(/dedupeWindowMs/);
  });

  it('marks the known findings notified and names the unknown ones', async () => {
    const hunt = freshHuntId();
    const f = makeFinding(hunt, 1);
    await store().recordFindings([f], T0, WINDOW);
    const err = await store().markNotified(hunt, ['not-stored', f.fingerprint], T0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FindingNotFoundError);
    expect((err as FindingNotFoundError).fingerprints).toEqual(['not-stored']);
    const next = await store().recordFindings([f], T0 + MINUTE, WINDOW);
    expect(next.repeats).toHaveLength(1);
  });

  it('writes the first checkpoint, advances it, and refuses a stale version', async () => {
    const hunt = freshHuntId();
    expect(await store().readCheckpoint(hunt)).toBeNull();
    const first = await store().writeCheckpoint(hunt, { coveredUntil: T0, lastRunStatus: 'OK' }, null, T0 + 1);
    const second = await store().writeCheckpoint(hunt, { coveredUntil: T0 + MINUTE, lastRunStatus: 'OK' }, first.version, T0 + 2);
    expect(first).toEqual({ coveredUntil: T0, lastRunStatus: 'OK', version: 1, updatedAt: T0 + 1 });
    expect(second.version).toBe(2);
    const stale = await store().writeCheckpoint(hunt, { coveredUntil: T0 + 9 * MINUTE, lastRunStatus: 'OK' }, 1, T0 + 3).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(CheckpointConflictError);
    expect(stale).toMatchObject({ expectedVersion: 1, actualVersion: 2, huntId: hunt });
    await expect(store().writeCheckpoint(hunt, { coveredUntil: T0, lastRunStatus: 'OK' }, null, T0 + 4)).rejects.toThrow(CheckpointConflictError);
    expect(await store().readCheckpoint(hunt)).toEqual(second);
  });

  it('refuses a checkpoint write expecting a version when there is none yet', async () => {
    const hunt = freshHuntId();
    await expect(store().writeCheckpoint(hunt, { coveredUntil: T0, lastRunStatus: 'OK' }, 3, T0)).rejects.toThrow(CheckpointConflictError);
    expect(await store().readCheckpoint(hunt)).toBeNull();
  });

  it('rejects a malformed checkpoint write', async () => {
    const hunt = freshHuntId();
    await expect(store().writeCheckpoint(hunt, { coveredUntil: Number.NaN, lastRunStatus: 'OK' }, null, T0)).rejects.toThrow(/coveredUntil/);
    await expect(store().writeCheckpoint(hunt, { coveredUntil: T0, lastRunStatus: 'OK' }, 0, T0)).rejects.toThrow(/expectedVersion/);
    await expect(store().readCheckpoint('bad#hunt')).rejects.toThrow(StateInputError);
  });

  it('holds the lease against other runs until it ends, renews for its holder, and releases', async () => {
    const hunt = freshHuntId();
    const ttl = 15 * MINUTE;
    expect(await store().acquireLease(hunt, 'run-1', T0, ttl)).toBe(true);
    expect(await store().acquireLease(hunt, 'run-2', T0 + MINUTE, ttl)).toBe(false);
    expect(await store().acquireLease(hunt, 'run-1', T0 + MINUTE, ttl)).toBe(true);
    expect(await store().acquireLease(hunt, 'run-2', T0 + MINUTE + ttl - 1, ttl)).toBe(false);
    expect(await store().acquireLease(hunt, 'run-2', T0 + MINUTE + ttl, ttl)).toBe(true);
    await store().releaseLease(hunt, 'run-1');
    expect(await store().acquireLease(hunt, 'run-3', T0 + MINUTE + ttl + 1, ttl)).toBe(false);
    await store().releaseLease(hunt, 'run-2');
    expect(await store().acquireLease(hunt, 'run-3', T0 + MINUTE + ttl + 2, ttl)).toBe(true);
  });

  it('rejects a lease request without holder or with a non-positive ttl', async () => {
    await expect(store().acquireLease(freshHuntId(), '', T0, MINUTE)).rejects.toThrow(/holder/);
    await expect(store().acquireLease(freshHuntId(), 'run', T0, 0)).rejects.toThrow(/ttlMs/);
  });

  historyContract(store);
  it('keeps the confirmation status each notification carried, and hands it back with the repeat', async () => {
    const hunt = freshHuntId();
    const [a, b, c] = makeFindings(hunt, 3);
    await store().recordFindings([a!, b!, c!], T0, WINDOW);
    await store().markNotified(hunt, [a!.fingerprint, b!.fingerprint], T0 + MINUTE, new Map([[a!.fingerprint, 'not-seen'], [b!.fingerprint, 'confirmed']]));
    await store().markNotified(hunt, [c!.fingerprint], T0 + MINUTE);
    const later = await store().recordFindings([a!, b!, c!], T0 + 2 * MINUTE, WINDOW);
    const sent = new Map(later.repeats.map((r) => [r.fingerprint, r.sent]));
    expect(sent.get(a!.fingerprint)).toEqual({ notifiedAt: T0 + MINUTE, confirmation: 'not-seen', followUpSent: null });
    expect(sent.get(b!.fingerprint)).toEqual({ notifiedAt: T0 + MINUTE, confirmation: 'confirmed', followUpSent: null });
    expect(sent.get(c!.fingerprint)).toEqual({ notifiedAt: T0 + MINUTE, confirmation: null, followUpSent: null });
  });

  it('claims the one follow-up of a NOTIFIED pair once: a second claim, a PENDING or an unknown pair get none', async () => {
    const hunt = freshHuntId();
    const [notified, pending] = makeFindings(hunt, 2);
    await store().recordFindings([notified!, pending!], T0, WINDOW);
    await store().markNotified(hunt, [notified!.fingerprint], T0 + MINUTE, new Map([[notified!.fingerprint, 'unavailable']]));
    const s = store();
    if (s.claimFollowUps === undefined) throw new Error('the adapter has no claimFollowUps');
    const unknown = makeFinding(hunt, 99).fingerprint;
    const [first, second] = await Promise.all([
      s.claimFollowUps(hunt, [notified!.fingerprint, pending!.fingerprint, unknown], T0 + 2 * MINUTE),
      store().claimFollowUps!(hunt, [notified!.fingerprint], T0 + 2 * MINUTE),
    ]);
    expect([...first, ...second]).toEqual([notified!.fingerprint]);
    expect(await s.claimFollowUps(hunt, [notified!.fingerprint], T0 + 3 * MINUTE)).toEqual([]);
    const later = await s.recordFindings([notified!], T0 + 4 * MINUTE, WINDOW);
    expect(later.repeats[0]?.sent).toEqual({ notifiedAt: T0 + MINUTE, confirmation: 'unavailable', followUpSent: T0 + 2 * MINUTE });
  });

  it('refuses a confirmation status it does not know, naming it', async () => {
    const hunt = freshHuntId();
    const f = makeFinding(hunt, 1);
    await store().recordFindings([f], T0, WINDOW);
    await expect(store().markNotified(hunt, [f.fingerprint], T0, new Map([[f.fingerprint, 'maybe' as never]]))).rejects.toThrow(/confirmations\[.*\] must be one of confirmed, not-seen, unmanaged, unavailable/);
  });
}
