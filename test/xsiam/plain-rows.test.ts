/**
 * Rows are plain data. A reply row is JSON from the tenant: its keys are whatever the reply says,
 * so `__proto__`, `constructor` and `prototype` are field names like any other, and a `_time` that
 * names no real instant (1e20 ms, 30 February) leaves that one row out with a note.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvents, rowTime } from '../../local/cli/events.js';
import { normaliseRow, toEpochMs } from '../../lambda/xsiam/rows.js';
import { hunt, tempDir } from '../cli/harness.js';

const LINE = 'wmic /node:dc01 process call create "cmd /c whoami"';

describe('normaliseRow keeps every key as data', () => {
  it('a "__proto__" key is an own field, and the row inherits nothing from it', () => {
    // What JSON.parse gives for a hostile row: "__proto__" as an own key holding the hunt's fields.
    const raw = JSON.parse(`{"_time":1764324000000,"agent_hostname":"WS1","__proto__":{"action_process_image_command_line":${JSON.stringify(LINE)},"agent_hostname":"EVIL"}}`) as unknown;
    const problems: string[] = [];
    const row = normaliseRow(raw, 'line 1', problems) as Record<string, unknown>;
    expect(problems).toEqual([]);
    expect(Object.getPrototypeOf(row)).toBeNull();
    expect(row.action_process_image_command_line).toBeUndefined();
    expect(row.agent_hostname).toBe('WS1');
    expect(Object.keys(row)).toEqual(['_time', 'agent_hostname', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toEqual({ action_process_image_command_line: LINE, agent_hostname: 'EVIL' });
    expect(({} as Record<string, unknown>).action_process_image_command_line).toBeUndefined();
  });

  it('"constructor", "prototype", "toString" and "hasOwnProperty" are fields, not methods', () => {
    const raw = JSON.parse('{"constructor":"c","prototype":{"x":1},"toString":"t","hasOwnProperty":"h","_time":"NULL"}') as unknown;
    const row = normaliseRow(raw, 'line 1', []) as Record<string, unknown>;
    expect({ ...row }).toEqual({ constructor: 'c', prototype: { x: 1 }, toString: 't', hasOwnProperty: 'h', _time: null });
    // Nothing is read from Object.prototype: a field the row lacks is simply absent.
    expect(row.valueOf).toBeUndefined();
    expect(JSON.parse(JSON.stringify(row))).toEqual({ constructor: 'c', prototype: { x: 1 }, toString: 't', hasOwnProperty: 'h', _time: null });
  });
});

describe('a _time that names no real instant', () => {
  const impossible: [string, unknown][] = [
    ['beyond any Date', 1e20],
    ['negative', -5],
    ['a 20-digit string', '99999999999999999999'],
    ['30 February', '2026-02-30 10:00:00.000 UTC'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['24:00', '2026-01-01 24:00:00 UTC'],
    ['minute 60 with an offset', '2026-01-01T10:60:00+02:00'],
    ['year 0', '0000-01-01 00:00:00 UTC'],
  ];

  it.each(impossible)('%s is unreadable to toEpochMs and to --events', (_label, value) => {
    expect(toEpochMs(value)).toBeUndefined();
    expect(rowTime(value)).toBeNull();
  });

  it.each(impossible)('%s leaves its row out of the reply, with a note', (_label, value) => {
    const problems: string[] = [];
    expect(normaliseRow({ _time: value, event_id: 'b' }, 'reply.results.data[1]', problems)).toBeNull();
    expect(problems).toEqual([expect.stringMatching(/^reply\.results\.data\[1\]\._time: expected epoch ms or a UTC date-time from 1970 to 9999, got .*; row left out$/)]);
  });

  it('real instants still read, the last day of February of a leap year included', () => {
    expect(toEpochMs('2028-02-29 23:59:59.999 UTC')).toBe(Date.UTC(2028, 1, 29, 23, 59, 59, 999));
    expect(toEpochMs('2026-11-28T10:00:00+01:00')).toBe(Date.UTC(2026, 10, 28, 9));
    expect(rowTime('2026-11-28T10:00:00+01:00')).toBe(Date.UTC(2026, 10, 28, 9));
    expect(toEpochMs(0)).toBe(0);
  });

  it('an unreadable insert time is still read as null, the row kept', () => {
    const problems: string[] = [];
    expect(normaliseRow({ _time: 5, _insert_time: 1e20 }, 'line 2', problems)).toEqual({ _time: 5, _insert_time: null });
    expect(problems).toEqual(['line 2._insert_time: expected epoch ms or a UTC date-time, got 100000000000000000000; read as null']);
  });

  it('--events counts a number that is no instant as a row without time, not as the end of the window', () => {
    const loaded = parseEvents(`{"_time":1764324000000}\n{"_time":1e20}\n`);
    expect(loaded.withoutTime).toBe(1);
    expect(loaded.rows[1]?._time).toBeNull();
  });
});

describe('the local run hunts the other rows', () => {
  it('one row with _time 1e20 among good rows: noted on stderr, the good rows notified, exit 0', async () => {
    const base = { agent_hostname: 'WS1', agent_os_type: 'AGENT_OS_WINDOWS', event_type: 'PROCESS', event_sub_type: 'PROCESS_START', action_process_image_name: 'wmic.exe', actor_effective_username: 'CORP\\a' };
    const rows = [
      { ...base, event_id: 'a', _time: '2026-11-28T10:00:00.000Z', action_process_image_command_line: 'wmic /node:dc01 process call create "cmd /c whoami"' },
      { ...base, event_id: 'b', _time: 1e20, action_process_image_command_line: 'wmic /node:fs01 process call create "cmd /c whoami"' },
      { ...base, event_id: 'c', _time: '2026-02-30T10:00:00.000Z', action_process_image_command_line: 'wmic /node:fs03 process call create "cmd /c whoami"' },
      { ...base, event_id: 'd', _time: '2026-11-28T10:05:00.000Z', action_process_image_command_line: 'wmic /node:fs02 process call create "cmd /c whoami"' },
    ];
    const dir = tempDir('hunt-bad-time-');
    const file = join(dir, 'rows.jsonl');
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const run = await hunt(['--events', file, '--state', join(dir, 'state'), '--output', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('2 row(s) have no readable _time');
    const doc = JSON.parse(run.stdout) as { notifications: { target: string }[] };
    expect(doc.notifications.map((n) => n.target).sort()).toEqual(['dc01', 'fs02']);
  });
});
