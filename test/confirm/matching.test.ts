import { describe, expect, it } from 'vitest';
import { confirmationRange, ipList, parseTarget, sameCommand, targetMatchesAgent } from '../../lambda/confirm/index.js';
import { MIN, SEC, T0 } from './fixture.js';

const agent = (hostname: string | null, ips: string[] = []) => ({ hostname, ips });

describe('which agent a /node: value names', () => {
  it('matches a host name to agent_hostname case-insensitively', () => {
    expect(targetMatchesAgent(parseTarget('fs01'), agent('FS01'))).toBe(true);
    expect(targetMatchesAgent(parseTarget('FS01'), agent('fs01'))).toBe(true);
    expect(targetMatchesAgent(parseTarget('fs01'), agent('FS011'))).toBe(false);
    expect(targetMatchesAgent(parseTarget('fs01'), agent('XFS01'))).toBe(false);
    expect(targetMatchesAgent(parseTarget('fs01'), agent(null))).toBe(false);
  });

  it('matches an FQDN by its first label', () => {
    expect(targetMatchesAgent(parseTarget('sql01.corp.example'), agent('SQL01'))).toBe(true);
    expect(targetMatchesAgent(parseTarget('sql01.corp.example'), agent('sql01.corp.example'))).toBe(true);
    expect(targetMatchesAgent(parseTarget('sql01.corp.example'), agent('SQL02'))).toBe(false);
    expect(targetMatchesAgent(parseTarget('sql01'), agent('SQL01.corp.example'))).toBe(true);
  });

  it('matches an IP address only exactly: 10.1.1.5 is not the agent at 10.1.1.50', () => {
    expect(targetMatchesAgent(parseTarget('10.1.1.5'), agent('BKP02', ['10.1.1.50']))).toBe(false);
    expect(targetMatchesAgent(parseTarget('10.1.1.5'), agent('BKP02', ['110.1.1.5']))).toBe(false);
    expect(targetMatchesAgent(parseTarget('10.1.1.5'), agent('BKP02', ['10.1.1.50', '10.1.1.5']))).toBe(true);
    // an IP never matches by host name, even a host named like it
    expect(targetMatchesAgent(parseTarget('10.1.1.5'), agent('10.1.1.5', []))).toBe(false);
  });

  it('reads agent_ip_addresses as an array or a comma-joined string', () => {
    expect(ipList(['10.1.1.5', ' 10.1.1.6 '])).toEqual(['10.1.1.5', '10.1.1.6']);
    expect(ipList('10.1.1.5,10.1.1.50')).toEqual(['10.1.1.5', '10.1.1.50']);
    expect(ipList(null)).toEqual([]);
    expect(targetMatchesAgent(parseTarget('10.1.1.50'), agent('X', ipList('10.1.1.5,10.1.1.50')))).toBe(true);
  });

  it('matches IPv6 addresses case-insensitively and exactly', () => {
    expect(parseTarget('FE80::1').kind).toBe('ip');
    expect(targetMatchesAgent(parseTarget('FE80::1'), agent('X', ['fe80::1']))).toBe(true);
    expect(targetMatchesAgent(parseTarget('fe80::1'), agent('X', ['fe80::10']))).toBe(false);
  });

  it('does not check @file lists, wildcards or text no host name has', () => {
    for (const value of ['@C:\\temp\\hosts.txt', 'fs*', 'a"b', 'two words', '']) expect(parseTarget(value).kind, value).toBe('unchecked');
  });
});

describe('the same command as Windows runs it', () => {
  it('ignores case, quoting and spacing', () => {
    expect(sameCommand('cmd.exe /c vssadmin delete shadows /all /quiet', 'CMD.EXE  /C  "vssadmin delete shadows /all /quiet"')).toBe(true);
    expect(sameCommand('powershell.exe -NoP -W Hidden -Enc SQBFAFgA', 'powershell.exe  -NoP -W Hidden -Enc SQBFAFgA ')).toBe(true);
  });

  it('treats cmd and cmd.exe, a full path and a bare name alike', () => {
    expect(sameCommand('cmd /c whoami', 'C:\\Windows\\system32\\cmd.exe /c whoami')).toBe(true);
    expect(sameCommand('"C:\\Windows\\System32\\cmd.exe" /c whoami', 'cmd /c whoami')).toBe(true);
    expect(sameCommand('\\\\FS01\\IT$\\Deploy\\winupd.exe -mode full', 'winupd.exe -mode full')).toBe(true);
  });

  it('tells different programs and different arguments apart', () => {
    expect(sameCommand('cmd.exe /c whoami', 'cmd.exe /c whoami /all')).toBe(false);
    expect(sameCommand('cmd.exe /c whoami', 'powershell.exe /c whoami')).toBe(false);
    expect(sameCommand('cmdx /c whoami', 'cmd /c whoami')).toBe(false);
    expect(sameCommand('', '')).toBe(false);
  });

  it('lets a redacted password stand for the one on the target line', () => {
    expect(sameCommand('net use \\\\x /user:a ***', 'net use \\\\x /user:a S3cret!')).toBe(true);
    expect(sameCommand('net use \\\\x /user:a ***', 'net use \\\\y /user:a S3cret!')).toBe(false);
  });
});

describe('the range the confirmation query covers', () => {
  const lag = 5 * MIN;

  it('runs from a minute before the first source event to five minutes after the last, in whole seconds', () => {
    const range = confirmationRange([{ firstSeen: T0 + 400, lastSeen: T0 + 400 }, { firstSeen: T0 + 2 * MIN, lastSeen: T0 + 3 * MIN }], T0 + 60 * MIN, lag);
    expect(range).toEqual({ from: T0 - MIN, to: T0 + 8 * MIN });
  });

  it('never reaches past now minus the ingest lag', () => {
    const now = T0 + 7 * MIN + 300;
    const range = confirmationRange([{ firstSeen: T0, lastSeen: T0 }], now, lag);
    expect(range?.to).toBe(T0 + 2 * MIN);
    expect(range!.to).toBeLessThanOrEqual(now - lag);
  });

  it('is bounded: a pair seen a week ago does not widen it past the maximum span', () => {
    const range = confirmationRange([{ firstSeen: T0 - 7 * 24 * 60 * MIN, lastSeen: T0 - 7 * 24 * 60 * MIN }, { firstSeen: T0, lastSeen: T0 }], T0 + 60 * MIN, lag);
    expect(range!.to - range!.from).toBeLessThanOrEqual(24 * 60 * MIN + 6 * MIN);
    expect(range!.to).toBe(T0 + 5 * MIN);
  });

  it('is null when there are no pairs or nothing is old enough to query', () => {
    expect(confirmationRange([], T0, lag)).toBeNull();
    expect(confirmationRange([{ firstSeen: T0, lastSeen: T0 }], T0 + 2 * MIN, lag + 4 * MIN)).toBeNull();
    expect(confirmationRange([{ firstSeen: T0, lastSeen: T0 }], T0 + 30 * SEC + lag, lag)!.to).toBe(T0 + 30 * SEC);
  });
});
