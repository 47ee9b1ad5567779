/**
 * Runs a parsed query over in-memory xdr_data rows and shapes the output like XSIAM's JSON
 * results: `_time` as epoch ms, `_vendor`, `_product`, `insert_timestamp` and `_insert_time`
 * always present.
 */
import type { XqlQuery } from './ast.js';
import { XqlWindowError } from './errors.js';
import { arrivalOf } from './arrival.js';
import { compilePlan } from './plan.js';
import { resolveTimeframe, toEpochMs } from './timeframe.js';

/** Options of `runXql`. */
export interface RunXqlOptions {
  /**
   * The API request's `timeframe`: keeps rows with `from <= _time < to`.
   * @default - no time filter, unless the query has `config timeframe`
   */
  readonly window?: { readonly from: number; readonly to: number };
  /**
   * Epoch ms that relative timeframes (`24h`, "-1d", "now") count from.
   * @default Date.now()
   */
  readonly now?: number;
  /**
   * Only rows that have arrived by this epoch ms are seen (arrival.ts): the local XSIAM passes
   * the query's start. @default - every row is seen
   */
  readonly arrivedBy?: number;
  /** A row without `_insert_time` arrives this long after its `_time` (ms). @default 0 */
  readonly ingestLagMs?: number;
}

/**
 * Evaluates `query` over `rows` and returns new row objects (inputs are never modified).
 *
 * Only `xdr_data` holds rows here: a query on any other dataset returns no rows.
 * Entries of `rows` that are not plain objects are skipped.
 */
export function runXql(
  query: XqlQuery,
  rows: Iterable<Record<string, unknown>>,
  options: RunXqlOptions = {},
): Record<string, unknown>[] {
  // Compiled per run (microseconds): the per-row memo inside must not outlive these rows.
  const ingestLagMs = options.ingestLagMs ?? 0;
  const plan = compilePlan(query, ingestLagMs);
  const arrivedBy = options.arrivedBy;
  // Assumption (reference §6.1, precedence UNVERIFIED): a query's own `config timeframe`
  // is more specific than the API window, so it replaces the window rather than narrowing it.
  const window = query.timeframe !== undefined
    ? resolveTimeframe(query.timeframe, options.now ?? Date.now())
    : options.window;
  if (window !== undefined && (!Number.isFinite(window.from) || !Number.isFinite(window.to))) {
    throw new XqlWindowError(window.from, window.to);
  }
  if (query.dataset.toLowerCase() !== 'xdr_data') return [];

  const inWindow = window === undefined
    ? undefined
    : (row: Record<string, unknown>): boolean => {
        const raw = row['_time'];
        const t = typeof raw === 'number' ? raw : toEpochMs(raw);
        return t !== null && t >= window.from && t < window.to;
      };
  const selected: Record<string, unknown>[] = [];
  for (const row of rows) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) continue;
    if (inWindow !== undefined && !inWindow(row)) continue;
    if (arrivedBy !== undefined && !((arrivalOf(row, ingestLagMs) ?? Infinity) <= arrivedBy)) continue;
    if (plan.leadingFilter !== undefined && plan.leadingFilter(row) !== true) continue;
    selected.push(row);
  }
  return plan.run(selected);
}
