/**
 * The backfill state machine's two small steps in the hunt function: split a range into chunk
 * windows (the Map state's items) and add up the chunks' results into one summary.
 */
import type { TimeWindow } from './pipeline-types.js';
import { InvalidEventError } from './actions.js';
import type { RunSummary } from './run/index.js';
import { COUNTERS } from './run/index.js';
import { explicitPlan } from './windows.js';

/** Chunks one execution may fan out: the Map's input stays far below Step Functions' 256 KB payload limit. */
export const MAX_BACKFILL_CHUNKS = 2_000;

export interface BackfillPlan {
  readonly range: { readonly from: string; readonly to: string };
  readonly chunkCount: number;
  /** Each becomes one `hunt-window` invocation. */
  readonly chunks: { readonly action: 'hunt-window'; readonly window: { readonly from: string; readonly to: string }; readonly shadow: boolean }[];
}

export function planBackfill(range: TimeWindow, chunkMs: number, now: number, shadow = false): BackfillPlan {
  const problems: string[] = [];
  if (range.to > now) problems.push(`to (${iso(range.to)}) is in the future; a backfill covers the past`);
  const chunks = explicitPlan(range, chunkMs).chunks;
  if (chunks.length > MAX_BACKFILL_CHUNKS) problems.push(`${chunks.length} chunks is more than ${MAX_BACKFILL_CHUNKS}; split the range or use larger chunkMinutes`);
  if (problems.length > 0) throw new InvalidEventError(problems);
  return {
    range: { from: iso(range.from), to: iso(range.to) },
    chunkCount: chunks.length,
    chunks: chunks.map((c) => ({ action: 'hunt-window', window: { from: iso(c.from), to: iso(c.to) }, shadow })),
  };
}

/** What one chunk returns to the state machine: the counts, without the notified pairs (payload limits). */
export function chunkResult(summary: RunSummary): Record<string, unknown> {
  const { notifications: _sent, expiredAllowlistEntries: _expired, ...line } = summary;
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
