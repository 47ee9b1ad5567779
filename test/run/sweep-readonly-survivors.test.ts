/**
 * A state store that can read sweep marks but not write them (lambda/run/sweep.ts): a sweep could
 * never move its mark, so none runs. The store is not asked for a mark, and no warning tells ops
 * that a sweep waits for the next run when none ever would.
 */
import { describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import type { Log, StateStore } from '../../lambda/ports.js';
import type { RunContext } from '../../lambda/run/context.js';
import { lateSweeps } from '../../lambda/run/sweep.js';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 11, 6, 12, 0, 0);

describe('a store that reads sweep marks but cannot write them', () => {
  it('sweeps nothing, reads no mark and warns of nothing, even with the deadline passed', async () => {
    const reads: string[] = [];
    const warnings: string[] = [];
    const state = { readSweepMark: async (_hunt: string, sweep: string) => { reads.push(sweep); return null; } } as unknown as StateStore;
    const log: Log = { debug() {}, info() {}, error() {}, warn: (message) => { warnings.push(message); } };
    const ctx = {
      ports: { state, log, clock: { now: () => T } },
      request: { hunt: WMIC_REMOTE_EXEC, runId: 'run-1', deadline: T - 1, settings: { ...defaultRunSettings(), lateArrivalMs: 72 * HOUR, lateSweepEveryMs: 0 } },
      flags: { window: null, advancesCheckpoint: true, publish: true },
    } as unknown as RunContext;
    const tally = await lateSweeps(ctx, T - HOUR);
    expect(tally.counts).toMatchObject({ lateSweeps: 0, queryCost: 0 });
    expect(reads).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
