/**
 * planBackfill and machineProblems at their edges: one unit inside and one outside each limit,
 * the exact plan a small range gives, and the summary the state machine's last step returns.
 * Step Functions' limits: https://docs.aws.amazon.com/step-functions/latest/dg/limits.html
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_BACKFILL_CHUNKS, MAX_CHUNK_RESULT_BYTES, SFN_MAX_STATE_BYTES, chunkResult, historyEvents, machineProblems, planBackfill,
  summariseBackfill, type BackfillPlan,
} from '../../lambda/backfill-plan.js';
import { InvalidEventError } from '../../lambda/actions.js';
import type { RunSummary } from '../../lambda/run/index.js';

const MIN = 60_000;
const NOW = Date.parse('2026-12-01T00:00:00Z');

function problemsOf(f: () => unknown): readonly string[] {
  try { f(); } catch (e) { if (e instanceof InvalidEventError) return e.problems; throw e; }
  return [];
}

describe('planBackfill: the plan and its refusals', () => {
  it('gives each chunk the exact hunt-window payload, the last one cut at the range end', () => {
    const plan = planBackfill({ from: NOW - 150 * MIN, to: NOW - 10 * MIN }, 60 * MIN, NOW);
    expect(plan).toEqual({
      range: { from: '2026-11-30T21:30:00.000Z', to: '2026-11-30T23:50:00.000Z' },
      chunkCount: 3,
      chunks: [
        { action: 'hunt-window', window: { from: '2026-11-30T21:30:00.000Z', to: '2026-11-30T22:30:00.000Z' }, shadow: false },
        { action: 'hunt-window', window: { from: '2026-11-30T22:30:00.000Z', to: '2026-11-30T23:30:00.000Z' }, shadow: false },
        { action: 'hunt-window', window: { from: '2026-11-30T23:30:00.000Z', to: '2026-11-30T23:50:00.000Z' }, shadow: false },
      ],
    });
    // shadow reaches every chunk, whatever their number
    expect(planBackfill({ from: NOW - 150 * MIN, to: NOW }, 60 * MIN, NOW, true).chunks.map((c) => c.shadow)).toEqual([true, true, true]);
  });

  it('accepts a range ending now and refuses one ending 1 ms later, naming the time', () => {
    expect(planBackfill({ from: NOW - MIN, to: NOW }, MIN, NOW).chunkCount).toBe(1);
    expect(problemsOf(() => planBackfill({ from: NOW - MIN, to: NOW + 1 }, MIN, NOW)))
      .toEqual(['to (2026-12-01T00:00:00.001Z) is in the future; a backfill covers the past']);
  });

  it('names every problem of a plan at once, and only the chunk guard for a plan over 2,000 chunks', () => {
    const over = MAX_BACKFILL_CHUNKS + 1;
    expect(problemsOf(() => planBackfill({ from: NOW - over * MIN, to: NOW }, MIN, NOW)))
      .toEqual([`${over} chunks is more than ${MAX_BACKFILL_CHUNKS}; split the range or use larger chunkMinutes`]);
    // 3,000 chunks would also break the history limit: the guard's sentence is the one the user needs
    expect(problemsOf(() => planBackfill({ from: NOW - 3_000 * MIN, to: NOW }, MIN, NOW)))
      .toEqual([`3000 chunks is more than ${MAX_BACKFILL_CHUNKS}; split the range or use larger chunkMinutes`]);
    expect(problemsOf(() => planBackfill({ from: NOW - over * MIN + 1, to: NOW + 1 }, MIN, NOW))).toEqual([
      'to (2026-12-01T00:00:00.001Z) is in the future; a backfill covers the past',
      `${over} chunks is more than ${MAX_BACKFILL_CHUNKS}; split the range or use larger chunkMinutes`,
    ]);
  });

  it('checks every accepted plan against the machine\'s limits, and the largest one fits', () => {
    // Chunk windows carry ISO times of a fixed length, so only a plan with more chunks than the guard
    // can outgrow the state; machineProblems is checked on every accepted plan nonetheless.
    expect(machineProblems(planBackfill({ from: NOW - MAX_BACKFILL_CHUNKS * MIN, to: NOW }, MIN, NOW))).toEqual([]);
  });
});

describe('machineProblems: the state-size limit, byte for byte', () => {
  // A plan as the state machine holds it; `pad` lengthens the range text to reach a given size.
  const planWith = (pad: number, chunkCount: number, chunks: BackfillPlan['chunks'] = []): BackfillPlan =>
    ({ range: { from: 'x'.repeat(pad), to: '' }, chunkCount, chunks });
  const planBytes = (p: BackfillPlan) => Buffer.byteLength(JSON.stringify({ status: 'planned', ...p }));

  it('takes a plan of exactly 262,144 bytes and refuses one byte more, naming the size', () => {
    const base = planBytes(planWith(0, 0));
    expect(machineProblems(planWith(SFN_MAX_STATE_BYTES - base, 0))).toEqual([]);
    expect(machineProblems(planWith(SFN_MAX_STATE_BYTES - base + 1, 0))).toEqual([
      `the plan needs ${SFN_MAX_STATE_BYTES + 1} bytes of state, more than Step Functions' 262144-byte state limit; split the range or use larger chunkMinutes`,
    ]);
  });

  it('counts the state after the Map: each chunk\'s place holds its kept result of at most MAX_CHUNK_RESULT_BYTES', () => {
    // the Map's output: the plan with its chunk list replaced by n results, each with its comma
    const n = 100;
    const after = (p: BackfillPlan) => planBytes(p) - Buffer.byteLength(JSON.stringify(p.chunks)) + 2 + n * MAX_CHUNK_RESULT_BYTES;
    const chunk = { action: 'hunt-window' as const, window: { from: '2026-11-30T23:59:00.000Z', to: '2026-12-01T00:00:00.000Z' }, shadow: false };
    const chunks = [chunk, chunk];
    const base = after(planWith(0, n, chunks));
    expect(base).toBeGreaterThan(planBytes(planWith(0, n, chunks)));
    const pad = SFN_MAX_STATE_BYTES - base;
    expect(machineProblems(planWith(pad, n, chunks))).toEqual([]);
    expect(machineProblems(planWith(pad + 1, n, chunks))[0]).toMatch(/^the plan needs 262145 bytes of state/);
    // the result size is the largest kept result, with its comma
    expect(MAX_CHUNK_RESULT_BYTES).toBe(JSON.stringify({ status: 'up-to-date', rows: 999_999_999, findings: 999_999_999, newPairs: 999_999_999, notified: 999_999_999, wouldNotify: 999_999_999 }).length + 1);
  });
});

describe('machineProblems: the history limit', () => {
  it('counts 16 fixed events, 7 per chunk and 3 per reserved retry', () => {
    expect(historyEvents(0)).toBe(16);
    expect(historyEvents(1)).toBe(26);
    expect(historyEvents(1, 0)).toBe(23);
    expect(historyEvents(2, 2)).toBe(16 + 2 * 13);
  });

  it('takes 2,498 chunks (24,996 events) and refuses 2,499 (25,006), naming the events', () => {
    const history = (n: number) => machineProblems({ range: { from: '', to: '' }, chunkCount: n, chunks: [] }).filter((p) => p.includes('history'));
    expect(history(2_498)).toEqual([]);
    expect(history(2_499)).toEqual([
      'the plan needs up to 25006 history events (2499 chunks with one retry each on average), more than Step Functions\' 25000-event history limit; split the range or use larger chunkMinutes',
    ]);
  });
});

describe('the chunks\' results and their sum', () => {
  it('keeps a chunk\'s counts without its notifications, expired entries and checked pairs', () => {
    const summary = { status: 'up-to-date', rows: 3, notifications: [{}], expiredAllowlistEntries: ['x'], checked: [{}] } as unknown as RunSummary;
    expect(chunkResult(summary)).toEqual({ status: 'up-to-date', rows: 3 });
  });

  it('adds every counter, counts each status, and reads a result that is not an object as unknown', () => {
    const out = summariseBackfill([
      { status: 'up-to-date', rows: 2, findings: 1, notified: 1 },
      { status: 'up-to-date', rows: 3, findings: '7' },
      { status: 'failed' },
      null,
      'boom',
      { rows: 1, status: 4 },
    ]);
    expect(out).toMatchObject({ rows: 6, findings: 1, notified: 1, newPairs: 0, chunks: 6, statuses: { 'up-to-date': 2, failed: 1, unknown: 3 } });
    expect(Object.keys(out.statuses as object)).toEqual(['up-to-date', 'failed', 'unknown']);
    expect(summariseBackfill([])).toMatchObject({ rows: 0, chunks: 0, statuses: {} });
  });
});
