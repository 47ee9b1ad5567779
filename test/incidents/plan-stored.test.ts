/**
 * Grouping with stored incidents: what a notification tells about an incident joined or merged in a
 * later run (its hosts, how many pairs, when, how severe), and which spelling of a host it shows.
 */
import { describe, expect, it } from 'vitest';
import { INCIDENT_CHAIN_LIMIT, planIncidents, type Incident, type PairInput } from '../../lambda/incidents/index.js';
import { HOUR, HUNT, MIN, T0, pair } from './pairs.js';
const stored = (pairs: PairInput[]): Incident => planIncidents(HUNT, pairs, [], HOUR).incidents[0] as Incident;

describe('planIncidents with stored incidents', () => {
  it('merging two stored incidents that share FS01 lists FS01 once, spans both, counts every pair', () => {
    const older = stored([pair('WKS-1', 'fs01', 0)]);
    const newer = stored([pair('FS01', 'dc01', 120)]); // past the gap: its own incident
    const bridge = pair('WKS-9', 'fs01', 60);
    const plan = planIncidents(HUNT, [bridge], [newer, older], HOUR);
    expect(plan.incidents).toHaveLength(1);
    expect(plan.incidents[0]).toMatchObject({
      id: older.id, chain: ['WKS-1', 'fs01', 'dc01', 'WKS-9'], hosts: ['wks-1', 'fs01', 'dc01', 'wks-9'],
      pairCount: 3, firstSeen: T0, lastSeen: T0 + 120 * MIN,
    });
  });

  it('keeps counting past the 200 pairs the item holds: a stored 250 joined by a new pair tells 251', () => {
    const inc = stored([pair('WKS-77', 'fs01', 0), pair('WKS-77', 'fs02', 1)]);
    const plan = planIncidents(HUNT, [pair('WKS-77', 'fs03', 50), pair('WKS-77', 'fs02', 1, { fingerprint: inc.pairs[1]?.fingerprint })], [{ ...inc, pairCount: 250, lastSeen: T0 + 55 * MIN }], HOUR);
    expect(plan.incidents[0]).toMatchObject({ id: inc.id, pairCount: 251, firstSeen: T0, lastSeen: T0 + 55 * MIN });
    expect(plan.incidents[0]?.pairs).toHaveLength(3);
  });

  it('tells the highest severity, even when a later pair is lower', () => {
    const plan = planIncidents(HUNT, [pair('WKS-77', 'fs01', 0, { severity: 'critical' }), pair('FS01', 'dc01', 10, { severity: 'high' })], [], HOUR);
    expect(plan.incidents[0]?.severity).toBe('critical');
  });

  it('shows a host by its agent name once it acted: a later /node spelling as a target does not replace it', () => {
    // wmic /node takes the FQDN; the agent reports its own NetBIOS name (agent_hostname).
    const plan = planIncidents(HUNT, [pair('WKS-77', 'fs01', 0), pair('FS01', 'dc01', 10), pair('DC01', 'wks-77.corp.example', 20), pair('WKS-12', 'fs01.corp.example', 30)], [], HOUR);
    expect(plan.incidents[0]?.chain).toEqual(['WKS-77', 'FS01', 'DC01', 'WKS-12']);
  });

  it('joins a pair seen early in a long-running pair whose span reaches a stored incident hours later', () => {
    // The stored incident is at 5 h 30; pair A repeats from 0 to 5 h (one pair, seen over hours),
    // joins it, and B at 0 h 10 on A's host is within the gap of A: all one incident.
    const later = stored([pair('FS01', 'dc01', 330)]);
    const a = pair('WKS-77', 'fs01', 0, { lastSeen: T0 + 300 * MIN });
    const b = pair('WKS-77', 'app01', 10);
    const plan = planIncidents(HUNT, [a, b], [later], HOUR);
    expect(plan.incidents.map((i) => i.id)).toEqual([later.id]);
    expect(plan.incidents[0]?.pairCount).toBe(3);
  });

  it('a merged chain stops at the host limit', () => {
    const full = stored(Array.from({ length: INCIDENT_CHAIN_LIMIT - 1 }, (_, i) => pair('WKS-1', `t-${i}`, i / 100)));
    expect(full.chain).toHaveLength(INCIDENT_CHAIN_LIMIT);
    const other = stored([pair('APP01', 'zz01', 100)]);
    const plan = planIncidents(HUNT, [pair('WKS-1', 'zz01', 60)], [full, other], HOUR);
    expect(plan.incidents).toHaveLength(1);
    expect(plan.incidents[0]?.chain).toHaveLength(INCIDENT_CHAIN_LIMIT);
    expect(plan.incidents[0]?.pairCount).toBe(INCIDENT_CHAIN_LIMIT + 1);
  });
});
