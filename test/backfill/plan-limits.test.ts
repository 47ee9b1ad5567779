/** The planner refuses what the state machine cannot carry, naming Step Functions' limit. */
import { describe, expect, it } from 'vitest';
import {
  MAX_BACKFILL_CHUNKS, SFN_MAX_HISTORY_EVENTS, SFN_MAX_STATE_BYTES, historyEvents, machineProblems, planBackfill, type BackfillPlan,
} from '../../lambda/backfill-plan.js';

const MIN = 60_000;
const NOW = Date.parse('2026-12-01T00:00:00Z');
const planOf = (chunks: number, shadow = false): BackfillPlan => planBackfill({ from: NOW - chunks * MIN, to: NOW }, MIN, NOW, shadow);

describe('backfill plan limits', () => {
  it(`accepts ${MAX_BACKFILL_CHUNKS} chunks and refuses ${MAX_BACKFILL_CHUNKS + 1}, naming the guard`, () => {
    expect(planOf(MAX_BACKFILL_CHUNKS).chunkCount).toBe(MAX_BACKFILL_CHUNKS);
    expect(() => planOf(MAX_BACKFILL_CHUNKS + 1)).toThrow(`${MAX_BACKFILL_CHUNKS + 1} chunks is more than ${MAX_BACKFILL_CHUNKS}`);
  });

  it('the guard is the documented 2,000: 2,000 one-minute chunks are planned, 2,001 are refused', () => {
    expect(planOf(2_000).chunks).toHaveLength(2_000);
    expect(() => planOf(2_001)).toThrow('2001 chunks is more than 2000');
  });

  it('the largest accepted plan fits both limits, and the shadow flag reaches every chunk', () => {
    const plan = planOf(MAX_BACKFILL_CHUNKS, true);
    expect(machineProblems(plan)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(plan))).toBeLessThan(SFN_MAX_STATE_BYTES);
    expect(historyEvents(MAX_BACKFILL_CHUNKS)).toBeLessThanOrEqual(SFN_MAX_HISTORY_EVENTS);
    expect(plan.chunks.every((c) => c.shadow)).toBe(true);
  });

  it('names the state-size and history limits for a plan the machine could not carry', () => {
    const big = planOf(MAX_BACKFILL_CHUNKS);
    const tooBig: BackfillPlan = { ...big, chunkCount: 2 * MAX_BACKFILL_CHUNKS, chunks: [...big.chunks, ...big.chunks] };
    const problems = machineProblems(tooBig);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/more than Step Functions' 262144-byte state limit/);
    expect(problems[1]).toMatch(/more than Step Functions' 25000-event history limit/);
  });
});
