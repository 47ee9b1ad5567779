/**
 * Finding dedupe, the pure core, shared by the DynamoDB and file adapters so they cannot drift:
 * item shape, expiry, classification (created / pending / repeat) and the event-id merge.
 */
import { CONFIRMATION_STATUSES, type ConfirmationStatus } from '../confirm/index.js';
import type { Finding, FindingStatus, SentNotice, TrackedFinding } from '../finding.js';
import { DEFAULT_TENANT, findingKey } from './keys.js';
import { expiresAtFor, isExpired } from './time.js';

/** How many recent event ids a finding item keeps to recognise events it already counted. */
export const RECENT_EVENT_IDS_LIMIT = 200;

/** The finding item as stored (`pk = HIT#<huntId>#<fingerprint>`). */
export interface FindingRecord extends Omit<Finding, 'eventIds'> {
  readonly pk: string;
  readonly count: number;
  readonly status: FindingStatus;
  readonly claimedAt: number;
  readonly notifiedAt: number | null;
  /** Epoch seconds: claim time + dedupe window (the table's TTL attribute). */
  readonly expiresAt: number;
  /** The last RECENT_EVENT_IDS_LIMIT distinct event ids counted, oldest first. */
  readonly eventIds: readonly string[];
  /** Bumped on every write; the guard of read-then-update. */
  readonly rev: number;
  /** `confirmation.status` the notification carried (set by markNotified); absent before it. */
  readonly confirmation?: ConfirmationStatus;
  /** Epoch ms the one late-evidence follow-up was claimed (claimFollowUps); absent until then. */
  readonly followUpSent?: number;
  /** The run holding the claim (its runId) while PENDING; absent when released or written without one. */
  readonly claimedBy?: string;
}

/**
 * Who claims, and how long a claim protects its run: a PENDING claim younger than `maxRunMs` held
 * by another run belongs to a run that may still be alive, so this run leaves it alone (in-flight).
 */
export interface ClaimOptions {
  /** This run's id: its own claims (an earlier chunk of the same run) stay its to notify. */
  readonly runId: string;
  /** A run's maximum duration (RunSettings.maxRunMs): older claims are recovered. */
  readonly maxRunMs: number;
}

/** What classification needs from a stored item, read leniently (a hand-edited item must not crash a run). */
export interface StoredState {
  readonly status: FindingStatus;
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly expiresAt: unknown;
  readonly eventIds: readonly string[];
  /** null when the item has no `rev` (written by hand): the update then requires it absent. */
  readonly rev: number | null;
  /** What the notification already sent carried, for a late-evidence follow-up. */
  readonly sent?: SentNotice;
  /** Epoch ms of the claim; null when unreadable. */
  readonly claimedAt?: number | null;
  /** The claiming run; null when released, or when the item predates claim owners. */
  readonly claimedBy?: string | null;
}

/** The update a known item needs; `expectedRev` guards against a concurrent writer. */
export interface FindingChange {
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly eventIds: readonly string[];
  readonly rev: number;
  readonly expectedRev: number | null;
  /** Set when this run takes over a stale or released claim (recovery): the claim is re-stamped. */
  readonly claimedAt?: number;
  readonly claimedBy?: string;
}

export type Decision =
  | { readonly kind: 'create'; readonly key: string; readonly record: FindingRecord; readonly tracked: TrackedFinding }
  | { readonly kind: 'pending' | 'repeat' | 'in-flight'; readonly key: string; readonly tracked: TrackedFinding; readonly change: FindingChange | null };

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** Reads a stored finding item; missing fields take safe defaults (unknown status → PENDING, so it is re-sent, not lost). */
export function readStoredState(raw: Record<string, unknown>, finding: Finding): StoredState {
  const eventIds = Array.isArray(raw['eventIds']) ? raw['eventIds'].filter((id): id is string => typeof id === 'string') : [];
  return {
    status: raw['status'] === 'NOTIFIED' ? 'NOTIFIED' : 'PENDING',
    count: num(raw['count'], eventIds.length),
    firstSeen: num(raw['firstSeen'], finding.firstSeen),
    lastSeen: num(raw['lastSeen'], finding.lastSeen),
    expiresAt: raw['expiresAt'],
    eventIds,
    rev: typeof raw['rev'] === 'number' ? raw['rev'] : null,
    sent: readSentNotice(raw),
    claimedAt: typeof raw['claimedAt'] === 'number' && Number.isFinite(raw['claimedAt']) ? raw['claimedAt'] : null,
    claimedBy: typeof raw['claimedBy'] === 'string' ? raw['claimedBy'] : null,
  };
}

/**
 * True when another run's PENDING claim may still be in progress: it names a claimant that is not
 * this run, and is younger than a run can live. A claim stamped in the future (clock skew between
 * hosts) counts as live: it is only ever left alone a little longer, never taken twice.
 */
export function claimIsLive(stored: Pick<StoredState, 'claimedAt' | 'claimedBy'>, now: number, claim: ClaimOptions): boolean {
  if (stored.claimedBy === null || stored.claimedBy === undefined || stored.claimedBy === claim.runId) return false;
  return stored.claimedAt === null || stored.claimedAt === undefined || now - stored.claimedAt < claim.maxRunMs;
}

/**
 * The stored notification facts; anything unreadable counts as "no confirmation, follow-up sent" (never a second one).
 * Only an absent `followUpSent` is "none yet": a null one is a mark too, which both stores' claims refuse (claimFollowUps).
 */
