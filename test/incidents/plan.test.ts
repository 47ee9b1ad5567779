/**
 * Grouping pairs into incidents, the pure core: chains in order of first reach, pivots, the gap,
 * joining and merging stored incidents, stable ids.
 */
import { describe, expect, it } from 'vitest';
import { hostKey, planIncidents, type Incident } from '../../lambda/incidents/index.js';
import { HOUR, HUNT, pair } from './pairs.js';

describe('planIncidents', () => {
  it('tells WKS-77 → FS01, then FS01 → DC01 as one incident whose chain is WKS-77, FS01, DC01', () => {
    const a = pair('WKS-77', 'fs01', 0);
    const b = pair('FS01', 'dc01.corp.example', 20, { severity: 'critical' });
    const plan = planIncidents(HUNT, [b, a], [], HOUR);
    expect(plan.incidents).toHaveLength(1);
    const [inc] = plan.incidents;
    expect(inc?.chain).toEqual(['WKS-77', 'FS01', 'dc01.corp.example']);
    expect(inc?.severity).toBe('critical');
    expect(plan.assignment.get(a.fingerprint)).toBe(inc?.id);
    expect(plan.assignment.get(b.fingerprint)).toBe(inc?.id);
  });

  it('keeps two unrelated intrusions apart, and pairs sharing a host further apart than the gap', () => {
    const x1 = pair('WKS-1', 'fs01', 0);
    const x2 = pair('FS01', 'dc01', 10);
    const y1 = pair('WKS-2', 'app01', 5);
    const y2 = pair('APP01', 'db01', 15);
    const late = pair('WKS-1', 'fs09', 10 + 61);
    const plan = planIncidents(HUNT, [x1, x2, y1, y2, late], [], HOUR);
    expect(plan.incidents.map((i) => i.chain)).toEqual([['WKS-1', 'FS01', 'dc01'], ['WKS-2', 'APP01', 'db01'], ['WKS-1', 'fs09']]);
    expect(new Set(plan.incidents.map((i) => i.id)).size).toBe(3);
  });

  it('puts the chain in the order of first reach, whatever order the pairs come in', () => {
    const pairs = [pair('A', 'b', 0), pair('A', 'c', 5), pair('B', 'd', 7), pair('D', 'e', 9), pair('C', 'f', 30)];
    const plan = planIncidents(HUNT, [...pairs].reverse(), [], HOUR);
    expect(plan.incidents[0]?.chain).toEqual(['A', 'B', 'C', 'D', 'e', 'f']);
  });

  it('joins a pivot found in a later run to the stored incident, keeping its id and chain', () => {
    const first = planIncidents(HUNT, [pair('WKS-77', 'fs01', 0)], [], HOUR);
    const stored = first.incidents[0] as Incident;
    const later = pair('FS01', 'dc01', 40);
    const second = planIncidents(HUNT, [later], [stored], HOUR);
    expect(second.incidents).toHaveLength(1);
    expect(second.incidents[0]).toMatchObject({ id: stored.id, chain: ['WKS-77', 'FS01', 'dc01'], pairCount: 2 });
    expect(second.assignment.get(later.fingerprint)).toBe(stored.id);
  });

  it('extends the chain with a pivot that comes within the gap of the incident, not of its host', () => {
    // FS01 was reached at 0 and acts at 90; the intrusion went on elsewhere at 45.
    const pairs = [pair('WKS-77', 'fs01', 0), pair('WKS-77', 'app01', 45), pair('FS01', 'dc01', 90)];
    const together = planIncidents(HUNT, pairs, [], HOUR);
    expect(together.incidents.map((i) => i.chain)).toEqual([['WKS-77', 'FS01', 'app01', 'dc01']]);
    // The same pairs over two runs tell the same story under the same id.
    const first = planIncidents(HUNT, pairs.slice(0, 2), [], HOUR);
    const second = planIncidents(HUNT, pairs.slice(2), first.incidents, HOUR);
    expect(second.incidents.map((i) => [i.id, i.chain])).toEqual(together.incidents.map((i) => [i.id, i.chain]));
  });

  it('starts a new incident when the stored one is past the gap', () => {
    const stored = planIncidents(HUNT, [pair('WKS-77', 'fs01', 0)], [], HOUR).incidents[0] as Incident;
    const second = planIncidents(HUNT, [pair('FS01', 'dc01', 120)], [stored], HOUR);
    expect(second.incidents[0]?.id).not.toBe(stored.id);
    expect(second.changed).toHaveLength(1);
  });

  it('merges two stored incidents bridged by a new pair into the older id', () => {
    const older = planIncidents(HUNT, [pair('WKS-1', 'fs01', 0)], [], HOUR).incidents[0] as Incident;
    const newer = planIncidents(HUNT, [pair('WKS-2', 'app01', 10)], [], HOUR).incidents[0] as Incident;
    const bridge = pair('FS01', 'app01', 20);
    const plan = planIncidents(HUNT, [bridge], [newer, older], HOUR);
    expect(plan.incidents).toHaveLength(1);
    expect(plan.incidents[0]).toMatchObject({ id: older.id, chain: ['WKS-1', 'FS01', 'WKS-2', 'app01'], pairCount: 3 });
    expect(plan.changed.find((i) => i.id === newer.id)?.mergedInto).toBe(older.id);
  });

  it('gives the same id to the same first pair (a run repeated after a crash), and keeps a pair it already lists', () => {
    const a = pair('WKS-77', 'fs01', 0);
    const once = planIncidents(HUNT, [a], [], HOUR).incidents[0] as Incident;
    expect(planIncidents(HUNT, [a], [], HOUR).incidents[0]?.id).toBe(once.id);
    // Re-seen days later (a pending pair after an outage): still its incident, counted once.
    const again = planIncidents(HUNT, [{ ...a, lastSeen: a.lastSeen + 5 * HOUR }], [once], HOUR);
    expect(again.incidents[0]).toMatchObject({ id: once.id, pairCount: 1 });
  });

  it('matches a host across spellings: agent name, FQDN, case', () => {
    expect(hostKey('SQL01')).toBe(hostKey('sql01.corp.example'));
    expect(hostKey('10.20.1.40')).toBe('10.20.1.40');
    expect(hostKey('10.20.1.40')).not.toBe(hostKey('10.20.1.41'));
  });
});

