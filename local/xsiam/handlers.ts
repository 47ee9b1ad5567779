/** Replies of the four XQL endpoints, as plain values; server.ts writes them to the socket. */
import { gzipSync } from 'node:zlib';
import type { QueryStore } from './queries.js';
import { jsonRow, streamRow } from './serialise.js';
import type { EventRow, XqlEngine } from './types.js';

export interface Reply {
  readonly status: number;
  /** JSON body, or raw bytes for the stream. */
  readonly json?: unknown;
  readonly bytes?: Buffer;
  readonly headers?: Record<string, string>;
}

/** XSIAM's error envelope. */
export function envelope(status: number, errMsg: string, errExtra: unknown = null): Reply {
  return { status, json: { reply: { err_code: status, err_msg: errMsg, err_extra: errExtra } } };
}

export interface HandlerContext {
  readonly store: QueryStore;
  readonly engine: XqlEngine;
  readonly events: () => Promise<readonly EventRow[]>;
  readonly now: () => number;
  readonly maxParallel: number;
  readonly streamThreshold: number;
  readonly realistic: boolean;
  /** A row without `_insert_time` arrives this long after its `_time`. */
  readonly ingestLagMs: number;
  readonly tenantId: string;
  parallelRejections: number;
}

const DAY = 86_400_000;

function epoch(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  // The XDR docs send from/to as strings, the XSIAM docs as numbers: accept both.
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return null;
}

/** request_data.timeframe → window; absent means the last 24 hours. */
function windowOf(timeframe: unknown, now: number): { from: number; to: number } | string {
  if (timeframe === undefined || timeframe === null) return { from: now - DAY, to: now };
  if (typeof timeframe !== 'object' || Array.isArray(timeframe)) return 'timeframe must be an object';
  const t = timeframe as Record<string, unknown>;
  if ('relativeTime' in t) {
    const rel = epoch(t.relativeTime);
    return rel === null ? 'timeframe.relativeTime must be milliseconds' : { from: now - rel, to: now };
  }
  const from = epoch(t.from);
  const to = epoch(t.to);
  if (from === null || to === null) return 'timeframe needs numeric from and to (epoch ms)';
  return { from, to };
}

function parsePosition(error: unknown): { line: number; column: number; message: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { line?: unknown; column?: unknown; message?: unknown };
  if (typeof e.line !== 'number' || typeof e.column !== 'number') return null;
  return { line: e.line, column: e.column, message: typeof e.message === 'string' ? e.message : 'syntax error' };
}

export async function startQuery(ctx: HandlerContext, data: Record<string, unknown>): Promise<Reply> {
  if (typeof data.query !== 'string' || data.query.trim() === '') return envelope(400, 'Bad Request', 'request_data.query must be a non-empty string');
  const window = windowOf(data.timeframe, ctx.now());
  if (typeof window === 'string') return envelope(400, 'Bad Request', window);
  let parsed: unknown;
  try {
    parsed = ctx.engine.parse(data.query);
  } catch (error) {
    const parseErr = parsePosition(error);
    if (parseErr === null) return envelope(500, 'Internal server error', 'query could not be compiled');
    return envelope(500, 'Internal server error', { parse_err: parseErr });
  }
  // "up to four API queries in parallel"; XSOAR matches the refusal's text
  // (demisto/content CoreXQLApiModule.py). Status 500 is UNVERIFIED (one third-party report).
  // https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM-Platform-APIs/Run-XQL-query-APIs?contentId=1s0xMRbk6MSqurwAl8_h7A
  if (ctx.store.running >= ctx.maxParallel) {
    ctx.parallelRejections += 1;
    return envelope(500, 'reached max allowed amount of parallel running queries', `max ${ctx.maxParallel}`);
  }
  // "Queries called without enough quota will fail" (daily quota in query units):
  // https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM-Platform-APIs/Run-XQL-query-APIs
  // Assumption (UNVERIFIED): an exhausted quota is an HTTP 500 whose text says so.
  if (ctx.store.remainingQuota <= 0) {
    return envelope(500, 'query usage exceeded max daily quota', { error_type: 'QUOTA_EXCEEDED' });
  }
  let rows: EventRow[] = [];
  let failure: string | null = null;
  try {
    rows = ctx.engine.run(parsed, await ctx.events(), { window, now: ctx.now(), ingestLagMs: ctx.ingestLagMs });
  } catch (error) {
    failure = error instanceof Error ? error.message : 'query failed';
  }
  // The data scanned: the `_time` span of the window up to now (no data exists after now).
  const scannedHours = Math.max(0, Math.min(window.to, ctx.now()) - window.from) / 3_600_000;
  return { status: 200, json: { reply: ctx.store.start(rows, failure, scannedHours) } };
}

