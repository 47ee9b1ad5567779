/**
 * Reads a stored incident item leniently: a hand-edited or older item must not crash a run. What
 * cannot be read as an incident is left out (its pairs then start a new incident: nothing is lost).
 */
import { SEVERITIES, type Severity } from '../finding.js';
import { hostKey } from './hosts.js';
import type { Incident, IncidentPair } from './types.js';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const sev = (v: unknown): Severity => ((SEVERITIES as readonly unknown[]).includes(v) ? (v as Severity) : 'low');

function readPair(raw: unknown): IncidentPair | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const fingerprint = str(r['fingerprint']);
  const source = str(r['source']);
  const target = str(r['target']);
  const firstSeen = num(r['firstSeen']);
  const lastSeen = num(r['lastSeen']);
  if (!fingerprint || !source || !target || firstSeen === null || lastSeen === null) return null;
  return { fingerprint, source, target, severity: sev(r['severity']), riskScore: num(r['riskScore']) ?? 0, firstSeen, lastSeen };
}

/** The incident in a stored item, or null when the item is not one. */
export function readIncident(raw: Record<string, unknown> | undefined): Incident | null {
  if (raw === undefined) return null;
  const id = str(raw['id']);
  const huntId = str(raw['huntId']);
  const firstSeen = num(raw['firstSeen']);
  const lastSeen = num(raw['lastSeen']);
  if (!id || !huntId || firstSeen === null || lastSeen === null) return null;
  const chain = Array.isArray(raw['chain']) ? raw['chain'].filter((h): h is string => typeof h === 'string' && h.length > 0) : [];
  const stored = Array.isArray(raw['hosts']) ? raw['hosts'] : [];
  const hosts = chain.map((name, i) => (typeof stored[i] === 'string' ? (stored[i] as string) : hostKey(name)));
  // Stryker disable next-line ArrayDeclaration: any non-object in the default list is dropped by readPair
  const pairs = (Array.isArray(raw['pairs']) ? raw['pairs'] : []).map(readPair).filter((p): p is IncidentPair => p !== null);
  return {
    id, huntId, chain, hosts, pairs,
    pairCount: Math.max(num(raw['pairCount']) ?? 0, pairs.length),
    severity: sev(raw['severity']),
    firstSeen, lastSeen,
    threadId: str(raw['threadId']) ?? id,
    mergedInto: str(raw['mergedInto']),
  };
}
