/**
 * XQL syntax edges the documentation names (reference addendum round three): `/* … *\/` comments,
 * RE2 regular expressions (`(?i)`; no lookbehind, no backreferences:
 * https://github.com/google/re2/wiki/Syntax), and fields xdr_data does not have.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { sweepXql } from '../../lambda/run/sweep-plan.js';
import { runXqlCommand } from '../../local/cli/xql.js';
import { XqlParseError, isXdrDataField, parseXql, runXql, unknownXdrFields } from '../../local/xql/index.js';

const ROWS = [
  { event_id: 'a', action_process_image_command_line: 'WMIC /node:fs01 process call create calc', _time: 1 },
  { event_id: 'b', action_process_image_command_line: 'abcabc', _time: 2 },
];
const ids = (xql: string): unknown[] => runXql(parseXql(xql), ROWS).map((r) => r['event_id']);

describe('block comments', () => {
  it('skips /* … */ anywhere, across lines, keeping positions right after it', () => {
    expect(ids('/* a hunt\n   over two lines */ dataset = xdr_data | filter /* inline */ event_id = "a"')).toEqual(['a']);
    const error = (() => { try { parseXql('/* one\ntwo */ dataset = xdr_data | filter ~'); } catch (e) { return e; } return null; })();
    expect(error).toBeInstanceOf(XqlParseError);
    expect(error).toMatchObject({ line: 2 });
  });

  it('refuses a comment that never ends, naming where it started', () => {
    expect(() => parseXql('dataset = xdr_data /* open')).toThrow(/line 1, column 20: expected a closing '\*\/'/);
  });
});

describe('RE2 regular expressions in ~=', () => {
  it('accepts a leading (?i) even in a case-sensitive query, and (?P<name>…) groups', () => {
    expect(ids('config case_sensitive = true | filter action_process_image_command_line ~= "(?i)^wmic .*/NODE:"')).toEqual(['a']);
    expect(ids('config case_sensitive = true | filter action_process_image_command_line ~= "^wmic"')).toEqual([]);
    expect(ids('filter action_process_image_command_line ~= "(?P<verb>call) create"')).toEqual(['a']);
  });

  it.each([
    ['(?<=/node:)fs01', /lookbehind/],
    ['(?<!x)abc', /lookbehind/],
    ['abc(?=abc)', /lookahead/],
    ['(abc)\\1', /backreference/],
    ['(?<n>abc)\\k<n>', /backreference/],
    ['a(?i)bc', /flags inside the pattern/],
  ])('refuses %s as RE2 does', (pattern, reason) => {
    expect(() => parseXql(`filter action_process_image_command_line ~= "${pattern}"`)).toThrow(reason);
  });

  it('keeps escapes and character classes as they are', () => {
    expect(ids('filter action_process_image_command_line ~= "[(]?\\d*create"')).toEqual(['a']);
  });
});

describe('fields xdr_data does not have', () => {
  it('knows the documented fields', () => {
    expect(isXdrDataField('action_process_image_command_line')).toBe(true);
    expect(isXdrDataField('_insert_time')).toBe(true);
    expect(isXdrDataField('action_process_commandline')).toBe(false);
    expect(unknownXdrFields(parseXql('filter action_process_commandline contains "x" | fields agent_hostname as host | sort asc host'))).toEqual(['action_process_commandline']);
  });

  it("a hunt's own XQL (both variants, and its late sweep) uses only xdr_data fields", () => {
    for (const xql of Object.values(WMIC_REMOTE_EXEC.queries)) {
      expect(unknownXdrFields(parseXql(xql))).toEqual([]);
      expect(unknownXdrFields(parseXql(sweepXql(xql, { from: 1, to: 2 })))).toEqual([]);
    }
  });

  it('the xql command warns about such a field and still runs the query', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xql-edges-'));
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, ROWS.map((r) => JSON.stringify(r)).join('\n'));
    const out: string[] = [];
    const err: string[] = [];
    const code = await runXqlCommand(['--events', events, '--query', 'filter cmdline contains "wmic" or event_id = "b"'],
      { write: (t) => out.push(t), error: (t) => err.push(t), now: () => 0 });
    expect(code).toBe(0);
    expect(err.join('')).toContain('warning: xdr_data has no field cmdline');
    expect(out.join('')).toContain('"event_id":"b"');
  });
});
