import { describe, expect, it } from 'vitest';
import { normaliseRow, toEpochMs } from '../../lambda/xsiam/rows.js';

describe('toEpochMs', () => {
  it.each([
    ['2026-01-15 07:42:47.691 UTC', Date.UTC(2026, 0, 15, 7, 42, 47, 691)],
    ['2026-01-15 07:42:48.691000 UTC', Date.UTC(2026, 0, 15, 7, 42, 48, 691)],
    ['2021-10-14 03:59:09.7 UTC', Date.UTC(2021, 9, 14, 3, 59, 9, 700)],
    ['2021-10-14 03:59:09.123456789 UTC', Date.UTC(2021, 9, 14, 3, 59, 9, 123)],
    ['2021-10-14T03:59:09Z', Date.UTC(2021, 9, 14, 3, 59, 9)],
    ['2021-10-14 03:59:09', Date.UTC(2021, 9, 14, 3, 59, 9)],
    [' 2021-10-14 03:59:09 utc ', Date.UTC(2021, 9, 14, 3, 59, 9)],
    ['2021-10-14 03:59:09+00:00', Date.UTC(2021, 9, 14, 3, 59, 9)],
    ['2021-10-14T03:59:09.5+02:00', Date.UTC(2021, 9, 14, 1, 59, 9, 500)],
    ['1700000000000', 1_700_000_000_000],
    ['NULL', null],
  ])('reads %j', (text, expected) => {
    expect(toEpochMs(text)).toBe(expected);
  });

  it.each(['2021-10-14 03:59:09.1234567890 UTC', '2021-10-14 03:59:09. UTC', '2021-1a-14 03:59:09 UTC', '2021-10-14 03:59:0９ UTC', 'x', ''])(
    'does not read %j',
    (text) => {
      expect(toEpochMs(text)).toBeUndefined();
    },
  );
});

describe('normaliseRow', () => {
  it('converts NULL, TRUE, FALSE and the time fields in place: the parsed object becomes the row, without a prototype', () => {
    // What the client hands over: a fresh object from JSON.parse, used by nothing else.
    const raw = JSON.parse('{"a":"NULL","b":"TRUE","c":"FALSE","_time":"2026-01-15 07:42:47.691 UTC","insert_timestamp":"soon","d":"x"}') as Record<string, unknown>;
    const problems: string[] = [];
    const row = normaliseRow(raw, 'line 3', problems);
    expect(row).toBe(raw);
    expect(Object.getPrototypeOf(row)).toBeNull();
    expect({ ...row }).toEqual({ a: null, b: true, c: false, _time: Date.UTC(2026, 0, 15, 7, 42, 47, 691), insert_timestamp: null, d: 'x' });
    expect(Object.keys(row ?? {})).toEqual(['a', 'b', 'c', '_time', 'insert_timestamp', 'd']);
    expect(problems).toEqual(['line 3.insert_timestamp: expected epoch ms or a UTC date-time, got "soon"; read as null']);
  });

  it('copies a frozen object (JSON.parse never gives one) and leaves it as it was', () => {
    const raw = Object.freeze({ a: 'NULL', _time: 5 });
    const row = normaliseRow(raw, 'line 1', []);
    expect(row).not.toBe(raw);
    expect(Object.getPrototypeOf(row)).toBeNull();
    expect({ ...row }).toEqual({ a: null, _time: 5 });
    expect(raw.a).toBe('NULL');
  });
});
