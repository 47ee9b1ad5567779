/**
 * The local engine takes XQL as XSIAM documents it and refuses what XSIAM documents differently:
 * ISO times in `between`, enum names that do not exist, capitalised words that are no enum.
 */
import { describe, expect, it } from 'vitest';
import { parseXql, runXql, XqlParseError } from '../../local/xql/index.js';

const ROWS: Record<string, unknown>[] = [
  { id: 'wmic', _time: Date.UTC(2026, 10, 29, 2, 0, 0), event_type: 'PROCESS', event_sub_type: 'PROCESS_START', agent_os_type: 'AGENT_OS_WINDOWS',
    action_process_image_name: 'wmic.exe', action_process_file_info: '{"original_name":"wmic.exe","company":"Microsoft Corporation"}' },
  { id: 'renamed', _time: Date.UTC(2026, 10, 29, 3, 0, 0), event_type: 'PROCESS', event_sub_type: 'PROCESS_START', agent_os_type: 'AGENT_OS_WINDOWS',
    action_process_image_name: 'svc.exe', action_process_file_info: { original_name: 'WMIC.exe', company: 'Microsoft Corporation' } },
  { id: 'notwmic', _time: Date.UTC(2026, 10, 29, 4, 0, 0), event_type: 'PROCESS', event_sub_type: 'PROCESS_START', agent_os_type: 'AGENT_OS_WINDOWS',
    action_process_image_name: 'notwmic.exe', action_process_file_info: '{"original_name":"notwmic.exe"}' },
  { id: 'linux', _time: Date.UTC(2026, 10, 29, 5, 0, 0), event_type: 'FILE', event_sub_type: 'FILE_WRITE', agent_os_type: 'AGENT_OS_LINUX',
    action_process_file_info: 'not json' },
];

const ids = (xql: string): unknown[] => runXql(parseXql(xql), ROWS).map((r) => r['id']);

function parseError(xql: string): XqlParseError {
  try {
    parseXql(xql);
  } catch (err) {
    if (err instanceof XqlParseError) return err;
    throw err;
  }
  throw new Error(`expected a parse error for: ${xql}`);
}

describe('config', () => {
  it('takes several settings in one config stage, as the product writes it', () => {
    const xql = 'config case_sensitive = false timeframe between "2026-11-29 02:30:00 +0000" and "2026-11-29 04:30:00 +0000"\n| dataset = xdr_data';

    expect(ids(xql)).toEqual(['renamed', 'notwmic']);
    expect(parseXql(xql).caseSensitive).toBe(false);
  });

  it('takes a relative timeframe in the same stage (config case_sensitive = true timeframe = 30d)', () => {
    const query = parseXql('config case_sensitive = true timeframe = 30d | dataset = xdr_data');

    expect(query).toMatchObject({ caseSensitive: true, timeframe: { kind: 'last', durationMs: 30 * 86_400_000 } });
  });

  it('reads the ±xxxx zone of the documented absolute form', () => {
    expect(ids('config timeframe between "2026-11-29 04:30:00 +0200" and "2026-11-29 06:30:00 +0200" | dataset = xdr_data'))
      .toEqual(['renamed', 'notwmic']);
  });

  it('refuses ISO 8601 T…Z times in between, with the line, the column and the documented form', () => {
    const error = parseError('config case_sensitive = false\n  timeframe between "2026-11-29T02:30:00Z" and "2026-11-29 04:30:00 +0000"');

    expect(error).toMatchObject({ line: 2, column: 21 });
    expect(error.expected).toContain('"YYYY-MM-DD HH:MM:SS +0000"');
    expect(error.found).toContain('ISO 8601');
  });

  it('refuses other undocumented absolute forms (fractions, +hh:mm, dates alone)', () => {
    for (const time of ['2026-11-29 02:30:00.5 +0000', '2026-11-29 02:30:00 +00:00', '2026-11-29', '2026-11-29 02:30 +0000']) {
      expect(() => parseXql(`config timeframe between "${time}" and "now"`), time).toThrow(/documented form/);
    }
  });
});

describe('enums', () => {
  it('accepts the real enum values of the fields, as ENUM.X and as the bare name', () => {
    expect(ids('dataset = xdr_data | filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START and agent_os_type = ENUM.AGENT_OS_WINDOWS'))
      .toEqual(['wmic', 'renamed', 'notwmic']);
    expect(ids('dataset = xdr_data | filter agent_os_type = AGENT_OS_LINUX')).toEqual(['linux']);
    expect(ids('dataset = xdr_data | filter event_sub_type in (ENUM.FILE_WRITE, ENUM.FILE_CREATE_NEW)')).toEqual(['linux']);
  });

  it('refuses an enum name that does not exist, at its line and column', () => {
    const error = parseError('dataset = xdr_data\n| filter event_type = ENUM.PROCESS\n    and agent_os_type = ENUM.AGENT_OS_WINDOWZ');

    expect(error).toMatchObject({ name: 'XqlParseError', line: 3, column: 25, found: 'ENUM.AGENT_OS_WINDOWZ' });
    expect(error.expected).toContain('ENUM.AGENT_OS_WINDOWS');
  });

  it('refuses an enum of another field', () => {
    const error = parseError('dataset = xdr_data | filter event_type = ENUM.PROCESS_START');

    expect(error).toMatchObject({ line: 1, column: 42, found: 'ENUM.PROCESS_START' });
    expect(error.expected).toMatch(/an enum value of event_type/);
    expect(() => parseXql('dataset = xdr_data | filter event_sub_type in (ENUM.PROCESS_START, ENUM.PROCESS)')).toThrow(/enum value of event_sub_type/);
  });

  it('refuses a capitalised word that is no enum instead of taking it for one', () => {
    const error = parseError('dataset = xdr_data | filter agent_os_type = WINDOWS');

    expect(error).toMatchObject({ line: 1, column: 45, found: "'WINDOWS'" });
    expect(error.expected).toMatch(/a known enum name .* or a lower-case field name/);
  });
});

describe('JSON fields', () => {
  it('json_extract_scalar matches the PE original name exactly, from a JSON string or an object', () => {
    expect(ids('dataset = xdr_data | filter json_extract_scalar(action_process_file_info, "$.original_name") = "wmic.exe"'))
      .toEqual(['wmic', 'renamed']);
  });

  it('the -> shorthand reads the same key', () => {
    expect(ids('dataset = xdr_data | filter action_process_file_info -> original_name = "wmic.exe"')).toEqual(['wmic', 'renamed']);
    expect(ids('dataset = xdr_data | filter action_process_file_info -> company contains "microsoft"')).toEqual(['wmic', 'renamed']);
  });

  it('a missing key or a value that is not JSON is null: neither = nor != keeps the row', () => {
    expect(ids('dataset = xdr_data | filter action_process_file_info -> original_name != "wmic.exe"')).toEqual(['notwmic']);
    expect(ids('dataset = xdr_data | filter action_process_file_info -> company = null')).toEqual(['notwmic', 'linux']);
  });

  it('refuses a JSON path that is not "$.key"', () => {
    const error = parseError('dataset = xdr_data | filter json_extract_scalar(action_process_file_info, "original_name") = "x"');

    expect(error).toMatchObject({ line: 1, column: 75 });
    expect(error.expected).toMatch(/JSON path/);
  });
});
