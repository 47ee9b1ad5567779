import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWLIST, createDetector, findingFingerprint } from '../../lambda/detect/index.js';
import { canonicalIpv6, hostIdentity, sameHost } from '../../lambda/hosts/index.js';
import { hostName, targetHash } from '../../lambda/history/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { hostKey } from '../../lambda/incidents/hosts.js';
import { parseTarget, targetMatchesAgent } from '../../lambda/confirm/target.js';

describe('one host identity', () => {
  it('folds case, an FQDN to its first label and trailing dots', () => {
    for (const h of ['SQL01', 'sql01', 'sql01.corp.example', 'SQL01.CORP.EXAMPLE.', 'sql01.']) expect(hostIdentity(h), h).toBe('sql01');
    expect(sameHost('SQL01', 'sql01.corp.example')).toBe(true);
    expect(sameHost('sql01', 'sql02.corp.example')).toBe(false);
  });

  it('keeps IPv4 addresses whole (10.1.1.5 is not 10.1.1.50; octal-looking forms are not rewritten)', () => {
    expect(hostIdentity('10.1.1.5')).toBe('10.1.1.5');
    expect(sameHost('10.1.1.5', '10.1.1.50')).toBe(false);
    expect(hostIdentity('010.1.1.5')).toBe('010.1.1.5');
    expect(hostIdentity('@C:\\hosts.txt')).toBe('@c:\\hosts.txt');
  });

  it('writes IPv6 in its RFC 5952 form: lower case, no leading zeros, the longest zero run as ::, brackets and zone dropped', () => {
    expect(canonicalIpv6('2001:0DB8:0000:0000:0000:FF00:0042:8329')).toBe('2001:db8::ff00:42:8329');
    expect(canonicalIpv6('[fe80::1%12]')).toBe('fe80::1');
    expect(canonicalIpv6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIpv6('::FFFF:10.1.1.5')).toBe('::ffff:10.1.1.5');
    expect(canonicalIpv6('1:2:3')).toBeNull();
    expect(sameHost('FE80:0:0:0:0:0:0:1', 'fe80::1')).toBe(true);
  });

  it('makes SQL01 and sql01.corp.example from one source ONE pair; the display keeps what the line said', () => {
    const detect = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST });
    const row = (id: string, target: string) => ({ event_id: id, _time: 1, agent_hostname: 'WS-7', action_process_image_name: 'wmic.exe', action_process_image_command_line: `wmic /node:${target} process call create "cmd /c whoami"` });
    const { findings } = detect([row('e1', 'SQL01'), row('e2', 'sql01.corp.example')], 1);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.eventIds).toEqual(['e1', 'e2']);
    expect(findings[0]!.targetHost).toBe('sql01');
    const [fqdnFirst] = detect([row('e2', 'sql01.corp.example'), row('e1', 'SQL01')], 1).findings;
    expect(fqdnFirst!.targetHost).toBe('sql01.corp.example');
    expect(fqdnFirst!.fingerprint).toBe(findings[0]!.fingerprint);
  });

  it('leaves the fingerprint of a pair whose names are already canonical as it always was', () => {
    const before = createHash('sha256').update(`${WMIC_REMOTE_EXEC.id}\nws-7\nfs01\ncmd /c whoami`, 'utf8').digest('hex');
    expect(findingFingerprint(WMIC_REMOTE_EXEC.id, 'WS-7', 'fs01', 'cmd /c whoami')).toBe(before);
    expect(findingFingerprint(WMIC_REMOTE_EXEC.id, 'WS-7', '10.1.1.5', 'x')).toBe(createHash('sha256').update(`${WMIC_REMOTE_EXEC.id}\nws-7\n10.1.1.5\nx`, 'utf8').digest('hex'));
  });

  it('is the one rule of dedupe, incidents, history and confirmation', () => {
    const fp = (t: string) => findingFingerprint('h', 'WS-7', t, 'x');
    expect(fp('sql01.corp.example')).toBe(fp('SQL01'));
    expect(hostKey('sql01.corp.example.')).toBe(hostKey('SQL01'));
    expect(hostName('SQL01.corp.example')).toBe(hostName('sql01'));
    expect(targetHash('sql01.corp.example')).toBe(targetHash('SQL01'));
    expect(targetMatchesAgent(parseTarget('FE80:0:0:0:0:0:0:1'), { hostname: 'x', ips: ['fe80::1'] })).toBe(true);
    expect(targetMatchesAgent(parseTarget('sql01.corp.example'), { hostname: 'SQL01', ips: [] })).toBe(true);
  });
});
