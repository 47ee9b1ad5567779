/**
 * The evidence other hunts add to an incident (IncidentEvidence), pure: reading a stored list
 * leniently, and merging new entries in (one entry per finding and pair, newest kept).
 */
import { INCIDENT_EVIDENCE_LIMIT, INCIDENT_NAME_MAX, type IncidentEvidence } from './types.js';

const EVENT_IDS_KEPT = 10;
const COMMAND_MAX = 300;
// An empty string needs no test of its own: readEvidence rejects it as a missing id and reads it as an empty name.
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const keyOf = (e: Pick<IncidentEvidence, 'huntId' | 'fingerprint' | 'pairFingerprint'>): string => `${e.huntId}\n${e.fingerprint}\n${e.pairFingerprint}`;

/** An entry as stored: host and command capped, at most EVENT_IDS_KEPT event ids. */
export function evidenceEntry(e: IncidentEvidence): IncidentEvidence {
  return {
    huntId: e.huntId, fingerprint: e.fingerprint, pairFingerprint: e.pairFingerprint,
    host: e.host.slice(0, INCIDENT_NAME_MAX), commandLine: e.commandLine.slice(0, COMMAND_MAX),
    eventIds: [...new Set(e.eventIds)].slice(-EVENT_IDS_KEPT), firstSeen: e.firstSeen, lastSeen: e.lastSeen,
  };
}

/** The entries of a stored list; what cannot be read as one is left out. */
export function readEvidence(raw: unknown): IncidentEvidence[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((r: unknown): IncidentEvidence[] => {
    if (typeof r !== 'object' || r === null) return [];
    const o = r as Record<string, unknown>;
    const huntId = str(o['huntId']);
    const fingerprint = str(o['fingerprint']);
    const pairFingerprint = str(o['pairFingerprint']);
    const firstSeen = num(o['firstSeen']);
    const lastSeen = num(o['lastSeen']);
    if (!huntId || !fingerprint || !pairFingerprint || firstSeen === null || lastSeen === null) return [];
    const eventIds = Array.isArray(o['eventIds']) ? o['eventIds'].filter((id): id is string => typeof id === 'string') : [];
    return [evidenceEntry({ huntId, fingerprint, pairFingerprint, host: str(o['host']) ?? '', commandLine: str(o['commandLine']) ?? '', eventIds, firstSeen, lastSeen })];
  });
}

/**
 * `current` with `add` merged in: an entry already there (same hunt, finding and pair) widens its
 * times and event ids, a new one is appended; the newest INCIDENT_EVIDENCE_LIMIT (by lastSeen) stay.
 * Idempotent: merging the same entries again changes nothing.
 */
export function mergeEvidence(current: readonly IncidentEvidence[], add: readonly IncidentEvidence[], limit = INCIDENT_EVIDENCE_LIMIT): IncidentEvidence[] {
  const byKey = new Map(current.map((e) => [keyOf(e), e]));
  for (const e of add) {
    const known = byKey.get(keyOf(e));
    byKey.set(keyOf(e), evidenceEntry(known === undefined ? e : {
      // evidenceEntry keeps each id once, at its first place: the known ids, then the new ones.
      ...known, eventIds: [...known.eventIds, ...e.eventIds],
      firstSeen: Math.min(known.firstSeen, e.firstSeen), lastSeen: Math.max(known.lastSeen, e.lastSeen),
    }));
  }
  return [...byKey.values()].sort((a, b) => a.lastSeen - b.lastSeen).slice(-limit);
}
