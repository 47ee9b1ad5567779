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
  it('keeps the newest entries in time order whatever order they come in, and drops the oldest past the limit', () => {
    expect(mergeEvidence([e(5), e(9)], [e(1), e(7)], 3).map((x) => x.fingerprint)).toEqual(['t5', 't7', 't9']);
    expect(mergeEvidence([e(5)], [e(1)]).map((x) => x.fingerprint)).toEqual(['t1', 't5']);
  });

  it('reads an entry with no host or command as empty ones, and leaves out event ids and names that are not strings', () => {
    const { host: _h, commandLine: _c, ...bare } = e(3);
    expect(readEvidence([bare])).toEqual([e(3, { host: '', commandLine: '' })]);
    expect(readEvidence([{ ...e(4), eventIds: ['e4', 7, null, 'e5'] }])).toEqual([e(4, { eventIds: ['e4', 'e5'] })]);
    expect(readEvidence([{ ...e(5), huntId: 7 }, { ...e(6), pairFingerprint: 6 }, undefined, 8])).toEqual([]);
    // a corrupt item's list in a text field (it has a length too) is not text either
    expect(readEvidence([{ ...e(7), host: ['FS03'] }, { ...e(8), fingerprint: ['t8'] }])).toEqual([e(7, { host: '' })]);
    // empty ids leave the entry out; an empty name stays empty
    expect(readEvidence([{ ...e(9), huntId: '' }, { ...e(10), pairFingerprint: '' }, { ...e(11), host: '' }])).toEqual([e(11, { host: '' })]);
  });
});
