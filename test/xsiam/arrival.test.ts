/**
 * The local XSIAM knows arrival: a query sees a row only once its `_insert_time` (epoch ms, ISO
 * or XSIAM's "… UTC" text) is at or before the query's start; a row without one arrives at
 * `_time` plus the configured ingest lag; XQL reads `_insert_time`. A query's cost grows with the
 * hours of `_time` it scans.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { localXqlEngine } from '../../local/xsiam/index.js';
import { parseXql, runXql } from '../../local/xql/index.js';
import { credentials, harness, type Harness } from './support.js';

const T = Date.UTC(2026, 10, 28, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

// A laptop off the network: the event happened at T, its agent uploaded it 30 hours later.
const ROWS = [
  { event_id: 'on-time', _time: T },
  { event_id: 'late-ms', _time: T, _insert_time: T + 20 * MIN },
  { event_id: 'late-iso', _time: T, _insert_time: new Date(T + 30 * HOUR).toISOString() },
  { event_id: 'late-utc', _time: T, _insert_time: '2026-11-29 18:00:00.000000 UTC' },
];

describe('the local XQL engine and arrival', () => {
  it('sees a row only once it has arrived, and reads _insert_time as epoch ms', () => {
    const q = parseXql('dataset = xdr_data | fields event_id, _insert_time');
    const at = (now: number, lag = 0): string[] => runXql(q, ROWS, { arrivedBy: now, ingestLagMs: lag }).map((r) => String(r['event_id']));
    expect(at(T)).toEqual(['on-time']);
    expect(at(T, 2 * MIN)).toEqual([]);
    expect(at(T + 20 * MIN)).toEqual(['on-time', 'late-ms']);
    expect(at(T + 30 * HOUR)).toEqual(['on-time', 'late-ms', 'late-iso', 'late-utc']);
    const rows = runXql(q, ROWS, { ingestLagMs: 5 * MIN });
    expect(rows.map((r) => r['_insert_time'])).toEqual([T + 5 * MIN, T + 20 * MIN, T + 30 * HOUR, T + 30 * HOUR]);
  });

  it('filters and sorts on _insert_time', () => {
    const q = parseXql(`dataset = xdr_data | filter _insert_time > ${T + 10 * MIN} | sort desc _insert_time | fields event_id`);
    expect(runXql(q, ROWS).map((r) => r['event_id'])).toEqual(['late-iso', 'late-utc', 'late-ms']);
  });
});

describe('the local XSIAM server and arrival', () => {
  it('answers a query with the rows arrived by its start, and charges for the hours scanned', async () => {
    h = await harness({ events: ROWS, engine: localXqlEngine, ingestLagMs: 2 * MIN, pendingPolls: 0, scanUnitsPerHour: 0.01 });
    h.time.advance(T + 21 * MIN - h.time.now);
    const window = { from: T - 24 * HOUR, to: T + HOUR };
    const early = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', window, { deadline: h.time.now + MIN });
    expect(early.rows.map((r) => r['event_id'])).toEqual(['on-time', 'late-ms']);
    expect(early.rows[0]).toMatchObject({ _insert_time: T + 2 * MIN });
    // 24 h + 21 min of data scanned (the window ends in the future: nothing is there yet).
    expect(early.queryCost).toBeCloseTo(0.001 + 2 * 0.00001 + (24 + 21 / 60) * 0.01, 8);

    h.time.advance(30 * HOUR);
    const later = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', window, { deadline: h.time.now + MIN });
    expect(later.rows.map((r) => r['event_id'])).toEqual(['on-time', 'late-ms', 'late-iso', 'late-utc']);
  });
});
