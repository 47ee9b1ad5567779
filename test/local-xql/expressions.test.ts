import { describe, expect, it } from 'vitest';
import { parseXql, runXql, XqlParseError } from '../../local/xql/index.js';

const ROWS: Record<string, unknown>[] = [
  { id: 1, _time: 1, event_type: 'PROCESS', name: 'wmic.exe', cmd: 'wmic /node:A process call create x', n: 5, path: 'C:\\Windows\\System32\\wbem\\WMIC.exe', tags: ['lateral', 'T1047'] },
  { id: 2, _time: 2, event_type: 'FILE', name: 'WMIC.EXE', cmd: 'WMIC /NODE:B PROCESS CALL CREATE y', n: '12', path: 'C:\\Temp\\a.exe' },
  { id: 3, _time: 3, event_type: 'PROCESS', name: 'powershell.exe', cmd: 'powershell -enc AAAA', n: 7 },
  { id: 4, _time: 4, event_type: 'NETWORK', name: null, cmd: null },
];

/** Ids of the rows `filter <condition>` keeps from ROWS. */
function where(condition: string, config = ''): unknown[] {
  return runXql(parseXql(`${config}dataset = xdr_data | filter ${condition}`), ROWS).map((r) => r['id']);
}

describe('comparisons', () => {
  it('compares strings case-insensitively by default', () => {
    expect(where('name = "wmic.exe"')).toEqual([1, 2]);
    expect(where('name != "wmic.exe"')).toEqual([3]);
  });

  it('compares exactly with config case_sensitive = true', () => {
    expect(where('name = "wmic.exe"', 'config case_sensitive = true | ')).toEqual([1]);
  });

  it('treats * as a wildcard in = and !=', () => {
    expect(where('name = "*.exe"')).toEqual([1, 2, 3]);
    expect(where('name = "wm*"')).toEqual([1, 2]);
    expect(where('name != "wm*"')).toEqual([3]);
  });

  it('takes backslashes in strings literally', () => {
    expect(where('path = "C:\\Windows\\System32\\wbem\\WMIC.exe"')).toEqual([1]);
    expect(where('path contains "\\temp\\"')).toEqual([2]);
  });

  it('orders numbers numerically, also against numeric strings', () => {
    expect(where('n > 6')).toEqual([2, 3]);
    expect(where('n <= 7')).toEqual([1, 3]);
    expect(where('n = 12')).toEqual([2]);
    expect(where('n >= -1 and n < 6')).toEqual([1]);
  });
});

describe('null semantics', () => {
  it('matches missing and null fields with = null and the rest with != null', () => {
    expect(where('name = null')).toEqual([4]);
    expect(where('name != null')).toEqual([1, 2, 3]);
    expect(where('missing_field = null')).toEqual([1, 2, 3, 4]);
  });

  it('keeps no null rows for != "x", contains, not contains, in or not in', () => {
    expect(where('name != "x"')).toEqual([1, 2, 3]);
    expect(where('cmd contains "a"')).toEqual([1, 2, 3]);
    expect(where('cmd not contains "node"')).toEqual([3]);
    expect(where('name not in ("x")')).toEqual([1, 2, 3]);
    expect(where('not (cmd contains "node")')).toEqual([3]);
  });

  it('lets or rescue an unknown comparison', () => {
    expect(where('cmd contains "zzz" or event_type = NETWORK')).toEqual([4]);
  });
});

describe('contains, in and ~=', () => {
  it('finds text anywhere, ignoring case', () => {
    expect(where('cmd contains "/node:"')).toEqual([1, 2]);
    expect(where('cmd contains "PROCESS CALL"')).toEqual([1, 2]);
  });

  it('finds text in array elements', () => {
    expect(where('tags contains "t1047"')).toEqual([1]);
  });

  it('matches in-lists with wildcards, enums and numbers', () => {
    expect(where('name in ("*shell*", "wmic.exe")')).toEqual([1, 2, 3]);
    expect(where('name not in ("*shell*", "wmic.exe")')).toEqual([]);
    expect(where('event_type in (FILE, ENUM.NETWORK)')).toEqual([2, 4]);
    expect(where('n in (5, 12)')).toEqual([1, 2]);
  });

  it('searches with ~= as a regular expression (partial match)', () => {
    expect(where('cmd ~= "/node:[a-z]\\s"')).toEqual([1, 2]);
    expect(where('name ~= "^wmic"', 'config case_sensitive = true | ')).toEqual([1]);
    expect(where('cmd ~= "enc [A-Z]+$"')).toEqual([3]);
  });

  it('refuses an invalid regular expression at parse time', () => {
    expect(() => parseXql('filter cmd ~= "(unclosed"')).toThrow(XqlParseError);
    expect(() => parseXql('filter cmd ~= "(unclosed"')).toThrow(/line 1, column 15: expected a valid RE2 regular expression/);
  });
});

