/**
 * The late sweep's mark every StateStore adapter must keep: one mark per hunt and sweep, written
 * with an optimistic version like the checkpoint, so two runs never both advance it.
 */
import { expect, it } from 'vitest';
import type { StateStore, SweepMarkUpdate } from '../../lambda/ports.js';
import { CheckpointConflictError, StateInputError } from '../../lambda/state/index.js';
import { MINUTE, T0, freshHuntId } from '../fixtures/state/findings.js';

function sweepOf(s: StateStore): Required<Pick<StateStore, 'readSweepMark' | 'writeSweepMark'>> {
  if (s.readSweepMark === undefined || s.writeSweepMark === undefined) throw new Error('the adapter keeps no sweep mark');
  return { readSweepMark: s.readSweepMark.bind(s), writeSweepMark: s.writeSweepMark.bind(s) };
}

const mark = (arrivedUntil: number, over: Partial<SweepMarkUpdate> = {}): SweepMarkUpdate =>
  ({ arrivedUntil, sweptAt: arrivedUntil + MINUTE, unitsDay: '2031-01-15', unitsSpent: 0.25, lastCost: 0.25, ...over });

export function sweepContract(store: () => StateStore): void {
  it('writes the first sweep mark, advances it, and refuses a stale version', async () => {
    const hunt = freshHuntId();
    const s = sweepOf(store());
    expect(await s.readSweepMark(hunt, 'full')).toBeNull();
    const first = await s.writeSweepMark(hunt, 'full', mark(T0), null, T0);
    expect(first).toMatchObject({ ...mark(T0), version: 1, updatedAt: T0 });
    const second = await s.writeSweepMark(hunt, 'full', mark(T0 + 60 * MINUTE, { unitsSpent: 0.5 }), 1, T0 + 61 * MINUTE);
    expect(await sweepOf(store()).readSweepMark(hunt, 'full')).toEqual(second);
    expect(second.version).toBe(2);
    // A run that read version 1 lost the race: its write must not move the mark back.
    await expect(s.writeSweepMark(hunt, 'full', mark(T0 + 30 * MINUTE), 1, T0 + 62 * MINUTE)).rejects.toBeInstanceOf(CheckpointConflictError);
    await expect(s.writeSweepMark(hunt, 'short', mark(T0), 1, T0)).rejects.toBeInstanceOf(CheckpointConflictError);
    expect((await s.readSweepMark(hunt, 'full'))?.arrivedUntil).toBe(T0 + 60 * MINUTE);
  });

  it('keeps the hours the last query read (for the budget estimate), and reads an older mark without them', async () => {
    const hunt = freshHuntId();
    const s = sweepOf(store());
    await s.writeSweepMark(hunt, 'recent', mark(T0), null, T0);
    expect(await s.readSweepMark(hunt, 'recent')).not.toHaveProperty('lastHours');
    await s.writeSweepMark(hunt, 'recent', mark(T0 + 60 * MINUTE, { lastHours: 7.25 }), 1, T0 + 61 * MINUTE);
    expect(await s.readSweepMark(hunt, 'recent')).toMatchObject({ lastHours: 7.25, version: 2 });
    await expect(s.writeSweepMark(hunt, 'recent', mark(T0, { lastHours: -1 }), 2, T0)).rejects.toThrow(/next\.lastHours/);
  });

  it('keeps each sweep of each hunt apart, and apart from the checkpoint', async () => {
    const hunt = freshHuntId();
    const s = sweepOf(store());
    await s.writeSweepMark(hunt, 'short', mark(T0), null, T0);
    expect(await s.readSweepMark(hunt, 'full')).toBeNull();
    expect(await s.readSweepMark(freshHuntId(), 'short')).toBeNull();
    expect(await store().readCheckpoint(hunt)).toBeNull();
  });

  it('refuses a malformed mark, naming each bad field', async () => {
    const s = sweepOf(store());
    const error = await s.writeSweepMark(freshHuntId(), 'Full Sweep', { ...mark(Number.NaN), unitsDay: 'today', lastCost: -1 }, null, T0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateInputError);
    const text = String((error as Error).message);
    for (const field of ['sweep', 'next.arrivedUntil', 'next.unitsDay', 'next.lastCost']) expect(text).toContain(field);
  });
}
