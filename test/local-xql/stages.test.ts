import { describe, expect, it } from 'vitest';
import { parseXql, runXql } from '../../local/xql/index.js';

const ROWS: Record<string, unknown>[] = [
  { id: 'a', _time: 100, host: 'WKS-1', user: 'alice', score: 3 },
  { id: 'b', _time: 300, host: 'wks-1', user: 'bob', score: 9 },
  { id: 'c', _time: 200, host: 'WKS-2', user: 'alice', score: 9 },
  { id: 'd', _time: 400, host: 'WKS-2', user: null, score: 1 },
  { id: 'e', _time: 250, host: null, user: 'carol' },
];

const run = (xql: string, rows = ROWS): Record<string, unknown>[] => runXql(parseXql(xql), rows);
const ids = (xql: string, rows = ROWS): unknown[] => run(xql, rows).map((r) => r['id']);

describe('fields', () => {
  it('renames with as and keeps the system fields', () => {
    const [row] = run('fields host as source_host, id | limit 1');

    expect(row).toEqual({ source_host: 'WKS-1', id: 'a', _time: 100, _vendor: 'PANW', _product: 'XDR agent', insert_timestamp: 100, _insert_time: 100 });
  });

  it('lets later stages use the alias', () => {
    expect(ids('fields id, score as s | filter s = 9')).toEqual(['b', 'c']);
  });

  it('excludes fields with -name but never system fields', () => {
    const [row] = run('fields -user, -score, -_time | limit 1');

    expect(row).toEqual({ id: 'a', _time: 100, host: 'WKS-1', _vendor: 'PANW', _product: 'XDR agent', insert_timestamp: 100, _insert_time: 100 });
  });

  it('returns whole rows plus system fields without a fields stage', () => {
    const [row] = run('filter id = "e"');

    expect(row).toEqual({ ...ROWS[4], _vendor: 'PANW', _product: 'XDR agent', insert_timestamp: 250, _insert_time: 250 });
  });
});

describe('sort', () => {
  it('sorts on several keys in the order given', () => {
    expect(ids('sort desc score, asc _time')).toEqual(['c', 'b', 'a', 'd', 'e']);
    expect(ids('sort asc user, desc _time')).toEqual(['c', 'a', 'b', 'e', 'd']);
  });

  it('puts nulls last in both directions', () => {
    expect(ids('sort asc host')).toEqual(['a', 'c', 'd', 'b', 'e']);
    expect(ids('sort desc host')).toEqual(['b', 'c', 'd', 'a', 'e']);
  });

  it('keeps the input order of equal keys', () => {
    expect(ids('sort desc score')).toEqual(['b', 'c', 'a', 'd', 'e']);
  });
});

describe('limit', () => {
  it('keeps the first N rows at its place in the pipeline', () => {
    expect(ids('limit 2')).toEqual(['a', 'b']);
    expect(ids('sort desc _time | limit 2')).toEqual(['d', 'b']);
    expect(ids('limit 2 | sort desc _time')).toEqual(['b', 'a']);
    expect(ids('limit 0')).toEqual([]);
  });

  it('caps results at 1,000,000 rows without a limit stage', () => {
    function* many(): Generator<Record<string, unknown>> {
      for (let i = 0; i < 1_000_003; i += 1) yield { _time: i };
    }

    const rows = runXql(parseXql('dataset = xdr_data'), many());

    expect(rows).toHaveLength(1_000_000);
    expect(rows[999_999]?.['_time']).toBe(999_999);
  });
});

describe('dedup', () => {
  it('keeps the row with the smallest by-field for asc', () => {
    expect(ids('dedup user by asc _time')).toEqual(['a', 'b', 'd', 'e']);
  });

  it('keeps the row with the largest by-field for desc', () => {
    expect(ids('dedup user by desc _time')).toEqual(['b', 'c', 'd', 'e']);
  });

  it('dedups on several fields, folding case unless case_sensitive = true', () => {
    expect(ids('dedup host by desc score')).toEqual(['b', 'c', 'e']);
    expect(ids('config case_sensitive = true | dedup host by desc score')).toEqual(['a', 'b', 'c', 'e']);
    expect(ids('dedup host, score')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('keeps the first occurrence without a by clause', () => {
    expect(ids('dedup score')).toEqual(['a', 'b', 'd', 'e']);
  });

  it('prefers a row with a value over one with null in the by-field', () => {
    const rows = [{ id: 'x', k: 1, t: null }, { id: 'y', k: 1, t: 5 }];
    expect(ids('dedup k by asc t', rows)).toEqual(['y']);
  });
});
