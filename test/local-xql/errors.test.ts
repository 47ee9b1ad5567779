import { describe, expect, it } from 'vitest';
import { parseXql, runXql, XqlParseError } from '../../local/xql/index.js';

/** The XqlParseError that parsing `text` throws. */
function parseError(text: string): XqlParseError {
  try {
    parseXql(text);
  } catch (error) {
    if (error instanceof XqlParseError) return error;
    throw error;
  }
  throw new Error(`expected a parse error for: ${text}`);
}

const STAGES = 'a stage (config, dataset, filter, fields, sort, limit, dedup)';
const VALUE = 'a value (string, number, true, false, null, enum, field or function)';

describe('parse errors name the line, the column and what was expected', () => {
  it.each([
    ['an unknown stage', 'dataset = xdr_data\n| alter2 x = 1', 2, 3, STAGES, "'alter2'"],
    ['a stage outside the subset', 'comp count() by agent_hostname', 1, 1, STAGES, "'comp'"],
    ['a missing operand', 'dataset = xdr_data\n| filter event_type = \n| limit 3', 3, 1, VALUE, "'|'"],
    ['a missing operand after and', 'filter a = 1 and | limit 1', 1, 18, VALUE, "'|'"],
    ['an unclosed string', 'filter cmd contains "/node:\n| limit 1', 1, 21,
      'a closing \'"\' for the string starting here', 'end of line'],
    ['an unclosed string at the end', 'filter cmd contains "/node:', 1, 21,
      'a closing \'"\' for the string starting here', 'end of input'],
    ['an unclosed parenthesis', 'filter (a = 1 or (b = 2)\n| limit 1', 2, 1,
      "')' to close the '(' at line 1, column 8", "'|'"],
    ['config after dataset', 'dataset = xdr_data\n| config case_sensitive = true', 2, 3,
      'a stage other than config (config stages must come before all others)', "'config'"],
    ['an unsupported function', 'filter to_json_string(action_process_file_info) contains "wmic.exe"', 1, 8,
      'a supported function (lowercase, uppercase, json_extract_scalar, to_epoch)', "'to_json_string'"],
    ['a sort direction after the field', 'sort _time desc', 1, 6,
      "asc or desc (XQL writes the direction before the field: 'sort desc _time')", "'_time'"],
    ['a limit that is not a number', 'limit ten', 1, 7, 'a whole number of rows', "'ten'"],
    ['a triple-quoted string', 'filter a ~= """x"""', 1, 13, 'a double-quoted string', 'a triple-quoted string (not supported)'],
    ['an unknown character', 'filter a = 1 # comment', 1, 14, 'a field, value, operator or stage', "'#'"],
    ['an empty query', '   // only a comment\n', 2, 1, STAGES, 'end of input'],
    ['a field without an operator', 'filter event_type', 1, 18,
      'an operator (=, !=, <, <=, >, >=, ~=, contains, not contains, in, not in)', 'end of input'],
    ['a second dataset', 'dataset = xdr_data | dataset = xdr_data', 1, 22,
      'a data stage (dataset must come once, right after the config stages)', "'dataset'"],
    ['two values in a row', 'limit 5 6', 1, 9, "'|' or the end of the query", "'6'"],
    ['a trailing pipe', 'dataset = xdr_data |', 1, 21, STAGES, 'end of input'],
    ['null in an ordering', 'filter a < null', 1, 12, "a value other than null after '<'", "'null'"],
    ['a field in an in-list', 'filter a in (b)', 1, 14, 'a string, number, true, false or enum in the list', "'b'"],
    ['null in an in-list', 'filter a in ("x", null)', 1, 19, 'a string, number, true, false or enum in the list', "'null'"],
    ['an unclosed in-list', 'filter a in ("x" "y")', 1, 18, "',' or ')' to close the list", '"y"'],
    ['mixed fields and exclusions', 'fields -a, b', 1, 12,
      "'-' before each excluded field (fields cannot mix - and plain names)", "'b'"],
    ['an unknown config setting', 'config max_runtime_minutes = 5', 1, 8,
      'case_sensitive or timeframe after config', "'max_runtime_minutes'"],
    ['a case_sensitive value that is not a boolean', 'config case_sensitive = yes', 1, 25, 'true or false', "'yes'"],
    ['a prototype key as a field', 'fields __proto__', 1, 8, 'a field name', "'__proto__'"],
    ['not before a comparison operator', 'filter a not = 1', 1, 10, 'an operator (=, !=, <, <=, >, >=, ~=, contains, not contains, in, not in)', "'not'"],
    ['a regex that is not a string', 'filter a ~= b', 1, 13, 'a regular expression in double quotes', "'b'"],
    ['contains null', 'filter a contains null', 1, 19, 'a string to look for', "'null'"],
    ['in without a list', 'filter a in "x"', 1, 13, "'(' to start the list of values", '"x"'],
    ['ENUM. without a name', 'filter a = ENUM.', 1, 17, "an enum name after 'ENUM.'", 'end of input'],
    ['a nested field path', 'filter a.b = 1', 1, 9, 'an operator (=, !=, <, <=, >, >=, ~=, contains, not contains, in, not in) (nested field paths are not supported; use -> or json_extract_scalar)', "'.'"],
    ['an unclosed function call', 'filter lowercase(a = "x"', 1, 20, "')' to close lowercase( at line 1, column 17", "'='"],
    ['a missing operand on the left', 'filter = 1', 1, 8, VALUE, "'='"],
    ['dataset without =', 'dataset xdr_data', 1, 9, "'=' after dataset", "'xdr_data'"],
    ['a quoted dataset name', 'dataset = "xdr_data"', 1, 11, 'a dataset name', '"xdr_data"'],
    ['case_sensitive without =', 'config case_sensitive true', 1, 23, "'=' after case_sensitive", "'true'"],
    ['timeframe without = or between', 'config timeframe 24h', 1, 18, "'=' or 'between' after timeframe", "'24h'"],
    ['dedup by without a direction', 'dedup a by _time', 1, 12,
      "asc or desc (XQL writes the direction before the field: 'sort desc _time')", "'_time'"],
    ['a missing alias', 'fields a as', 1, 12, "an alias after 'as'", 'end of input'],
    ['sort without a field', 'sort desc', 1, 10, 'a field to sort on', 'end of input'],
    ['a field dropped by fields', 'fields a, b as c\n| filter b = 1', 2, 10,
      'a field kept by the fields stage at line 1, column 1', "'b'"],
    ['a sort on an excluded field', 'fields -score | sort desc score', 1, 27,
      'a field kept by the fields stage at line 1, column 1', "'score'"],
    ['a dedup on a field the latest fields stage dropped', 'fields a, b | fields -a | dedup a', 1, 33,
      'a field kept by the fields stage at line 1, column 15', "'a'"],
  ])('reports %s', (_what, text, line, column, expected, found) => {
    const error = parseError(text);

    expect(error).toMatchObject({ name: 'XqlParseError', line, column, expected, found });
    expect(error.message).toBe(`line ${line}, column ${column}: expected ${expected}, found ${found}`);
  });

  it('reports an invalid regular expression with the engine reason', () => {
    const error = parseError('filter cmd ~= "[a-"');

    expect(error).toMatchObject({ line: 1, column: 15, expected: "a valid RE2 regular expression" });
    expect(error.found).toMatch(/^"\[a-" \(Invalid regular expression/);
  });

  it('lets later stages read kept fields, aliases and system fields', () => {
    const query = parseXql('fields a, b as c | fields -a | filter c = 1 and _product != null | sort desc _time | dedup c');

    expect(runXql(query, [{ a: 0, b: 1, _time: 1 }, { b: 1, _time: 2 }])).toEqual([
      { c: 1, _time: 2, _vendor: 'PANW', _product: 'XDR agent', insert_timestamp: 2, _insert_time: 2 },
    ]);
  });

  it('refuses text that is not a string', () => {
    expect(parseError(42 as unknown as string)).toMatchObject({ expected: 'the query text as a string', found: 'number' });
  });
});

describe('hostile queries', () => {
  it('refuses deeply nested parentheses with a clear error instead of overflowing the stack', () => {
    const error = parseError(`filter ${'('.repeat(100_00)}a = 1${')'.repeat(100_00)}`);

    expect(error.expected).toBe('at most 64 levels of nested parentheses, not or functions');
    expect(error).toMatchObject({ line: 1, column: 72, found: 'deeper nesting' });
  });

  it('refuses long chains of not and nested functions the same way', () => {
    expect(parseError(`filter ${'not '.repeat(5000)}a = 1`).found).toBe('deeper nesting');
    expect(parseError(`filter ${'lowercase('.repeat(5000)}a${')'.repeat(5000)} = "x"`).found).toBe('deeper nesting');
  });

  it('accepts nesting up to the limit', () => {
    const query = parseXql(`filter ${'('.repeat(64)}a = 1${')'.repeat(64)}`);

    expect(runXql(query, [{ a: 1 }, { a: 2 }])).toHaveLength(1);
  });

  it('refuses a query longer than 100,000 characters before tokenising it', () => {
    const error = parseError(`filter a = "${'x'.repeat(100_000)}"`);

    expect(error).toMatchObject({ line: 1, column: 1, expected: 'a query of at most 100000 characters', found: '100013 characters' });
  });

  it('handles a long flat condition without recursion', () => {
    const terms = Array.from({ length: 4000 }, (_, i) => `a = ${i}`).join(' or ');
    const query = parseXql(`filter ${terms}`);

    expect(runXql(query, [{ a: 3999 }, { a: 4000 }]).map((r) => r['a'])).toEqual([3999]);
  });

  it('shortens a long offending token in the message', () => {
    const error = parseError(`limit "${'y'.repeat(500)}"`);

    expect(error.found).toBe(`"${'y'.repeat(40)}..."`);
  });
});