export function queryResults(ctx: HandlerContext, data: Record<string, unknown>): Reply {
  if (typeof data.query_id !== 'string') return envelope(400, 'Bad Request', 'request_data.query_id must be a string');
  const view = ctx.store.poll(data.query_id);
  if (view.kind === 'unknown') return envelope(500, 'Internal server error', `query id ${data.query_id.slice(0, 80)} not found`);
  if (view.kind === 'pending') return { status: 200, json: { reply: { status: 'PENDING' } } };
  const common = { query_cost: { [ctx.tenantId]: view.cost }, remaining_quota: ctx.store.remainingQuota };
  if (view.failure !== null) {
    return { status: 200, json: { reply: { status: 'FAIL', number_of_results: 0, ...common, results: { data: [] }, err_msg: view.failure } } };
  }
  const limit = typeof data.limit === 'number' && data.limit >= 0 && data.limit <= ctx.streamThreshold ? data.limit : null;
  if (limit === null && view.rows.length > ctx.streamThreshold) {
    const streamId = ctx.store.openStream(view.rows);
    return { status: 200, json: { reply: { status: 'SUCCESS', number_of_results: view.rows.length, ...common, results: { stream_id: streamId } } } };
  }
  const rows = view.rows.slice(0, limit ?? ctx.streamThreshold).map((r) => jsonRow(r, ctx.realistic));
  return { status: 200, json: { reply: { status: 'SUCCESS', number_of_results: rows.length, ...common, results: { data: rows } } } };
}

export function queryStream(ctx: HandlerContext, data: Record<string, unknown>, truncate: boolean): Reply {
  if (typeof data.stream_id !== 'string') return envelope(400, 'Bad Request', 'request_data.stream_id must be a string');
  const rows = ctx.store.stream(data.stream_id);
  if (!rows) return envelope(500, 'Internal server error', `stream id ${data.stream_id.slice(0, 80)} not found`);
  const text = rows.map((r) => JSON.stringify(streamRow(r, ctx.realistic))).join('\n') + '\n';
  if (data.is_gzip_compressed !== true) return { status: 200, bytes: Buffer.from(text, 'utf8'), headers: { 'content-type': 'text/plain' } };
  // The payload itself is gzip, not a transfer encoding: no Content-Encoding header (reference §2.3).
  const gz = gzipSync(text);
  return { status: 200, bytes: truncate ? gz.subarray(0, Math.floor(gz.length / 2)) : gz, headers: { 'content-type': 'application/octet-stream' } };
}

export function quota(ctx: HandlerContext, total: number): Reply {
  const active = ctx.store.active();
  return {
    status: 200,
    json: {
      reply: {
        license_quota: total,
        additional_purchased_quota: 0,
        used_quota: ctx.store.usedQuota,
        eval_quota: 0,
        total_daily_running_queries: ctx.store.started,
        total_daily_concurrent_rejected_queries: ctx.parallelRejections,
        current_concurrent_active_queries: active,
        current_concurrent_active_queries_count: Object.keys(active).length,
        max_daily_concurrent_active_query_count: ctx.maxParallel,
      },
    },
  };
}
