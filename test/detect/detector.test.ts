import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { DEFAULT_ALLOWLIST, createDetector, loadAllowlist } from '../../lambda/detect/index.js';

const row = (id: string, line: string, extra: Record<string, unknown> = {}) => ({
  event_id: id, _time: 1_700_000_000_000, agent_hostname: 'WKS-SRC-01', agent_id: 'agent-1',
  action_process_image_name: 'wmic.exe', action_process_image_command_line: line,
  actor_process_image_name: 'cmd.exe', actor_effective_username: 'CORP\\alice', ...extra,
});
const empty = loadAllowlist({ schemaVersion: 1, entries: [] });
const detect = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: empty });

describe('createDetector', () => {
  it('makes one finding per remote target with the event facts, score and reasons', () => {
    const { findings, dismissed, problems } = detect([row('e1', 'wmic /node:localhost,FS01,10.0.0.8 process call create "cmd /c whoami"')], 0);
    expect(dismissed).toBe(0);
    expect(problems).toEqual([]);
    expect(findings.map((f) => f.targetHost)).toEqual(['fs01', '10.0.0.8']);
    expect(findings[0]).toMatchObject({
      huntId: WMIC_REMOTE_EXEC.id, sourceHost: 'WKS-SRC-01', remoteCommand: 'cmd /c whoami', user: 'CORP\\alice', lineUser: null,
      parentImage: 'cmd.exe', agentId: 'agent-1', eventIds: ['e1'], firstSeen: 1_700_000_000_000, lastSeen: 1_700_000_000_000,
      riskScore: 90, severity: 'critical', reasons: [{ code: 'payload.cmd-chain', points: 5 }, { code: 'payload.discovery-only', points: 0 }], suppressed: null,
    });
  });

  it('fingerprints huntId, lower-cased source, target and the normalised command', () => {
    const [f] = detect([row('e1', 'wmic /node:FS01 process call create "  CMD   /c  Whoami "')], 0).findings;
    const expected = createHash('sha256').update(`${WMIC_REMOTE_EXEC.id}\nwks-src-01\nfs01\ncmd /c whoami`).digest('hex');
    expect(f?.fingerprint).toBe(expected);
  });

  it('folds events of the same pair and command, keeping the time span and the highest score', () => {
    const rows = [
      row('e1', 'wmic /node:FS01 process call create calc.exe', { _time: 3000 }),
      row('e2', 'WMIC /NODE:fs01 process call create CALC.EXE', { _time: 1000, actor_process_image_name: 'winword.exe' }),
      row('e2', 'wmic /node:FS01 process call create calc.exe', { _time: 2000 }),
      row('e3', 'wmic /node:FS02 process call create calc.exe', { _time: 2000 }),
    ];
    const { findings } = detect(rows, 0);
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({ targetHost: 'fs01', eventIds: ['e1', 'e2'], firstSeen: 1000, lastSeen: 3000, riskScore: 95, parentImage: 'winword.exe' });
  });

  it('counts rows that are not remote process creation as dismissed', () => {
    const rows = [row('e1', 'wmic /node:. process call create calc.exe'), row('e2', 'wmic /node:FS01 os get caption'), row('e3', 'wmic /node:SRV-01 process call create x')];
    expect(detect(rows, 0)).toMatchObject({ findings: [], dismissed: 3, problems: [] });
  });

  it('turns unreadable rows into problems and goes on with the rest', () => {
    const rows = [{ event_id: 'bad1' }, row('bad2', 'x', { agent_hostname: 7 }), row('ok', 'wmic /node:FS01 process call create x')];
    const result = detect(rows as never, 0);
    expect(result.findings.map((f) => f.eventIds)).toEqual([['ok']]);
    expect(result.problems).toEqual([
      { eventId: 'bad1', problem: 'action_process_image_command_line is missing or not a non-empty string' },
      { eventId: 'bad2', problem: 'agent_hostname must be a string, got number' },
    ]);
  });

  it('keeps a row whose analysis fails unexpectedly as a problem without its text', () => {
    const broken = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: empty, analyze: () => { throw new TypeError('secret text'); } });
    expect(broken([row('e1', 'x')], 0).problems).toEqual([{ eventId: null, problem: 'row 0: analysis failed (TypeError)' }]);
  });

  it('keeps allowlisted findings, marked suppressed, and reports expired entries', () => {
    const allowlist = loadAllowlist({
      schemaVersion: 1,
      entries: [
        { id: 'push', owner: 'ops', reason: 'software push', expires: '2030-01-01', targetHost: 'fs01' },
        { id: 'old', owner: 'ops', reason: 'old push', expires: '2020-01-01', targetHost: 'fs02' },
      ],
    });
    const result = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist })([row('e1', 'wmic /node:FS01,FS02 process call create x')], Date.UTC(2026, 0, 1));
    expect(result.findings.map((f) => [f.targetHost, f.suppressed?.entryId ?? null])).toEqual([['fs01', 'push'], ['fs02', null]]);
    expect(result.expiredAllowlistEntries).toEqual(['old']);
  });

  it('leaves a folded finding unsuppressed when one of its events is not allowlisted', () => {
    const allowlist = loadAllowlist({ schemaVersion: 1, entries: [{ id: 'p', owner: 'o', reason: 'r', expires: '2030-01-01', parentImage: 'ccmexec.exe' }] });
    const d = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist });
    const rows = [row('e1', 'wmic /node:FS01 process call create x', { actor_process_image_name: 'CcmExec.exe' }), row('e2', 'wmic /node:FS01 process call create x')];
    expect(d(rows, 0).findings[0]?.suppressed).toBeNull();
    expect(d(rows.slice(0, 1), 0).findings[0]?.suppressed?.entryId).toBe('p');
  });

  it('uses the run time when a row has no _time and a placeholder when it has no host', () => {
    const [f] = detect([row('e1', 'wmic /node:FS01 process call create x', { _time: undefined, agent_hostname: undefined })], 42).findings;
    expect(f).toMatchObject({ firstSeen: 42, sourceHost: '(unknown host)' });
  });
});

