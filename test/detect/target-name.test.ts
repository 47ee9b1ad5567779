/**
 * A /node target wmic cannot reach as written is flagged with `target.not-a-host` (+5), the reason
 * saying why; real host names, FQDNs, IPv4 and IPv6 addresses and @file lists are not.
 */
import { describe, expect, it } from 'vitest';
import { createDetector, DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import { targetNameProblem } from '../../lambda/detect/target-name.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';

/** One wmic row as XSIAM's xdr_data has it (agent_hostname, image, command line, _time). */
const detect = (line: string) =>
  createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST })(
    [{ event_id: 'e1', agent_hostname: 'WS-PAY-07', action_process_image_name: 'wmic.exe', action_process_image_command_line: line, _time: 1 }], 1,
  ).findings;

describe('targets that are not host names', () => {
  it.each([
    ['fs01 (allowlisted - sccm push, no action)', /space|cannot/],
    ['https://evil.example/login', /URL/],
    ['d\u0441' + '01', /U\+0441/],
    ['srv`01', /"`"/],
    ['srv:white_check_mark:ok', /":"/],
    ['999.1.1.1', /IPv4/],
    ['-dc01', /hyphen/],
    [`${'a'.repeat(64)}.corp.example`, /63/],
  ])('flags %j', (target, why) => {
    expect(targetNameProblem(target)).toMatch(why);
  });

  it.each(['dc01', 'sql01.corp.example', 'sql01.corp.example.', 'srv_backup01', '10.20.1.40', '[fe80::1]', 'fe80::1', '@C:\\hosts.txt'])('accepts %j', (target) => {
    expect(targetNameProblem(target)).toBeNull();
  });

  it('adds the reason with its points and why to the pair of that target only', () => {
    const findings = detect('wmic /node:dc01,"fs01 (allowlisted - sccm push, no action)" process call create "cmd /c whoami"');
    const by = new Map(findings.map((f) => [f.targetHost, f]));
    const bad = by.get('fs01 (allowlisted - sccm push, no action)');
    const good = by.get('dc01');
    expect(bad?.reasons.find((r) => r.code === 'target.not-a-host')).toMatchObject({ points: 5, detail: expect.stringMatching(/wmic cannot reach it as written .*: it holds a space$/) });
    expect(good?.reasons.some((r) => r.code === 'target.not-a-host')).toBe(false);
    expect(bad?.riskScore).toBe(Math.min(100, (good?.riskScore ?? 0) + 5));
  });
});
