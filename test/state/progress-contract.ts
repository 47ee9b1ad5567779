/**
 * The shadow log and backfill progress every StateStore adapter must keep (called beside
 * stateStoreContract by each adapter's test file).
 */
import { expect, it } from 'vitest';
import type { ShadowEntry, StateStore } from '../../lambda/ports.js';
import { SHADOW_LOG_LIMIT, StateInputError, utcDay } from '../../lambda/state/index.js';
import { DAY, MINUTE, T0, freshHuntId } from '../fixtures/state/findings.js';

const entry = (n: number, over: Partial<ShadowEntry> = {}): ShadowEntry => ({
  fingerprint: `fp-${n}`, sourceHost: 'WS-1', targetHost: `srv-${n}`, severity: 'high', riskScore: 80,
  reasons: ['payload.powershell'], remoteCommand: 'powershell -enc AAAA', seenAt: T0, ...over,
});

export function progressContract(store: () => StateStore): void {
  it('keeps one shadow-log entry per pair and day, first sighting first, and a separate log per UTC day', async () => {
    const hunt = freshHuntId();
    await store().recordShadow(hunt, [entry(1), entry(2)], T0);
    await store().recordShadow(hunt, [entry(2, { severity: 'critical' }), entry(3)], T0 + MINUTE);
    await store().recordShadow(hunt, [entry(4)], T0 + DAY);
    const today = await store().readShadow(hunt, utcDay(T0));
    expect(today.entries.map((e) => [e.fingerprint, e.severity])).toEqual([['fp-1', 'high'], ['fp-2', 'high'], ['fp-3', 'high']]);
    expect(today.dropped).toBe(0);
    expect((await store().readShadow(hunt, utcDay(T0 + DAY))).entries.map((e) => e.targetHost)).toEqual(['srv-4']);
    expect(await store().readShadow(hunt, '2030-01-01')).toEqual({ day: '2030-01-01', entries: [], dropped: 0 });
  });

  it('bounds a shadow-log day: pairs past the limit are counted as dropped, not listed', async () => {
    const hunt = freshHuntId();
    const many = Array.from({ length: SHADOW_LOG_LIMIT + 5 }, (_, i) => entry(i));
    await store().recordShadow(hunt, many, T0);
    const log = await store().readShadow(hunt, utcDay(T0));
    expect(log.entries).toHaveLength(SHADOW_LOG_LIMIT);
    expect(log.dropped).toBe(5);
  });

  it('rejects a malformed shadow entry or day, naming the problem', async () => {
    await expect(store().recordShadow(freshHuntId(), [{ ...entry(1), severity: 'huge' as never }], T0)).rejects.toThrow(/entries\[0\]/);
    await expect(store().readShadow(freshHuntId(), '29-11-2026')).rejects.toBeInstanceOf(StateInputError);
  });

  it('remembers the chunks of a backfill range done, per range, in chunk order', async () => {
    const hunt = freshHuntId();
    const range = { from: T0, to: T0 + 3 * 60 * MINUTE };
    const chunk = (i: number) => ({ from: T0 + i * 60 * MINUTE, to: T0 + (i + 1) * 60 * MINUTE });
    expect(await store().readBackfill(hunt, range)).toEqual([]);
    await store().markBackfillChunk(hunt, range, chunk(2), T0);
    await store().markBackfillChunk(hunt, range, chunk(0), T0);
    await store().markBackfillChunk(hunt, range, chunk(0), T0 + MINUTE);
    expect(await store().readBackfill(hunt, range)).toEqual([chunk(0), chunk(2)]);
    expect(await store().readBackfill(hunt, { ...range, to: range.to + MINUTE })).toEqual([]);
  });

  it('records parallel chunks of one range without losing any', async () => {
    const hunt = freshHuntId();
    const range = { from: T0, to: T0 + 6 * MINUTE };
    const chunks = Array.from({ length: 6 }, (_, i) => ({ from: T0 + i * MINUTE, to: T0 + (i + 1) * MINUTE }));
    await Promise.all(chunks.map((c) => store().markBackfillChunk(hunt, range, c, T0)));
    expect(await store().readBackfill(hunt, range)).toEqual(chunks);
  });

  it('rejects a chunk outside its range', async () => {
    await expect(store().markBackfillChunk(freshHuntId(), { from: T0, to: T0 + MINUTE }, { from: T0, to: T0 + 2 * MINUTE }, T0))
      .rejects.toThrow(/inside range/);
  });
}
