import { describe, expect, it } from 'vitest';
import { parseXql, runXql, XqlParseError, XqlWindowError } from '../../local/xql/index.js';

const NOW = Date.UTC(2025, 6, 28, 12, 0, 0); // 2025-07-28 12:00:00 UTC
const HOUR = 3_600_000;
const ROWS: Record<string, unknown>[] = [
  { id: '3d-ago', _time: NOW - 72 * HOUR },
  { id: '5h-ago', _time: NOW - 5 * HOUR },
  { id: '90m-ago', _time: String(NOW - 1.5 * HOUR) },
  { id: 'stream-time', _time: '2025-07-28 11:30:00.000 UTC' },
  { id: 'at-now', _time: NOW },
  { id: 'no-time' },
  { id: 'bad-time', _time: 'yesterday' },
];

const ids = (xql: string, options: Parameters<typeof runXql>[2] = {}): unknown[] =>
  runXql(parseXql(xql), ROWS, { now: NOW, ...options }).map((r) => r['id']);

describe('the API window', () => {
  it('keeps rows with from <= _time < to, reading numeric and stream-style _time', () => {
    expect(ids('dataset = xdr_data', { window: { from: NOW - 5 * HOUR, to: NOW } }))
      .toEqual(['5h-ago', '90m-ago', 'stream-time']);
  });

  it('keeps every row, even without _time, when there is no window', () => {
    expect(ids('dataset = xdr_data')).toHaveLength(ROWS.length);
  });

  it('rejects a window with non-finite bounds', () => {
    expect(() => ids('dataset = xdr_data', { window: { from: Number.NaN, to: NOW } })).toThrow(XqlWindowError);
  });
});

describe('config timeframe', () => {
  it('counts a duration back from now', () => {
    const query = parseXql('config timeframe = 2h | dataset = xdr_data');

    expect(query.timeframe).toEqual({ kind: 'last', durationMs: 2 * HOUR });
    expect(ids('config timeframe = 2h | dataset = xdr_data')).toEqual(['90m-ago', 'stream-time']);
    expect(ids('config timeframe = 4D')).toEqual(['3d-ago', '5h-ago', '90m-ago', 'stream-time']);
    expect(ids('config timeframe = 1mo')).toEqual(['3d-ago', '5h-ago', '90m-ago', 'stream-time']);
  });

  it('takes precedence over the API window (assumed: the reference leaves precedence unverified)', () => {
    const window = { from: NOW - 100 * HOUR, to: NOW - 60 * HOUR };

    expect(ids('config timeframe = 6h | dataset = xdr_data', { window })).toEqual(['5h-ago', '90m-ago', 'stream-time']);
    expect(ids('dataset = xdr_data', { window })).toEqual(['3d-ago']);
  });

  it('accepts between with relative ends and now', () => {
    expect(ids('config timeframe between "-6h" and "-1h"')).toEqual(['5h-ago', '90m-ago']);
    expect(ids('config timeframe between "6h" and "now"')).toEqual(['5h-ago', '90m-ago', 'stream-time']);
    expect(ids('config timeframe between "begin" and "-2h"')).toEqual(['3d-ago', '5h-ago']);
  });

  it('accepts between with absolute times in UTC or with an offset', () => {
    expect(ids('config timeframe between "2025-07-28 06:00:00" and "2025-07-28 11:00:00"')).toEqual(['5h-ago', '90m-ago']);
    // 08:30 +0200 is 06:30 UTC: the offset moves the window, it is not ignored.
    expect(ids('config timeframe between "2025-07-28 08:30:00 +0200" and "2025-07-28 09:30:00 +0200"'))
      .toEqual(['5h-ago']);
    expect(ids('config timeframe between "2025-07-28 13:00:00 +0200" and "2025-07-28 13:45:00 +0200"'))
      .toEqual(['stream-time']);
  });

  it('uses Date.now() when no now is given', () => {
    const rows = runXql(parseXql('config timeframe = 1h'), [{ id: 'fresh', _time: Date.now() - 1000 }, { id: 'old', _time: 0 }]);

    expect(rows.map((r) => r['id'])).toEqual(['fresh']);
  });

  it('refuses unknown units, malformed times and a start after the end', () => {
    expect(() => parseXql('config timeframe = 3q')).toThrow(/line 1, column 20: expected a duration/);
    expect(() => parseXql('config timeframe = 24')).toThrow(XqlParseError);
    expect(() => parseXql('config timeframe between "2025-02-30 00:00:00" and "now"')).toThrow(/column 26: expected a time/);
    expect(() => parseXql('config timeframe between "yesterday" and "now"')).toThrow(/expected a time in double quotes/);
    expect(() => parseXql('config timeframe between "2025-07-29 00:00:00" and "2025-07-28 00:00:00"')).toThrow(/expected a start time before the end time/);
    expect(() => parseXql('config timeframe between "-1d" "now"')).toThrow(/expected 'and' between the two times/);
  });
});
