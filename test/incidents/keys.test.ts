/**
 * What the store keys an incident's hosts by (hostKey) and what the notifier is handed (viewOf):
 * a host index item's key is at most 128 characters, and two long names stay two hosts.
 */
import { describe, expect, it } from 'vitest';
import { hostKey, planIncidents, viewOf, type Incident } from '../../lambda/incidents/index.js';
import { HOUR, HUNT, pair } from './pairs.js';

describe('host keys', () => {
  it('keeps a 128-character host name whole, and cuts a 129-character one to 128 with a digest', () => {
    const at = 'h'.repeat(128);
    expect(hostKey(at)).toBe(at);
    const over = 'h'.repeat(129);
    expect(hostKey(over)).toHaveLength(128);
    expect(hostKey(over)).toMatch(/^h{111}~[0-9a-f]{16}$/);
  });

  it('stores two hostile names that differ only past the cut as two hosts of the incident', () => {
    const a = `${'x'.repeat(300)}a`;
    const b = `${'x'.repeat(300)}b`;
    const inc = planIncidents(HUNT, [pair('WKS-77', a, 0), pair('WKS-77', b, 1)], [], HOUR).incidents[0] as Incident;
    expect(inc.hosts).toHaveLength(3);
    expect(new Set(inc.hosts).size).toBe(3);
    expect(inc.hosts.slice(1).every((k) => k.length === 128)).toBe(true);
  });
});

describe('viewOf', () => {
  it('hands the notifier the incident, its hosts in order, its pair count and its thread', () => {
    const inc = planIncidents(HUNT, [pair('WKS-77', 'fs01', 0), pair('FS01', 'dc01', 10, { severity: 'critical' })], [], HOUR).incidents[0] as Incident;
    expect(viewOf(inc)).toEqual({ id: inc.id, chain: ['WKS-77', 'FS01', 'dc01'], severity: 'critical', threadId: inc.id, pairCount: 2 });
  });
});
