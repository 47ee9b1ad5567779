/**
 * What the incident calls refuse, by name, and how an incident's evidence item is renewed
 * (lambda/state/incidents.ts; issue 21's survivors). The messages are what a StateInputError
 * tells the operator, so each names the field that was wrong.
 */
import { describe, expect, it } from 'vitest';
import { planIncidents, type IncidentEvidence } from '../../lambda/incidents/index.js';
import { incidentEvidenceProblems, nextEvidenceItem, readIncidentsProblems, writeIncidentsProblems } from '../../lambda/state/incidents.js';
import { epochSeconds, expiresAtFor } from '../../lambda/state/time.js';
import { HUNT, HOUR, T0, pair } from '../incidents/pairs.js';

const TTL = 7 * 24 * HOUR;
const [INCIDENT] = planIncidents(HUNT, [pair('WKS-77', 'fs01.corp.example', 0)], [], HOUR).incidents;

/** A target-side finding (Sysmon event 1 on FS01 under WmiPrvSE.exe) that is evidence of the pair. */
const entry = (eventId: string, at: number): IncidentEvidence => ({
  huntId: 'HuntQuery-Windows-WmiPrvSE-Child', fingerprint: 't1', pairFingerprint: INCIDENT?.pairs[0]?.fingerprint as string,
  host: 'FS01', commandLine: 'cmd.exe /c whoami', eventIds: [eventId], firstSeen: at, lastSeen: at,
});

describe('incident calls refuse bad input by name', () => {
  it('readIncidents: now, and every host a non-empty string', () => {
    expect(readIncidentsProblems(HUNT, ['wks-77'], T0)).toEqual([]);
    expect(readIncidentsProblems(HUNT, ['wks-77'], Number.NaN)).toEqual(['now must be a finite number']);
    expect(readIncidentsProblems(HUNT, ['wks-77', ''], T0)).toEqual(['hosts must be an array of non-empty strings']);
  });

  it('writeIncidents: now, the list, and each incident\'s id, chain, hosts and pairs', () => {
    expect(writeIncidentsProblems(HUNT, [INCIDENT], T0, TTL)).toEqual([]);
    expect(writeIncidentsProblems(HUNT, [INCIDENT], Number.NaN, TTL)).toEqual(['now must be a finite number']);
    expect(writeIncidentsProblems(HUNT, { incidents: [INCIDENT] }, T0, TTL)).toEqual(['incidents must be an array']);
    const id = 'incidents[1].id must be a non-empty string';
    expect(writeIncidentsProblems(HUNT, [INCIDENT, { ...INCIDENT, id: '' }], T0, TTL)).toEqual([id]);
    expect(writeIncidentsProblems(HUNT, [INCIDENT, { ...INCIDENT, id: 42 }], T0, TTL)).toEqual([id]);
    const arrays = 'incidents[0] must have chain, hosts and pairs arrays';
    for (const field of ['chain', 'hosts', 'pairs']) {
      expect(writeIncidentsProblems(HUNT, [{ ...INCIDENT, [field]: 'fs01' }], T0, TTL), field).toEqual([arrays]);
    }
  });

  it('recordIncidentEvidence: huntId, now, ttlMs above 0, and an incident id of 1 to 200 characters', () => {
    const ok = [entry('e1', T0)];
    expect(incidentEvidenceProblems(HUNT, 'I'.repeat(200), ok, T0, TTL)).toEqual([]);
    expect(incidentEvidenceProblems(HUNT, 'I'.repeat(201), ok, T0, TTL)).toEqual(['incidentId must be a non-empty string of at most 200 characters']);
    expect(incidentEvidenceProblems('', 'INC-1', ok, T0, TTL)).toEqual(['huntId must be a non-empty string']);
    expect(incidentEvidenceProblems(HUNT, 'INC-1', ok, Number.NaN, TTL)).toEqual(['now must be a finite number']);
    expect(incidentEvidenceProblems(HUNT, 'INC-1', ok, T0, Number.NaN)).toEqual(['ttlMs must be a finite number']);
    expect(incidentEvidenceProblems(HUNT, 'INC-1', ok, T0, 0)).toEqual(['ttlMs must be greater than 0']);
    expect(incidentEvidenceProblems(HUNT, 'INC-1', ok, T0, 1)).toEqual([]);
  });
});

describe('the next evidence item of an incident', () => {
  it('drops the entries of a stored item past its expiresAt (TTL deletes days late); at its last second they stay', () => {
    const at = T0 + TTL;
    const stored = (expiresAt: number) => ({ pk: 'INCEV#x', entries: [entry('e1', T0)], expiresAt });
    // The same target-side finding seen again: one entry, its event ids and span widened.
    expect(nextEvidenceItem(stored(epochSeconds(at)), [entry('e2', at)], at, TTL)['entries']).toEqual([{ ...entry('e1', T0), eventIds: ['e1', 'e2'], lastSeen: at }]);
    expect(nextEvidenceItem(stored(epochSeconds(at) - 1), [entry('e2', at)], at, TTL)['entries']).toEqual([entry('e2', at)]);
  });

  it('keeps the stored item\'s later expiry when this call\'s TTL is shorter, and extends an earlier one', () => {
    const later = expiresAtFor(T0 + 30 * 24 * HOUR);
    expect(nextEvidenceItem({ entries: [entry('e1', T0)], expiresAt: later }, [entry('e2', T0)], T0, TTL)['expiresAt']).toBe(later);
    expect(nextEvidenceItem({ entries: [entry('e1', T0)], expiresAt: expiresAtFor(T0 + HOUR) }, [entry('e2', T0)], T0, TTL)['expiresAt']).toBe(expiresAtFor(T0 + TTL));
    expect(nextEvidenceItem(undefined, [entry('e1', T0)], T0, TTL)).toEqual({ entries: [entry('e1', T0)], expiresAt: expiresAtFor(T0 + TTL) });
  });
});
