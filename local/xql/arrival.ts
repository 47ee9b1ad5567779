/**
 * When a row arrived in XSIAM: its `_insert_time` (a documented system field: when the row was
 * ingested), in epoch ms, ISO or XSIAM's `YYYY-MM-DD HH:MM:SS.fff UTC` form; a row without one
 * arrives at its `_time` plus the configured ingest lag. A query sees a row only once it has
 * arrived (`_insert_time` at or before the query's start): XSIAM's timeframe selects on `_time`
 * ("The results for the time frame are based on times listed in the _Time column"), so an event
 * that arrives late lands in a `_time` window already hunted.
 * https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-3.x-Documentation/timeframe
 * https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-3.x-Documentation/fields (system fields)
 */
import { toEpochMs } from './timeframe.js';
import { own } from './values.js';

export type Row = Record<string, unknown>;

/** Epoch ms the row arrived; null when neither `_insert_time` nor `_time` can be read. */
export function arrivalOf(row: Row, ingestLagMs: number): number | null {
  const stamped = own(row, '_insert_time');
  if (stamped !== null) return toEpochMs(stamped);
  const time = toEpochMs(own(row, '_time'));
  return time === null ? null : time + ingestLagMs;
}
