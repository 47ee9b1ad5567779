/** An incident's evidence list (lambda/incidents/evidence.ts): lenient read, idempotent merge, bounded. */
import { describe, expect, it } from 'vitest';
import { INCIDENT_EVIDENCE_LIMIT, mergeEvidence, readEvidence, type IncidentEvidence } from '../../lambda/incidents/index.js';

const e = (n: number, over: Partial<IncidentEvidence> = {}): IncidentEvidence => ({
  huntId: 'H', fingerprint: `t${n}`, pairFingerprint: 'p', host: 'FS03', commandLine: 'cmd.exe /c x', eventIds: [`e${n}`], firstSeen: n, lastSeen: n, ...over,
});

describe('incident evidence', () => {
  it('merges idempotently: the same entry again changes nothing, a later event widens it', () => {
    const once = mergeEvidence([], [e(1)]);
    expect(mergeEvidence(once, [e(1)])).toEqual(once);
    expect(mergeEvidence(once, [e(1, { eventIds: ['e9'], lastSeen: 9 })])).toEqual([e(1, { eventIds: ['e1', 'e9'], lastSeen: 9 })]);
  });

  it('keeps the newest entries, capped fields, at most 10 event ids each', () => {
    const many = Array.from({ length: INCIDENT_EVIDENCE_LIMIT + 5 }, (_, i) => e(i));
    const kept = mergeEvidence([], many);
    expect(kept).toHaveLength(INCIDENT_EVIDENCE_LIMIT);
    expect(kept[0]!.fingerprint).toBe('t5');
    const [big] = mergeEvidence([], [e(1, { host: 'h'.repeat(1000), commandLine: 'c'.repeat(5000), eventIds: Array.from({ length: 30 }, (_, i) => `x${i}`) })]);
    expect([big!.host.length, big!.commandLine.length, big!.eventIds.length]).toEqual([128, 300, 10]);
  });

  it('reads a stored list leniently: what is not an entry is left out', () => {
    expect(readEvidence([e(1), null, 'x', { huntId: 'H' }, { ...e(2), eventIds: 'nope' }])).toEqual([e(1), e(2, { eventIds: [] })]);
    expect(readEvidence(undefined)).toEqual([]);
  });
});