describe('createDetector allowlist by parent path', () => {
  it('matches a parentImage pattern with a backslash against actor_process_image_path', () => {
    const allowlist = loadAllowlist({ schemaVersion: 1, entries: [{ id: 'ccm', owner: 'o', reason: 'r', expires: '2030-01-01', parentImage: 'c:\\windows\\ccm\\*' }] });
    const d = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist });
    const [f] = d([row('e1', 'wmic /node:FS01 process call create x', { actor_process_image_path: 'C:\\Windows\\CCM\\CcmExec.exe' })], 0).findings;
    expect(f?.suppressed?.entryId).toBe('ccm');
    const [g] = d([row('e2', 'wmic /node:FS01 process call create x', { actor_process_image_path: 'C:\\Users\\Public\\CcmExec.exe' })], 0).findings;
    expect(g?.suppressed).toBeNull();
  });
});

describe('createDetector with hostile row fields', () => {
  it('caps host names, users and ids so a finding always fits a DynamoDB item', () => {
    const huge = 'H'.repeat(1_000_000);
    const detect = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST });
    const { findings } = detect([{
      _time: 1, event_id: `e-${huge}`, agent_hostname: huge, actor_effective_username: huge, actor_process_image_name: huge,
      action_process_image_name: 'wmic.exe', action_process_image_command_line: 'wmic /node:db01 process call create calc.exe',
    }], 2);
    expect(findings).toHaveLength(1);
    expect(Buffer.byteLength(JSON.stringify(findings[0]))).toBeLessThan(64 * 1024);
    expect(findings[0]!.sourceHost.startsWith('HHHH')).toBe(true);
    expect(findings[0]!.sourceHost).toMatch(/…\[truncated \d+ chars\]$/);
  });
});
