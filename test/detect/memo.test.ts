import { describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { analyzeCommandLine, createDetector, loadAllowlist } from '../../lambda/detect/index.js';
import { AnalysisMemo, MEMO_FIELDS } from '../../lambda/detect/memo.js';
import { ANALYSIS_FIELDS } from '../../lambda/detect/row.js';

const base = (): Record<string, unknown> => ({
  event_id: 'e1', _time: 1000, agent_hostname: 'WKS-01', agent_id: 'a1', action_process_image_name: 'wmic.exe',
  action_process_image_path: 'C:\\Windows\\System32\\wbem\\wmic.exe', action_process_original_name: null, action_process_file_info: null,
  action_process_image_command_line: 'wmic /node:FS01 process call create calc.exe', actor_process_image_name: 'cmd.exe',
  actor_process_image_path: 'C:\\Windows\\System32\\cmd.exe', actor_process_command_line: 'cmd.exe', actor_effective_username: 'CORP\\alice',
  causality_actor_primary_username: 'CORP\\alice', causality_actor_process_image_sha256: 'a'.repeat(64),
});
const empty = loadAllowlist({ schemaVersion: 1, entries: [] });

describe('AnalysisMemo', () => {
  it('keys on every field the row reader analyses', () => {
    expect([...MEMO_FIELDS].sort()).toEqual([...ANALYSIS_FIELDS].sort());
  });

  it('finds a row that differs only in event id and time, and no row that differs in an analysed field', () => {
    const memo = new AnalysisMemo<string>();
    memo.set(base(), 'first');
    expect(memo.get({ ...base(), event_id: 'e2', _time: 5 })).toBe('first');
    for (const field of ANALYSIS_FIELDS) expect(memo.get({ ...base(), [field]: 'other' }), field).toBeUndefined();
  });

  it('tells apart rows with one command line and host that differ in another field, however many there are', () => {
    const memo = new AnalysisMemo<string>();
    const users = Array.from({ length: 12 }, (_, i) => `CORP\\user${i}`);
    for (const u of users) memo.set({ ...base(), actor_effective_username: u }, u);
    const found = users.map((u) => memo.get({ ...base(), event_id: 'again', actor_effective_username: u }));
    // never another row's value; past eight variants of one line and host the oldest are let go
    expect(found).toEqual([...Array<undefined>(4).fill(undefined), ...users.slice(4)]);
    memo.set({ ...base(), actor_effective_username: users[11] }, 'newer');
    expect(memo.get({ ...base(), actor_effective_username: users[11] })).toBe('newer');
    expect(memo.get({ ...base(), actor_effective_username: users[10] })).toBe(users[10]);
  });

  it('does not store a row with a field of a type the reader would not key', () => {
    const memo = new AnalysisMemo<string>();
    const odd = { ...base(), action_process_file_info: { original_name: 'wmic.exe' } };
    memo.set(odd, 'x');
    expect(memo.get(odd)).toBeUndefined();
  });
});

describe('createDetector on repeated rows', () => {
  it('folds repeats of one row with each repeat’s own event id and time', () => {
    const detect = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: empty });
    const rows = [base(), { ...base(), event_id: 'e2', _time: 500 }, { ...base(), event_id: 'e3', _time: 3000 }, { ...base(), event_id: undefined, _time: undefined }];
    const { findings } = detect(rows, 7000);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ eventIds: ['e1', 'e2', 'e3'], firstSeen: 500, lastSeen: 7000 });
  });

  it('counts each repeat of a dismissed row and reports each repeat of a bad row', () => {
    const detect = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: empty });
    const local = { ...base(), action_process_image_command_line: 'wmic /node:localhost process call create calc.exe' };
    const bad = { ...base(), agent_hostname: 7 };
    const result = detect([local, { ...local, event_id: 'e2' }, bad, { ...bad, event_id: 'e9' }], 0);
    expect(result.dismissed).toBe(2);
    expect(result.problems.map((p) => p.eventId)).toEqual(['e1', 'e9']);
  });

  it('analyses a repeated row again under a caller-supplied analysis', () => {
    let calls = 0;
    const counting = createDetector({
      hunt: WMIC_REMOTE_EXEC, allowlist: empty,
      analyze: (row) => {
        calls++;
        return analyzeCommandLine(row);
      },
    });
    expect(counting([base(), base(), base()], 0).findings[0]?.eventIds).toEqual(['e1']);
    expect(calls).toBe(3);
  });
});
