/**
 * Incident items, the part both adapters share: the item shapes, the host index, and the read
 * that follows host → incident → merged-into in a few batched lookups (never one per pair).
 */
import { mergeEvidence, readEvidence, readIncident, type Incident, type IncidentEvidence } from '../incidents/index.js';
import { DEFAULT_TENANT, huntIdProblems, incidentEvidenceKey, incidentHostKey, incidentKey } from './keys.js';
import { expiresAtFor, isExpired } from './time.js';
import { timeProblems } from './validate.js';

/** Reads items by partition key, in one batched call (absent keys are missing from the map). */
export type GetItems = (keys: readonly string[]) => Promise<Map<string, Record<string, unknown>>>;

/** Merged-into links followed per read (a merge of a merge of a merge is already rare). */
const FOLLOW_LIMIT = 3;

export function readIncidentsProblems(huntId: unknown, hosts: unknown, now: unknown): string[] {
  const problems = [...huntIdProblems(huntId), ...timeProblems(now, 'now')];
  if (!Array.isArray(hosts) || !hosts.every((h) => typeof h === 'string' && h.length > 0)) problems.push('hosts must be an array of non-empty strings');
  return problems;
}

export function writeIncidentsProblems(huntId: unknown, incidents: unknown, now: unknown, ttlMs: unknown): string[] {
  const problems = [...huntIdProblems(huntId), ...timeProblems(now, 'now'), ...timeProblems(ttlMs, 'ttlMs', { positive: true })];
  if (!Array.isArray(incidents)) return [...problems, 'incidents must be an array'];
  incidents.forEach((inc: unknown, i) => {
    const r = (typeof inc === 'object' && inc !== null ? inc : {}) as Record<string, unknown>;
    if (typeof r['id'] !== 'string' || r['id'].length === 0) problems.push(`incidents[${i}].id must be a non-empty string`);
    if (r['huntId'] !== huntId) problems.push(`incidents[${i}].huntId must be ${String(huntId)}`);
    if (!Array.isArray(r['chain']) || !Array.isArray(r['hosts']) || !Array.isArray(r['pairs'])) problems.push(`incidents[${i}] must have chain, hosts and pairs arrays`);
  });
  return problems;
}

/**
 * The items to put: each incident, and for each live incident a host index item per host (the
 * most recent incident wins a host two of them share; on a tie the later one listed, as a later put would).
 * Distinct keys: one transaction may hold them all.
 */
export function incidentItems(huntId: string, incidents: readonly Incident[], now: number, ttlMs: number, tenant = DEFAULT_TENANT): Record<string, unknown>[] {
  const expiresAt = expiresAtFor(now + ttlMs);
  const items = new Map<string, Record<string, unknown>>();
  for (const { evidence: _kept, ...inc } of incidents) {
    // Evidence lives in its own item (other hunts add to it): never copied onto the incident item.
    items.set(incidentKey(huntId, inc.id, tenant), { pk: incidentKey(huntId, inc.id, tenant), ...inc, chain: [...inc.chain], hosts: [...inc.hosts], pairs: inc.pairs.map((p) => ({ ...p })), expiresAt });
  }
  for (const inc of incidents) {
    if (inc.mergedInto !== null) continue;
    for (const host of new Set(inc.hosts)) {
      const pk = incidentHostKey(huntId, host, tenant);
      const held = items.get(pk);
      if (held !== undefined && (held['lastSeen'] as number) > inc.lastSeen) continue;
      items.set(pk, { pk, incidentId: inc.id, lastSeen: inc.lastSeen, expiresAt });
    }
  }
  return [...items.values()];
}

/** The incidents behind these host keys (and those they were merged into), over `get`. */
export async function readIncidentsVia(get: GetItems, huntId: string, hosts: readonly string[], now: number, tenant = DEFAULT_TENANT): Promise<Incident[]> {
  const live = (raw: Record<string, unknown> | undefined): raw is Record<string, unknown> => raw !== undefined && !isExpired(raw['expiresAt'], now);
  const index = hosts.length === 0 ? new Map() : await get([...new Set(hosts)].map((h) => incidentHostKey(huntId, h, tenant)));
  const found = new Map<string, Incident>();
  let wanted = new Set([...index.values()].filter(live).map((raw) => raw['incidentId']).filter((id): id is string => typeof id === 'string'));
  for (let round = 0; wanted.size > 0 && round <= FOLLOW_LIMIT; round++) {
    // Each incident's evidence item comes in the same batch as the incident.
    const items = await get([...wanted].flatMap((id) => [incidentKey(huntId, id, tenant), incidentEvidenceKey(huntId, id, tenant)]));
    wanted = new Set();
    for (const raw of items.values()) {
      const read = live(raw) ? readIncident(raw) : null;
      if (read === null || read.huntId !== huntId || found.has(read.id)) continue;
      const evidence = items.get(incidentEvidenceKey(huntId, read.id, tenant));
      const entries = live(evidence) ? readEvidence(evidence['entries']) : [];
      const inc = entries.length > 0 ? { ...read, evidence: entries } : read;
      found.set(inc.id, inc);
      if (inc.mergedInto !== null && !found.has(inc.mergedInto)) wanted.add(inc.mergedInto);
    }
  }
  return [...found.values()];
}

export function incidentEvidenceProblems(huntId: unknown, incidentId: unknown, evidence: unknown, now: unknown, ttlMs: unknown): string[] {
  const problems = [...huntIdProblems(huntId), ...timeProblems(now, 'now'), ...timeProblems(ttlMs, 'ttlMs', { positive: true })];
  if (typeof incidentId !== 'string' || incidentId.length === 0 || incidentId.length > 200) problems.push('incidentId must be a non-empty string of at most 200 characters');
  if (!Array.isArray(evidence) || readEvidence(evidence).length !== evidence.length) problems.push('evidence must be an array of entries, each with huntId, fingerprint, pairFingerprint, firstSeen and lastSeen');
  return problems;
}

/** The next evidence item of an incident: `current` (the stored item, if any) with `add` merged in, kept for `ttlMs`. */
export function nextEvidenceItem(current: Record<string, unknown> | undefined, add: readonly IncidentEvidence[], now: number, ttlMs: number): Record<string, unknown> {
  const kept = current !== undefined && !isExpired(current['expiresAt'], now) ? readEvidence(current['entries']) : [];
  // An expired stored expiresAt is below the new one (it is before now): Math.max drops it.
  const stored = typeof current?.['expiresAt'] === 'number' ? current['expiresAt'] : 0;
  return { entries: mergeEvidence(kept, add), expiresAt: Math.max(stored, expiresAtFor(now + ttlMs)) };
}
