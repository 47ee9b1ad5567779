/**
 * Stored pairs read back whole (StateStore.readPairs): another hunt's finding items, as the pair
 * they record, for the hunts whose findings a stored pair explains. Read leniently: an item that
 * is not a pair (no hosts, no times) is left out; expired items read as absent.
 */
import { SEVERITIES, type Severity, type TrackedFinding } from '../finding.js';
import { readSentNotice } from './dedupe.js';
import { fingerprintProblems, huntIdProblems } from './keys.js';
import { isExpired } from './time.js';
import { timeProblems } from './validate.js';

/** Pairs one readPairs call may ask for (a run's incidents on a few hosts hold far fewer). */
export const READ_PAIRS_LIMIT = 500;

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function readPairsProblems(huntId: unknown, fingerprints: unknown, now: unknown): string[] {
  const problems = [...huntIdProblems(huntId), ...timeProblems(now, 'now')];
  if (!Array.isArray(fingerprints)) return [...problems, 'fingerprints must be an array'];
  if (fingerprints.length > READ_PAIRS_LIMIT) problems.push(`fingerprints holds ${fingerprints.length} entries; at most ${READ_PAIRS_LIMIT} per call`);
  fingerprints.forEach((fp: unknown, i) => problems.push(...fingerprintProblems(fp, `fingerprints[${i}]`)));
  return problems;
}

/** The pair a stored finding item of `huntId` records, or null (absent, expired, another hunt's, or not a pair). */
export function storedPair(raw: Record<string, unknown> | undefined, huntId: string, now: number): TrackedFinding | null {
  if (raw === undefined || isExpired(raw['expiresAt'], now) || raw['huntId'] !== huntId) return null;
  const fingerprint = str(raw['fingerprint']);
  const sourceHost = str(raw['sourceHost']);
  const targetHost = str(raw['targetHost']);
  const firstSeen = num(raw['firstSeen']);
  const lastSeen = num(raw['lastSeen']);
  if (!fingerprint || !sourceHost || !targetHost || firstSeen === null || lastSeen === null) return null;
  const status = raw['status'] === 'NOTIFIED' ? 'NOTIFIED' : 'PENDING';
  const severity: Severity = (SEVERITIES as readonly unknown[]).includes(raw['severity']) ? (raw['severity'] as Severity) : 'low';
  const eventIds = Array.isArray(raw['eventIds']) ? raw['eventIds'].filter((id): id is string => typeof id === 'string') : [];
  return {
    huntId, fingerprint, sourceHost, targetHost, remoteCommand: str(raw['remoteCommand']), commandLine: str(raw['commandLine']) ?? '',
    user: str(raw['user']), lineUser: str(raw['lineUser']), parentImage: str(raw['parentImage']), parentCommandLine: str(raw['parentCommandLine']),
    causalitySha256: str(raw['causalitySha256']), agentId: str(raw['agentId']), eventIds, firstSeen, lastSeen,
    riskScore: num(raw['riskScore']) ?? 0, severity, reasons: [], suppressed: null, count: num(raw['count']) ?? Math.max(1, eventIds.length), status,
    ...(status === 'NOTIFIED' && { sent: readSentNotice(raw) }),
  };
}
