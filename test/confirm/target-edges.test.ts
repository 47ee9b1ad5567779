/**
 * parseTarget and targetMatchesAgent at their edges. /node: values as wmic takes them: a NetBIOS
 * or DNS name, an IPv4 or IPv6 address (with a zone), or @file
 * (https://learn.microsoft.com/en-us/windows/win32/wmisdk/wmic); DNS labels of at most 63
 * characters, names of at most 255 (RFC 1035 §2.3.4). agent_ip_addresses as xdr_data gives it:
 * an array, or a comma-joined string.
 */
import { describe, expect, it } from 'vitest';
import { firstLabel, ipList, parseTarget, targetMatchesAgent } from '../../lambda/confirm/target.js';

describe('parseTarget', () => {
  it('reads IPv4 addresses with octets 0–255 only, the raw value trimmed', () => {
    expect(parseTarget(' 10.1.1.5 ')).toEqual({ kind: 'ip', raw: '10.1.1.5', ip: '10.1.1.5' });
    for (const ip of ['0.0.0.0', '255.255.255.255', '199.249.200.9', '10.100.1.1']) expect(parseTarget(ip).kind, ip).toBe('ip');
    // 256 and 300 are no octets: such a value is a (numeric) host name, never an address
    for (const v of ['256.1.1.1', '10.1.1.256', '10.1.1.300', '10.1.1']) expect(parseTarget(v).kind, v).toBe('host');
    expect(parseTarget('1.2.3.4.5').kind).toBe('host');
  });

  it('reads IPv6 with at least two colons, lower-cased, with a zone; fewer colons is not an address', () => {
    expect(parseTarget('FE80::1%eth0')).toEqual({ kind: 'ip', raw: 'FE80::1%eth0', ip: 'fe80::1%eth0' });
    expect(parseTarget('fe80:1').kind).toBe('unchecked');
    expect(parseTarget('fe80::g1').kind).toBe('unchecked');
    expect(parseTarget('x:fe80::1').kind).toBe('unchecked');
    expect(parseTarget('fe80::1%').kind).toBe('unchecked');
  });

  it('reads host names up to 63-character labels and 255 characters, with or without a final dot', () => {
    const label63 = 'a'.repeat(63);
    expect(parseTarget(`${label63}.corp`)).toEqual({ kind: 'host', raw: `${label63}.corp`, label: label63 });
    expect(parseTarget(`${'a'.repeat(64)}.corp`).kind).toBe('unchecked');
    expect(parseTarget(`corp.${'b'.repeat(64)}`).kind).toBe('unchecked');
    expect(parseTarget('FS01.corp.example.').kind).toBe('host');
    expect(parseTarget('_svc-01').kind).toBe('host');
    expect(parseTarget('-fs01').kind).toBe('unchecked');
    expect(parseTarget('fs01..corp').kind).toBe('unchecked');
    const name255 = Array.from({ length: 4 }, () => 'c'.repeat(63)).join('.').slice(0, 255);
    expect(name255).toHaveLength(255);
    expect(parseTarget(name255).kind).toBe('host');
    expect(parseTarget(`${name255}d`).kind).toBe('unchecked');
  });

  it('reads a name of valid labels as a host at 255 characters and leaves it unchecked at 256', () => {
    // labels of at most 63 characters, so only the length decides (RFC 1035 §2.3.4: names of at most 255)
    const name = (length: number) => [...Array.from({ length: 3 }, () => 'c'.repeat(63)), 'c'.repeat(61), 'd'.repeat(length - 254)].join('.');
    expect(name(255)).toHaveLength(255);
    expect(name(256)).toHaveLength(256);
    expect(parseTarget(name(255))).toMatchObject({ kind: 'host', label: 'c'.repeat(63) });
    expect(parseTarget(name(256))).toEqual({ kind: 'unchecked', raw: name(256), why: 'the target is not a host name or IP address XSIAM can be asked about' });
  });

  it('says why a value cannot be checked', () => {
    expect(parseTarget(' @hosts.txt')).toEqual({ kind: 'unchecked', raw: '@hosts.txt', why: 'the targets were read from a file (@list) on the source host' });
    expect(parseTarget('fs*')).toEqual({ kind: 'unchecked', raw: 'fs*', why: 'the target is not a host name or IP address XSIAM can be asked about' });
  });
});

describe('targetMatchesAgent and the helpers', () => {
  it('trims the agent\'s host name, and never matches an empty one', () => {
    expect(targetMatchesAgent(parseTarget('fs01'), { hostname: ' FS01 ', ips: [] })).toBe(true);
    expect(targetMatchesAgent(parseTarget('fs01'), { hostname: '   ', ips: [] })).toBe(false);
    expect(targetMatchesAgent(parseTarget('@x'), { hostname: '@x', ips: ['@x'] })).toBe(false);
  });

  it('firstLabel lower-cases the part before the first dot', () => {
    expect(firstLabel('SQL01.corp.example')).toBe('sql01');
    expect(firstLabel('SQL01')).toBe('sql01');
    expect(firstLabel('.corp')).toBe('');
  });

  it('ipList lower-cases, trims and drops empty and non-text items', () => {
    expect(ipList(['FE80::1', '', '  ', 7, null, ' 10.1.1.5'])).toEqual(['fe80::1', '10.1.1.5']);
    expect(ipList('FE80::1, ,10.1.1.5')).toEqual(['fe80::1', '10.1.1.5']);
    expect(ipList(42)).toEqual([]);
  });
});
