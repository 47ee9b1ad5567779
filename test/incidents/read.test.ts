/**
 * Reading a stored incident item (lambda/incidents/read.ts): what DynamoDB returns is unmarshalled
 * plain data, and a hand-edited or older item may hold nulls (DynamoDB's NULL type), empty strings,
 * numbers where strings belong, or a map where a list belongs. The run must read what is an incident,
 * leave out what is not, and never crash.
 */
import { describe, expect, it } from 'vitest';
import { hostKey, planIncidents, readIncident } from '../../lambda/incidents/index.js';

const HUNT = 'HuntQuery-Windows-WMIC-RemoteExec';
const T0 = Date.UTC(2031, 0, 15, 12);

/** A pair as the incident item stores it (see planIncidents). */
const storedPair = (fp: string, source: string, target: string): Record<string, unknown> => ({
  fingerprint: fp, source, target, severity: 'high', riskScore: 80, firstSeen: T0, lastSeen: T0,
});

/** An incident item as written for WKS-77 → FS01 → DC01, with `over` applied. */
function item(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'INC-7F3A1C09B2', huntId: HUNT, chain: ['WKS-77', 'FS01', 'dc01.corp.example'], hosts: ['wks-77', 'fs01', 'dc01'],
    pairs: [storedPair('fp-1', 'WKS-77', 'fs01'), storedPair('fp-2', 'FS01', 'dc01.corp.example')],
    pairCount: 2, severity: 'high', firstSeen: T0, lastSeen: T0, threadId: '1798012345.000100', mergedInto: null,
    ...over,
  };
}

describe('readIncident', () => {
  it('reads back what the analyst was told: the incident, its hosts, its pairs, its Slack thread, the incident it merged into', () => {
    const inc = readIncident(item({ pairCount: 250, mergedInto: 'INC-00AA11BB22' }));
    expect(inc?.id).toBe('INC-7F3A1C09B2');
    expect(inc?.chain).toEqual(['WKS-77', 'FS01', 'dc01.corp.example']);
    expect(inc?.hosts).toEqual(['wks-77', 'fs01', 'dc01']);
    expect(inc?.pairs.map((p) => p.fingerprint)).toEqual(['fp-1', 'fp-2']);
    // The item keeps the newest 200 pairs; pairCount stays the whole story's count.
    expect(inc?.pairCount).toBe(250);
    expect(inc?.threadId).toBe('1798012345.000100');
    expect(inc?.mergedInto).toBe('INC-00AA11BB22');
  });

  it('counts at least the pairs it holds when the stored count is missing or too small', () => {
    expect(readIncident(item({ pairCount: 1 }))?.pairCount).toBe(2);
    expect(readIncident(item({ pairCount: undefined }))?.pairCount).toBe(2);
  });

  it('an empty threadId or mergedInto reads as none: the thread is the incident id, nothing merged', () => {
    const inc = readIncident(item({ threadId: '', mergedInto: '' }));
    expect(inc?.threadId).toBe('INC-7F3A1C09B2');
    expect(inc?.mergedInto).toBeNull();
    expect(readIncident(item({ threadId: undefined }))?.threadId).toBe('INC-7F3A1C09B2');
  });

  it('is not an incident when the id is not a non-empty string (its pairs then start a new incident)', () => {
    expect(readIncident(item({ id: 42 }))).toBeNull();
    expect(readIncident(item({ id: '' }))).toBeNull();
    expect(readIncident(item({ huntId: null }))).toBeNull();
    expect(readIncident(item({ firstSeen: 'yesterday' }))).toBeNull();
    expect(readIncident(undefined)).toBeNull();
  });

  it('leaves out chain entries that are not host names, and reads a chain that is not a list as empty', () => {
    const inc = readIncident(item({ chain: ['WKS-77', '', null, 7, 'FS01'], hosts: ['wks-77', 'fs01'] }));
    expect(inc?.chain).toEqual(['WKS-77', 'FS01']);
    expect(inc?.hosts).toEqual(['wks-77', 'fs01']);
    expect(readIncident(item({ chain: 'WKS-77' }))?.chain).toEqual([]);
    expect(readIncident(item({ chain: undefined }))?.chain).toEqual([]);
  });

  it('keys each host by the stored key; where none is stored, by the host name', () => {
    // A chain entry is capped at 128 characters, but its key is made from the whole name: the stored
    // key, not one made again from the capped name, is what later pairs of that host match.
    const long = `${'h'.repeat(200)}.corp.example`;
    const plan = planIncidents(HUNT, [{ fingerprint: 'fp-L', sourceHost: 'WKS-77', targetHost: long, severity: 'high', riskScore: 80, firstSeen: T0, lastSeen: T0 }], [], 3_600_000);
    const written = plan.incidents[0];
    const back = readIncident(JSON.parse(JSON.stringify(written)) as Record<string, unknown>);
    expect(back?.hosts).toEqual(['wks-77', hostKey(long)]);
    expect(back?.hosts[1]).not.toBe(hostKey(back?.chain[1] ?? ''));
    expect(readIncident(item({ hosts: undefined }))?.hosts).toEqual(['wks-77', 'fs01', 'dc01']);
    expect(readIncident(item({ hosts: ['wks-77', null, 5] }))?.hosts).toEqual(['wks-77', 'fs01', 'dc01']);
  });

  it('leaves out pairs that are not objects or lack a field, and reads pairs that are not a list as none', () => {
    const inc = readIncident(item({ pairs: [null, 'fp-9', 7, undefined, storedPair('fp-1', 'WKS-77', 'fs01'), { fingerprint: 'fp-3', source: 'FS01' }] }));
    expect(inc?.pairs.map((p) => `${p.fingerprint} ${p.source} → ${p.target}`)).toEqual(['fp-1 WKS-77 → fs01']);
    expect(readIncident(item({ pairs: { 0: storedPair('fp-1', 'WKS-77', 'fs01') } }))?.pairs).toEqual([]);
    expect(readIncident(item({ pairs: undefined }))?.pairs).toEqual([]);
  });
});
