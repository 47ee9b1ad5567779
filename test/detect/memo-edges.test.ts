import { describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { createDetector, loadAllowlist } from '../../lambda/detect/index.js';
import { AnalysisMemo } from '../../lambda/detect/memo.js';

/**
 * A row as the WMIC hunt's query returns it: its `fields` stage (hunts/HuntQuery-Windows-WMIC-RemoteExec.md)
 * selects neither action_process_original_name nor action_process_file_info, so those keys are absent.
 */
const hunted = (line = 'wmic /node:FS01 process call create "cmd.exe /c whoami"'): Record<string, unknown> => ({
  _time: 1_000_000, event_id: 'ev-1', agent_id: 'a1', agent_hostname: 'WKS-07', actor_effective_username: 'CORP\\bob',
  action_process_image_name: 'WMIC.exe', action_process_image_path: 'C:\\Windows\\System32\\wbem\\WMIC.exe',
  action_process_image_command_line: line, actor_process_image_name: 'cmd.exe', actor_process_image_path: 'C:\\Windows\\System32\\cmd.exe',
  actor_process_command_line: 'cmd.exe', causality_actor_process_command_line: 'explorer.exe', causality_actor_primary_username: 'CORP\\bob',
  causality_actor_process_image_sha256: 'b'.repeat(64), _product: 'XDR agent',
});
/** The memo's cap on distinct rows per detector call (MAX_ENTRIES in lambda/detect/memo.ts). */
const MAX_ENTRIES = 16_384;
const empty = loadAllowlist({ schemaVersion: 1, entries: [] });

describe('AnalysisMemo on the rows a hunt really returns', () => {
  it('finds a repeat of a row that lacks fields, and treats a missing field as null', () => {
    const memo = new AnalysisMemo<string>();
    memo.set(hunted(), 'first');
    expect(memo.get({ ...hunted(), event_id: 'ev-2', _time: 1_000_500 })).toBe('first');
    expect(memo.get({ ...hunted(), action_process_original_name: null, action_process_file_info: null })).toBe('first');
    expect(memo.get({ ...hunted(), action_process_original_name: 'wmic.exe' })).toBeUndefined();
  });

  it('finds a repeat of a renamed wmic that carries its original name and file info', () => {
    // a renamed copy: the PE header's OriginalFilename still says wmic.exe; XSIAM returns the JSON field as text
    const renamed = {
      ...hunted('winupd.exe /node:FS01 process call create "cmd.exe /c whoami"'), action_process_image_name: 'winupd.exe',
      action_process_original_name: 'wmic.exe', action_process_file_info: '{"original_name":"wmic.exe"}',
    };
    const memo = new AnalysisMemo<string>();
    memo.set(renamed, 'renamed');
    expect(memo.get({ ...renamed, event_id: 'ev-2' })).toBe('renamed');
    expect(memo.get({ ...renamed, action_process_file_info: '{"original_name":"other.exe"}' })).toBeUndefined();
    expect(memo.get({ ...renamed, action_process_original_name: 'other.exe' })).toBeUndefined();
  });

  it('keeps the latest value stored for one row, also when it is the first of its line and host', () => {
    const memo = new AnalysisMemo<string>();
    memo.set(hunted(), 'old');
    memo.set({ ...hunted(), event_id: 'ev-2' }, 'new');
    expect(memo.get(hunted())).toBe('new');
  });

  it(`holds ${MAX_ENTRIES} distinct rows, and starts over at the next one`, () => {
    const memo = new AnalysisMemo<number>();
    const row = (i: number): Record<string, unknown> => hunted(`wmic /node:FS${i} process call create "cmd.exe /c whoami"`);
    for (let i = 0; i < MAX_ENTRIES; i++) memo.set(row(i), i);
    expect(memo.get(row(0))).toBe(0);
    expect(memo.get(row(MAX_ENTRIES - 1))).toBe(MAX_ENTRIES - 1);
    memo.set(row(MAX_ENTRIES), MAX_ENTRIES);
    expect(memo.get(row(0))).toBeUndefined();
    expect(memo.get(row(MAX_ENTRIES - 1))).toBeUndefined();
    expect(memo.get(row(MAX_ENTRIES))).toBe(MAX_ENTRIES);
  });
});

describe('createDetector row reading', () => {
  it('tells when the earliest row of a finding arrived, the repeats included', () => {
    const detect = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: empty });
    const rows = [
      { ...hunted(), _insert_time: 1_061_000 },
      { ...hunted(), event_id: 'ev-2', _time: 1_002_000, _insert_time: 1_031_000 },
    ];
    const [finding] = detect(rows, 2_000_000).findings;
    expect(finding).toMatchObject({ eventIds: ['ev-1', 'ev-2'], arrivedAt: 1_031_000, arrivedLateMs: 29_000 });
  });

  it('reports an analysis that fails unexpectedly by row number and error name, never by its message', () => {
    const detect = createDetector({
      hunt: WMIC_REMOTE_EXEC, allowlist: empty,
      analyze: (row) => {
        if (row['event_id'] === 'ev-2') throw new TypeError(`cannot read ${String(row['action_process_image_command_line'])}`);
        // a thrown non-Error, as a buggy dependency might throw
        throw 'boom';
      },
    });
    const { problems } = detect([hunted(), { ...hunted(), event_id: 'ev-2' }], 0);
    expect(problems).toEqual([
      { eventId: null, problem: 'row 0: analysis failed (unknown error)' },
      { eventId: null, problem: 'row 1: analysis failed (TypeError)' },
    ]);
  });
});