export function readSentNotice(raw: Record<string, unknown>): SentNotice {
  const status = raw['confirmation'];
  const followUp = raw['followUpSent'];
  return {
    notifiedAt: typeof raw['notifiedAt'] === 'number' && Number.isFinite(raw['notifiedAt']) ? raw['notifiedAt'] : null,
    confirmation: (CONFIRMATION_STATUSES as readonly unknown[]).includes(status) ? (status as ConfirmationStatus) : null,
    followUpSent: followUp === undefined ? null : typeof followUp === 'number' ? followUp : 0,
  };
}

/** Appends the ids not already known (keeping the newest `limit`); `added` is how many were new. */
export function mergeEventIds(
  known: readonly string[],
  incoming: readonly string[],
  limit = RECENT_EVENT_IDS_LIMIT,
): { eventIds: string[]; added: number } {
  const seen = new Set(known);
  const merged = [...known];
  let added = 0;
  for (const id of incoming) {
    if (seen.has(id)) continue;
    seen.add(id);
    merged.push(id);
    added += 1;
  }
  // Stryker disable next-line EqualityOperator: at exactly `limit` ids, slice(0) is the same list
  return { eventIds: merged.length > limit ? merged.slice(merged.length - limit) : merged, added };
}

/** The new item claiming `finding` for this run (status PENDING until its notification is accepted). */
export function newFindingRecord(finding: Finding, now: number, dedupeWindowMs: number, claim?: ClaimOptions, tenant = DEFAULT_TENANT): FindingRecord {
  const { eventIds, ...fields } = finding;
  const distinct = mergeEventIds([], eventIds, Number.MAX_SAFE_INTEGER).eventIds;
  return {
    ...fields,
    pk: findingKey(finding.huntId, finding.fingerprint, tenant),
    // A finding is at least one event, even when the detector could not name it.
    count: Math.max(1, distinct.length),
    status: 'PENDING',
    claimedAt: now,
    notifiedAt: null,
    expiresAt: expiresAtFor(now + dedupeWindowMs),
    eventIds: distinct.slice(-RECENT_EVENT_IDS_LIMIT),
    rev: 1,
    ...(claim === undefined ? {} : { claimedBy: claim.runId }),
  };
}

/**
 * Classifies one finding against what the store holds for its key (undefined: nothing). The
 * tracked finding always carries `finding`'s own verdict (score, severity, reasons, suppression):
 * the stored item supplies only status, count and first/last seen (RecordOutcome's contract).
 */
export function decide(finding: Finding, stored: StoredState | undefined, now: number, dedupeWindowMs: number, claim?: ClaimOptions, tenant = DEFAULT_TENANT): Decision {
  const key = findingKey(finding.huntId, finding.fingerprint, tenant);
  if (stored === undefined || isExpired(stored.expiresAt, now)) {
    const record = newFindingRecord(finding, now, dedupeWindowMs, claim, tenant);
    return { kind: 'create', key, record, tracked: { ...finding, count: record.count, status: 'PENDING' } };
  }
  const { eventIds, added } = mergeEventIds(stored.eventIds, finding.eventIds);
  const count = stored.count + added;
  const firstSeen = Math.min(stored.firstSeen, finding.firstSeen);
  const lastSeen = Math.max(stored.lastSeen, finding.lastSeen);
  // An overlap re-read of events already counted changes nothing and must cost no write.
  const changed = added > 0 || lastSeen !== stored.lastSeen || firstSeen !== stored.firstSeen;
  const pending = stored.status !== 'NOTIFIED';
  const live = pending && claim !== undefined && claimIsLive(stored, now, claim);
  // Recovery takes the claim over in the same rev-guarded write: of two runs recovering the pair
  // at once, one write lands and the other run re-reads a live claim (in-flight), so one publishes.
  const takeOver = pending && claim !== undefined && !live && stored.claimedBy !== claim.runId;
  const claimFields = takeOver ? { claimedAt: now, claimedBy: claim.runId } : {};
  const change = changed || takeOver ? { count, firstSeen, lastSeen, eventIds, rev: (stored.rev ?? 0) + 1, expectedRev: stored.rev, ...claimFields } : null;
  const tracked: TrackedFinding = {
    ...finding, count, firstSeen, lastSeen, status: stored.status,
    ...(stored.status === 'NOTIFIED' && stored.sent !== undefined ? { sent: stored.sent } : {}),
  };
  return { kind: !pending ? 'repeat' : live ? 'in-flight' : 'pending', key, tracked, change };
}

/** Applies a change to a stored item (the file adapter's update; DynamoDB does it in an UpdateExpression). */
export function applyChange(raw: Record<string, unknown>, change: FindingChange): Record<string, unknown> {
  const { expectedRev: _expected, ...fields } = change;
  return { ...raw, ...fields, eventIds: [...change.eventIds] };
}

/** The RecordOutcome list each kind of known item goes to (both adapters). */
export const LIST_OF = { pending: 'pending', repeat: 'repeats', 'in-flight': 'inFlight' } as const;

/** An empty outcome to fill; `inFlight` only when the caller named a claimant. */
export function emptyOutcome(): { created: TrackedFinding[]; pending: TrackedFinding[]; repeats: TrackedFinding[]; inFlight: TrackedFinding[] } {
  return { created: [], pending: [], repeats: [], inFlight: [] };
}

/**
 * The item with `runId`'s claim given up (releaseClaims), or null when there is nothing to give
 * up: not PENDING, or claimed by another run. The DynamoDB adapter states the same as a condition.
 */
export function releasedItem(raw: Record<string, unknown> | undefined, runId: string): Record<string, unknown> | null {
  if (raw === undefined || raw['status'] !== 'PENDING' || raw['claimedBy'] !== runId) return null;
  const { claimedBy: _released, ...rest } = raw;
  return { ...rest, rev: (typeof raw['rev'] === 'number' ? raw['rev'] : 0) + 1 };
}
