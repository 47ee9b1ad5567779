/**
 * Stored pairs read back and evidence added to incidents, the part of the StateStore contract
 * both adapters must show (called from contract.ts): a pair comes back as recorded (with what its
 * notification carried), evidence rides with its incident through a rewrite of the incident,
 * is never repeated, and concurrent writers never lose each other's entries.
 */
import { expect, it } from 'vitest';
import { planIncidents, type IncidentEvidence } from '../../lambda/incidents/index.js';
import type { StateStore } from '../../lambda/ports.js';
import { StateInputError } from '../../lambda/state/index.js';
import { DAY, MINUTE, T0, freshHuntId, makeFinding } from '../fixtures/state/findings.js';

const TTL = 7 * DAY;
const entry = (fingerprint: string, pairFingerprint: string, eventId: string, atMin = 0): IncidentEvidence => ({
  huntId: 'HuntQuery-Target', fingerprint, pairFingerprint, host: 'SRV-0', commandLine: 'cmd.exe /c whoami',
  eventIds: [eventId], firstSeen: T0 + atMin * MINUTE, lastSeen: T0 + atMin * MINUTE,
});

export function evidenceContract(store: () => StateStore): void {
  it('reads stored pairs back by fingerprint, with the notification they carried; unknown, other hunts\' and expired ones are absent', async () => {
    const hunt = freshHuntId();
    const [a, b] = [makeFinding(hunt, 1), makeFinding(hunt, 2)];
    await store().recordFindings([a, b], T0, DAY);
    await store().markNotified(hunt, [a.fingerprint], T0 + 1000, new Map([[a.fingerprint, 'not-seen']]));
    const read = await store().readPairs!(hunt, [a.fingerprint, b.fingerprint, 'f'.repeat(64)], T0 + MINUTE);
    const byFp = new Map(read.map((p) => [p.fingerprint, p]));
    expect(byFp.get(a.fingerprint)).toMatchObject({
      huntId: hunt, sourceHost: a.sourceHost, targetHost: a.targetHost, remoteCommand: a.remoteCommand, firstSeen: a.firstSeen, lastSeen: a.lastSeen,
      status: 'NOTIFIED', sent: { notifiedAt: T0 + 1000, confirmation: 'not-seen', followUpSent: null },
    });
    expect(byFp.get(b.fingerprint)).toMatchObject({ status: 'PENDING' });
    expect(read).toHaveLength(2);
    expect(await store().readPairs!(freshHuntId(), [a.fingerprint], T0 + MINUTE)).toEqual([]);
    expect(await store().readPairs!(hunt, [a.fingerprint], T0 + 2 * DAY)).toEqual([]);
  });

  it('adds evidence to an incident: read with it, kept through a rewrite of the incident, widened not repeated, none lost to a concurrent writer', async () => {
    const hunt = freshHuntId();
    const plan = planIncidents(hunt, [{ fingerprint: 'p1', sourceHost: 'WS-0', targetHost: 'srv-0', severity: 'high', riskScore: 80, firstSeen: T0, lastSeen: T0 }], [], 60 * MINUTE);
    await store().writeIncidents(hunt, plan.changed, T0, TTL);
    const id = plan.incidents[0]!.id;
    await store().recordIncidentEvidence!(hunt, id, [entry('t1', 'p1', 'e1')], T0, TTL);
    await store().recordIncidentEvidence!(hunt, id, [entry('t1', 'p1', 'e1')], T0 + MINUTE, TTL);
    await store().recordIncidentEvidence!(hunt, id, [entry('t1', 'p1', 'e2', 3)], T0 + MINUTE, TTL);
    await Promise.all([
      store().recordIncidentEvidence!(hunt, id, [entry('t2', 'p1', 'e3', 4)], T0 + 2 * MINUTE, TTL),
      store().recordIncidentEvidence!(hunt, id, [entry('t3', 'p1', 'e4', 5)], T0 + 2 * MINUTE, TTL),
    ]);
    // The pair's hunt rewrites its incident (a new pair joins): the evidence stays where it was.
    const next = planIncidents(hunt, [{ fingerprint: 'p2', sourceHost: 'srv-0', targetHost: 'srv-9', severity: 'high', riskScore: 80, firstSeen: T0 + 9 * MINUTE, lastSeen: T0 + 9 * MINUTE }], plan.incidents, 60 * MINUTE);
    await store().writeIncidents(hunt, next.changed, T0 + 10 * MINUTE, TTL);
    const [incident] = await store().readIncidents(hunt, ['srv-9'], T0 + 11 * MINUTE);
    expect(incident?.pairs.map((p) => p.fingerprint)).toEqual(['p1', 'p2']);
    expect(incident?.evidence?.map((e) => [e.fingerprint, e.eventIds])).toEqual([['t1', ['e1', 'e2']], ['t2', ['e3']], ['t3', ['e4']]]);
    expect(incident?.evidence?.[0]).toMatchObject({ firstSeen: T0, lastSeen: T0 + 3 * MINUTE, huntId: 'HuntQuery-Target', host: 'SRV-0' });
  });

  it('refuses bad input by name', async () => {
    await expect(store().readPairs!('bad#hunt', [], T0)).rejects.toThrow(StateInputError);
    await expect(store().readPairs!(freshHuntId(), [''], T0)).rejects.toThrow(/fingerprints\[0\]/);
    await expect(store().recordIncidentEvidence!(freshHuntId(), '', [entry('t', 'p', 'e')], T0, TTL)).rejects.toThrow(/incidentId/);
    await expect(store().recordIncidentEvidence!(freshHuntId(), 'INC-1', [{ huntId: 'x' } as unknown as IncidentEvidence], T0, TTL)).rejects.toThrow(/evidence must be/);
  });
}