describe('planIncidents bounds', () => {
  it('keeps an incident item bounded: at most 200 pairs and 500 hosts, names cut, while every pair still joins', async () => {
    const { INCIDENT_CHAIN_LIMIT, INCIDENT_PAIRS_LIMIT } = await import('../../lambda/incidents/index.js');
    // Hostile 5,000-character target names; fingerprints are SHA-256 hex, as the detector makes them.
    const pairs = Array.from({ length: 2_000 }, (_, i) => pair('WKS-1', `${'t'.repeat(5_000)}-${i}`, i / 100, { fingerprint: i.toString(16).padStart(64, '0') }));
    const plan = planIncidents(HUNT, pairs, [], HOUR);
    expect(plan.incidents).toHaveLength(1);
    const [inc] = plan.incidents;
    expect(inc?.pairs).toHaveLength(INCIDENT_PAIRS_LIMIT);
    expect(inc?.pairCount).toBe(2_000);
    expect(inc?.chain).toHaveLength(INCIDENT_CHAIN_LIMIT);
    expect(Buffer.byteLength(JSON.stringify(inc))).toBeLessThan(400_000);
    expect(new Set(plan.assignment.values()).size).toBe(1);
  });

  it('stores each pair with both host names cut to 128 characters: 128 kept whole, 129 cut', () => {
    const at = `${'s'.repeat(127)}A`;
    const over = `${'s'.repeat(128)}B`;
    const plan = planIncidents(HUNT, [pair(at, 'fs01', 0), pair(over, `${'t'.repeat(128)}C`, 1)], [], HOUR);
    const stored = plan.incidents.flatMap((i) => i.pairs).map((p) => [p.source, p.target]);
    expect(stored).toEqual(expect.arrayContaining([[at, 'fs01'], ['s'.repeat(128), 't'.repeat(128)]]));
    expect(stored).toHaveLength(2);
  });
});