describe('boolean structure', () => {
  it('binds and tighter than or', () => {
    expect(where('event_type = FILE or event_type = PROCESS and n = 7')).toEqual([2, 3]);
    expect(where('(event_type = FILE or event_type = PROCESS) and n = 7')).toEqual([3]);
  });

  it('negates with not, including nested parentheses', () => {
    expect(where('not event_type = PROCESS')).toEqual([2, 4]);
    expect(where('not (event_type = PROCESS or (event_type = FILE))')).toEqual([4]);
    expect(where('not not event_type = FILE')).toEqual([2]);
  });

  it('accepts ENUM.X and bare enum names alike', () => {
    expect(where('event_type = ENUM.PROCESS')).toEqual([1, 3]);
    expect(where('event_type = PROCESS')).toEqual([1, 3]);
    expect(where('event_type = enum.FILE')).toEqual([2]);
  });

  it('reads keywords in any case and skips // comments anywhere', () => {
    const ids = runXql(parseXql(`DATASET = xdr_data // the default dataset
      | FILTER event_type = PROCESS // process events only
        AND NOT name CONTAINS "power" // not powershell
      | Limit 5`), ROWS).map((r) => r['id']);
    expect(ids).toEqual([1]);
  });

  it('keeps // inside a string as text', () => {
    expect(where('cmd contains "//"')).toEqual([]);
    expect(runXql(parseXql('filter url = "http://x"'), [{ url: 'http://x' }])).toHaveLength(1);
  });
});

describe('functions', () => {
  it('lowercase() and uppercase() change case before comparing', () => {
    expect(where('lowercase(name) = "wmic.exe"', 'config case_sensitive = true | ')).toEqual([1, 2]);
    expect(where('uppercase(name) contains "WMIC"', 'config case_sensitive = true | ')).toEqual([1, 2]);
    expect(where('lowercase(uppercase(name)) = null')).toEqual([4]);
  });
});

describe('row safety', () => {
  it('never reads inherited properties as fields', () => {
    expect(runXql(parseXql('filter constructor != null'), [{ a: 1 }])).toEqual([]);
  });

  it('copies a row owning a "__proto__" key as data, without touching prototypes', () => {
    const row = JSON.parse('{"id":"p","__proto__":{"polluted":true}}') as Record<string, unknown>;

    const [out] = runXql(parseXql('dataset = xdr_data'), [row]);

    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('sees changed rows when a parsed query runs again', () => {
    const query = parseXql('filter cmd contains "node" and name = "wmic.exe"');
    const row: Record<string, unknown> = { cmd: 'wmic /node:a', name: 'wmic.exe' };
    expect(runXql(query, [row])).toHaveLength(1);

    row['cmd'] = 'wmic process list';
    row['name'] = 'other.exe';

    expect(runXql(query, [row])).toHaveLength(0);
  });

  it('reads the same row object twice in one run consistently', () => {
    const row = { id: 'twice', cmd: 'wmic /node:a' };
    expect(runXql(parseXql('filter cmd contains "NODE"'), [row, row]).map((r) => r['id'])).toEqual(['twice', 'twice']);
  });

  it('skips entries that are not objects and keeps the others', () => {
    const rows = [null, 42, 'text', [1], { id: 'ok' }] as unknown as Record<string, unknown>[];
    expect(runXql(parseXql('dataset = xdr_data'), rows).map((r) => r['id'])).toEqual(['ok']);
  });
});
