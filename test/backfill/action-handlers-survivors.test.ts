/**
 * The invocations that are not a hunt run (lambda/action-handlers.ts) as the backfill state machine
 * and the operator see them: the plan's chunk windows and status, the summary's status, the shadow
 * report's hunts, and the errors a chunk throws (their names are what the state machine's Retry
 * matches and what the execution's failure shows; their messages are what the operator reads there).
 */
import { describe, expect, it } from 'vitest';
import { assertChunkDone, chunkFailure, runAction, type ActionDeps } from '../../lambda/action-handlers.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import type { RunSettings, StateStore } from '../../lambda/ports.js';
import type { RunSummary } from '../../lambda/run/index.js';
import type { ShadowReport } from '../../lambda/shadow-report.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.parse('2026-03-02T12:00:00Z');
const FROM = Date.parse('2026-03-02T08:00:00Z');

/** Only what the actions read: the shadow log (empty) and the clock. */
function deps(extra: Partial<ActionDeps> = {}): ActionDeps {
  const state = { readShadow: async (_hunt: string, day: string) => ({ day, entries: [], dropped: 0 }) } as unknown as StateStore;
  return { hunt: WMIC_REMOTE_EXEC, settings: { maxWindowMs: 2 * HOUR } as RunSettings, state, now: () => NOW, ...extra };
}

interface Planned { status: string; chunkCount: number; chunks: { window: { from: string; to: string } }[] }

describe('plan-backfill', () => {
  it('splits the range into chunkMinutes-long windows and says planned', async () => {
    const out = await runAction({ action: 'plan-backfill', range: { from: FROM, to: FROM + 2 * HOUR }, chunkMinutes: 30, shadow: false }, deps()) as unknown as Planned;
    expect(out.status).toBe('planned');
    expect(out.chunkCount).toBe(4);
    expect(out.chunks[0]?.window).toEqual({ from: '2026-03-02T08:00:00.000Z', to: '2026-03-02T08:30:00.000Z' });
  });

  it('uses the largest window the settings allow when chunkMinutes is not given', async () => {
    const out = await runAction({ action: 'plan-backfill', range: { from: FROM, to: FROM + 4 * HOUR }, chunkMinutes: null, shadow: false }, deps()) as unknown as Planned;
    expect(out.chunkCount).toBe(2);
  });
});

describe('backfill-summary', () => {
  it('adds up the chunks under the status backfill-summary', async () => {
    const out = await runAction({ action: 'backfill-summary', results: [{ status: 'completed', rows: 3 }, { status: 'completed', rows: 4 }] }, deps());
    expect(out).toMatchObject({ status: 'backfill-summary', chunks: 2, rows: 7, statuses: { completed: 2 } });
  });
});

describe('shadow-report', () => {
  it('refuses, naming the missing setting, when no ops topic is configured', async () => {
    const err = await runAction({ action: 'shadow-report' }, deps()).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('OpsTopicNotConfiguredError');
    expect((err as Error).message).toContain('HUNT_ALARM_TOPIC_ARN');
  });

  it('reports this hunt when no list of hunts in shadow is given', async () => {
    const sent: string[] = [];
    const ops = { publish: async (subject: string) => { sent.push(subject); } };
    const out = await runAction({ action: 'shadow-report' }, deps({ ops })) as unknown as ShadowReport;
    expect(out.status).toBe('shadow-report-sent');
    expect(out.hunts.map((h) => h.huntId)).toEqual([WMIC_REMOTE_EXEC.id]);
    expect(sent[0]).toContain('by 1 hunt(s)');
  });
});

/** An error as the run's StageError carries it: the XSIAM client's error is its cause. */
function stageError(causeName: string): Error {
  const cause = new Error('from XSIAM');
  cause.name = causeName;
  return new Error('the query stage failed', { cause });
}

describe('chunkFailure', () => {
  it('turns a spent daily quota into a non-retried error that tells the operator to re-run after the reset', () => {
    const err = stageError('XsiamQuotaExceededError');
    const out = chunkFailure(err) as Error;
    expect(out.name).toBe('ChunkQuotaExhaustedError');
    expect(out.message).toContain('daily query quota exhausted');
    expect(out.message).toContain('re-run it once the quota resets');
    expect(out.cause).toBe(err);
  });

  it('turns throttling into a retried error naming which limit was hit', () => {
    const err = stageError('XsiamRateLimitedError');
    const out = chunkFailure(err) as Error;
    expect(out.name).toBe('ChunkThrottledError');
    expect(out.message).toBe('chunk throttled (XsiamRateLimitedError); retried with backoff');
    expect(out.cause).toBe(err);
  });
});

describe('assertChunkDone', () => {
  const summary = (status: RunSummary['status']) => ({ status }) as RunSummary;

  it('accepts a completed or up-to-date chunk', () => {
    expect(() => assertChunkDone(summary('completed'))).not.toThrow();
    expect(() => assertChunkDone(summary('up-to-date'))).not.toThrow();
  });

  it.each(['partial', 'lease-held'] as const)('retries a %s chunk, saying how it ended', (status) => {
    let err: unknown;
    try { assertChunkDone(summary(status)); } catch (e) { err = e; }
    expect((err as Error).name).toBe('ChunkNotDoneError');
    expect((err as Error).message).toBe(`chunk ended ${status}; retried`);
  });
});
