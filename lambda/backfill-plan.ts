/**
 * The backfill state machine's two small steps in the hunt function: split a range into chunk
 * windows (the Map state's items) and add up the chunks' results into one summary. The plan is
 * refused when the state machine could not carry it (Step Functions' state size and history limits).
 */
import type { TimeWindow } from './pipeline-types.js';
import { InvalidEventError } from './actions.js';
import type { RunSummary } from './run/index.js';
import { COUNTERS } from './run/index.js';
import { explicitPlan } from './windows.js';

/** Chunks one execution may fan out (the largest accepted plan; its state and history fit, see machineProblems). */
export const MAX_BACKFILL_CHUNKS = 2_000;

/**
 * Step Functions' hard limits for a Standard execution: 262,144 bytes of state data (input or
 * output of any state) and 25,000 events of history; an inline Map's events count toward the latter.
 * https://docs.aws.amazon.com/step-functions/latest/dg/limits.html
 */
export const SFN_MAX_STATE_BYTES = 262_144;
export const SFN_MAX_HISTORY_EVENTS = 25_000;

/**
 * The fields the state machine keeps of a chunk's result (the HuntChunk task's ResultSelector);
 * the summary adds them up. Everything else of the chunk's run summary is in its log line.
 */
export const CHUNK_RESULT_FIELDS = ['status', 'rows', 'findings', 'newPairs', 'notified', 'wouldNotify'] as const;

/** Bytes of the largest kept chunk result (nine-digit counts; XSIAM returns at most 1,000,000 rows a query), plus its comma. */
export const MAX_CHUNK_RESULT_BYTES = JSON.stringify(
  Object.fromEntries(CHUNK_RESULT_FIELDS.map((f) => [f, f === 'status' ? 'up-to-date' : 999_999_999])),
).length + 1;

/**
 * History events of an execution with n chunks (Standard workflow, inline Map): ExecutionStarted,
 * the plan task (TaskStateEntered, LambdaFunctionScheduled, -Started, -Succeeded, TaskStateExited),
 * the Map (MapStateEntered, -Started, -Succeeded, MapStateExited), the summary task (5) and
 * ExecutionSucceeded: 16. Each chunk: MapIterationStarted, the task's 5, MapIterationSucceeded: 7.
 * Each retry of a chunk adds LambdaFunctionScheduled, -Started and -Failed: 3.
 */
export const HISTORY_FIXED_EVENTS = 16;
export const HISTORY_EVENTS_PER_CHUNK = 7;
export const HISTORY_EVENTS_PER_RETRY = 3;
/** Retries the largest plan must still have room for: one per chunk on average. */
export const RETRIES_PER_CHUNK_RESERVED = 1;

export interface BackfillPlan {
  readonly range: { readonly from: string; readonly to: string };
  readonly chunkCount: number;
  /** Each is one `hunt-window` invocation's payload, exactly (a chunk can be re-run by hand with it). */
  readonly chunks: { readonly action: 'hunt-window'; readonly window: { readonly from: string; readonly to: string }; readonly shadow: boolean }[];
}

export function planBackfill(range: TimeWindow, chunkMs: number, now: number, shadow = false): BackfillPlan {
  const problems: string[] = [];
  if (range.to > now) problems.push(`to (${iso(range.to)}) is in the future; a backfill covers the past`);
  const windows = explicitPlan(range, chunkMs).chunks;
  if (windows.length > MAX_BACKFILL_CHUNKS) problems.push(`${windows.length} chunks is more than ${MAX_BACKFILL_CHUNKS}; split the range or use larger chunkMinutes`);
  const plan: BackfillPlan = {
    range: { from: iso(range.from), to: iso(range.to) },
    chunkCount: windows.length,
    chunks: windows.map((c) => ({ action: 'hunt-window', window: { from: iso(c.from), to: iso(c.to) }, shadow })),
  };
  // Stryker disable next-line ConditionalExpression: `false` is equivalent: within MAX_BACKFILL_CHUNKS chunks of fixed-length ISO windows machineProblems finds nothing; the check stays as a guard should the guard be raised
  if (problems.length === 0) problems.push(...machineProblems(plan));
  if (problems.length > 0) throw new InvalidEventError(problems);
  return plan;
}

/** What the state machine could not carry of `plan`: each problem names the Step Functions limit. */
export function machineProblems(plan: BackfillPlan): string[] {
  const problems: string[] = [];
  // The plan task's output (status + plan) is the Map's input; after the Map each item's place holds its kept result.
  const planBytes = Buffer.byteLength(JSON.stringify({ status: 'planned', ...plan }));
  const afterMapBytes = planBytes - Buffer.byteLength(JSON.stringify(plan.chunks)) + 2 + plan.chunkCount * MAX_CHUNK_RESULT_BYTES;
  const stateBytes = Math.max(planBytes, afterMapBytes);
  if (stateBytes > SFN_MAX_STATE_BYTES) {
    problems.push(`the plan needs ${stateBytes} bytes of state, more than Step Functions' ${SFN_MAX_STATE_BYTES}-byte state limit; split the range or use larger chunkMinutes`);
  }
  const events = historyEvents(plan.chunkCount);
  // Stryker disable next-line EqualityOperator: 16 + 10 × chunks is never exactly 25,000, so > and >= refuse the same plans (2,498 taken, 2,499 refused: plan-edges.test.ts)
  if (events > SFN_MAX_HISTORY_EVENTS) {
    problems.push(`the plan needs up to ${events} history events (${plan.chunkCount} chunks with one retry each on average), more than Step Functions' ${SFN_MAX_HISTORY_EVENTS}-event history limit; split the range or use larger chunkMinutes`);
  }
  return problems;
}

/** History events of an execution with `chunks` chunks, with the reserved retries. */
export function historyEvents(chunks: number, retriesPerChunk = RETRIES_PER_CHUNK_RESERVED): number {
  return HISTORY_FIXED_EVENTS + chunks * (HISTORY_EVENTS_PER_CHUNK + retriesPerChunk * HISTORY_EVENTS_PER_RETRY);
}

/** What one chunk returns to the state machine: the counts, without the notified pairs (payload limits). */
export function chunkResult(summary: RunSummary): Record<string, unknown> {
  const { notifications: _sent, expiredAllowlistEntries: _expired, checked: _checked, ...line } = summary;
  return line;
}

/** The sum of the chunks' counters, and how many chunks ended in which status. */
export function summariseBackfill(results: readonly unknown[]): Record<string, unknown> {
  const totals: Record<string, number> = Object.fromEntries(COUNTERS.map((k) => [k, 0]));
  const statuses: Record<string, number> = {};
  for (const r of results) {
    const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    const status = typeof o['status'] === 'string' ? o['status'] : 'unknown';
    statuses[status] = (statuses[status] ?? 0) + 1;
    for (const k of COUNTERS) if (typeof o[k] === 'number') totals[k] = (totals[k] ?? 0) + (o[k] as number);
  }
  return { ...totals, chunks: results.length, statuses };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
