/**
 * The invocations that are not a hunt run: plan a backfill, add up its chunks, send the daily
 * shadow report. Also the errors a `hunt-window` chunk throws so the state machine retries it.
 */
import type { HuntAction } from './actions.js';
import { planBackfill, summariseBackfill } from './backfill-plan.js';
import type { HuntDefinition } from './hunts/index.js';
import type { RunSettings, StateStore } from './ports.js';
import type { RunSummary } from './run/index.js';
import { sendShadowReport, type OpsPublisher } from './shadow-report.js';

export interface ActionDeps {
  readonly hunt: HuntDefinition;
  readonly settings: RunSettings;
  readonly state: StateStore;
  readonly now: () => number;
  /** The ops topic; absent when HUNT_ALARM_TOPIC_ARN is not set. */
  readonly ops?: OpsPublisher | undefined;
  /** The hunts the daily shadow report covers. @default this hunt */
  readonly shadowHunts?: readonly string[];
}

export class OpsTopicNotConfiguredError extends Error {
  override readonly name = 'OpsTopicNotConfiguredError';
}

/** Handles every action but the runs themselves (scheduled, hunt-window). */
export async function runAction(action: Exclude<HuntAction, { action: 'scheduled' | 'hunt-window' }>, deps: ActionDeps): Promise<{ readonly status: string } & Record<string, unknown>> {
  switch (action.action) {
    case 'plan-backfill': {
      const chunkMs = action.chunkMinutes === null ? deps.settings.maxWindowMs : action.chunkMinutes * 60_000;
      return { status: 'planned', ...planBackfill(action.range, chunkMs, deps.now(), action.shadow) };
    }
    case 'backfill-summary':
      return { status: 'backfill-summary', ...summariseBackfill(action.results) };
    case 'shadow-report': {
      if (deps.ops === undefined) throw new OpsTopicNotConfiguredError('the shadow report needs HUNT_ALARM_TOPIC_ARN (the stack sets it)');
      const report = await sendShadowReport(deps.state, deps.ops, deps.shadowHunts ?? [deps.hunt.id], deps.now());
      return { ...report };
    }
  }
}

/** Error names a chunk's run throws for "try again later"; the state machine's Retry matches them. */
export const CHUNK_RETRY_ERRORS = ['ChunkThrottledError', 'ChunkNotDoneError'] as const;

/** XSIAM or DynamoDB said "slow down" (too many concurrent queries, rate limit, throttling). */
export class ChunkThrottledError extends Error {
  override readonly name = 'ChunkThrottledError';
}

/** The chunk did not finish (its window is leased by another invocation, or the deadline came first). */
export class ChunkNotDoneError extends Error {
  override readonly name = 'ChunkNotDoneError';
}

const THROTTLING = new Set(['XsiamTooManyQueriesError', 'XsiamRateLimitedError', 'StateThrottledError']);

/**
 * The tenant's daily XQL quota is spent. Not a retry error: a daily quota does not come back in
 * the minutes a retry waits ("Queries called without enough quota will fail",
 * https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM-Platform-APIs/Run-XQL-query-APIs).
 */
export class ChunkQuotaExhaustedError extends Error {
  override readonly name = 'ChunkQuotaExhaustedError';
}

/** True when the run stopped on XSIAM's quota-exceeded reply (the StageError's cause, or the error itself). */
export function isQuotaExhausted(err: unknown): boolean {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return cause instanceof Error && cause.name === 'XsiamQuotaExceededError';
}

/** The error a failed chunk throws: throttling or quota by name (the StageError's cause), else the error itself. */
export function chunkFailure(err: unknown): unknown {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  if (isQuotaExhausted(err)) return new ChunkQuotaExhaustedError('XSIAM daily query quota exhausted; the chunk fails without retries (re-run it once the quota resets)', { cause: err });
  if (cause instanceof Error && THROTTLING.has(cause.name)) return new ChunkThrottledError(`chunk throttled (${cause.name}); retried with backoff`, { cause: err });
  return err;
}

/** A chunk that ran but did not complete is retried, not counted as done. */
export function assertChunkDone(summary: RunSummary): void {
  if (summary.status === 'completed' || summary.status === 'up-to-date') return;
  throw new ChunkNotDoneError(`chunk ended ${summary.status}; retried`);
}
