/**
 * The small interfaces the pipeline (run/) runs over. The Lambda handler wires AWS adapters,
 * the local CLI wires local ones, tests wire whichever they need.
 */
import type { ConfirmationStatus } from './confirm/index.js';
import type { Finding, Severity, Suppression, TrackedFinding } from './finding.js';
import type { HistoryQuery, HistorySettings, HistoryUpdate, HuntHistory } from './history/index.js';
import type { HuntDefinition } from './hunts/index.js';
import type { Incident, IncidentEvidence, IncidentView } from './incidents/index.js';
import type { QueryResult, TimeWindow, XqlRow } from './pipeline-types.js';
import type { XsiamCredentials } from './xsiam/index.js';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** Structured logger; Powertools Logger satisfies it. Never pass secrets. */
export interface Log {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface CredentialsProvider {
  /** Cached while warm; `forceRefresh` re-reads the secret (after an authentication error, for rotation). */
  get(options?: { forceRefresh?: boolean }): Promise<XsiamCredentials>;
}

export interface XqlSource {
  /**
   * Runs `xql` over `window`; gives up (DeadlineExceededError) at `deadline` (epoch ms).
   * When the tenant refuses the credentials it throws an error marked {@link CredentialsRefused}.
   */
  query(credentials: XsiamCredentials, xql: string, window: TimeWindow, options: { deadline: number }): Promise<QueryResult>;
}

/**
 * The mark an XqlSource puts on its error for "the tenant refused these credentials" (a wrong,
 * rotated or revoked key). The run re-reads the secret once on it, whichever adapter threw.
 */
export interface CredentialsRefused {
  readonly credentialsRefused: true;
  /** The reply's status (e.g. HTTP 401), for the log; null when there was none. */
  readonly status?: number | null;
}

/** True when `err` is an error marked {@link CredentialsRefused}. */
export function isCredentialsRefused(err: unknown): err is Error & CredentialsRefused {
  return err instanceof Error && (err as Partial<CredentialsRefused>).credentialsRefused === true;
}

/** A row the detector could not use, and why (the run's other rows still go through). */
export interface RowProblem {
  readonly eventId: string | null;
  readonly problem: string;
}

export interface DetectionResult {
  /** One finding per (source, remote target, remote command), events folded together. */
  readonly findings: Finding[];
  /** Rows that were candidates but are not remote process creation (local node, other verb, parse failure). */
  readonly dismissed: number;
  readonly problems: RowProblem[];
  /** Expired allowlist entries met during detection (they no longer apply). */
  readonly expiredAllowlistEntries: string[];
  /** Pairs the caps left out (per row: targets past the cap, counted per row; per source: pairs past the cap). @default 0 */
  readonly omittedPairs?: number;
}

export type Detector = (rows: readonly XqlRow[], now: number) => DetectionResult;

export interface Checkpoint {
  /** End of the last fully covered window (epoch ms). */
  readonly coveredUntil: number;
  readonly version: number;
  readonly lastRunStatus: string;
  readonly updatedAt: number;
}

/**
 * How the store classified each finding of a run. Every entry carries the verdict of the finding
 * passed in this run (`riskScore`, `severity`, `reasons`, `suppressed`: an allowlist entry may have
 * expired or been added since the pair was claimed) with the counts and times kept across runs.
 */
export interface RecordOutcome {
  /** Claimed by this run: must be notified. */
  readonly created: TrackedFinding[];
  /** Claimed earlier but never notified (a crash or publish failure): must be notified now. */
  readonly pending: TrackedFinding[];
  /** Already notified inside the dedupe window: counted, not re-sent. */
  readonly repeats: TrackedFinding[];
  /**
   * PENDING under another run's claim that may still be alive (younger than `maxRunMs`): that run
   * notifies them; this one leaves them alone. Only filled when recordFindings is given a claim.
   */
  readonly inFlight?: TrackedFinding[];
}

/** The claimant of recordFindings' claims and how long a claim protects it (dedupe.ts ClaimOptions). */
export interface ClaimOwner {
  readonly runId: string;
  /** A run's maximum duration (RunSettings.maxRunMs). */
  readonly maxRunMs: number;
}

export interface StateStore {
  /** Takes the run lease for `huntId` until `now + ttlMs`; false when another holder's lease is live. */
  acquireLease(huntId: string, holder: string, now: number, ttlMs: number): Promise<boolean>;
  releaseLease(huntId: string, holder: string): Promise<void>;
  readCheckpoint(huntId: string): Promise<Checkpoint | null>;
  /** Optimistic write: fails with a CheckpointConflictError when the stored version is not `expectedVersion` (null = none yet). */
  writeCheckpoint(huntId: string, next: { coveredUntil: number; lastRunStatus: string }, expectedVersion: number | null, now: number): Promise<Checkpoint>;
  /**
   * Dedupes the run's findings: new keys are claimed PENDING with a conditional put; known keys
   * get their count (distinct event ids only) and last seen updated. Items past `expiresAt` count as absent.
   */
  recordFindings(findings: readonly Finding[], now: number, dedupeWindowMs: number, claim?: ClaimOwner): Promise<RecordOutcome>;
  /**
   * Gives up this run's claims on PENDING pairs it could not notify (deferred, refused), so the
   * next run or this chunk's retry takes them at once instead of after `maxRunMs`. Only items still
   * PENDING and claimed by `runId` change; a store without it lets the claims age out.
   */
  releaseClaims?(huntId: string, fingerprints: readonly string[], runId: string): Promise<void>;
  /**
   * Stores the findings NOTIFIED; `confirmations` (fingerprint → the `confirmation.status` the
   * notification carried) is kept on each item to decide on a late-evidence follow-up later.
   */
  markNotified(huntId: string, fingerprints: readonly string[], now: number, confirmations?: ReadonlyMap<string, ConfirmationStatus>): Promise<void>;
  /**
   * Claims the one late-evidence follow-up of each NOTIFIED pair with a conditional write (no
   * follow-up claimed before); returns the fingerprints claimed by this call. A store without it
   * sends no follow-ups.
   */
  claimFollowUps?(huntId: string, fingerprints: readonly string[], now: number): Promise<string[]>;
  /**
   * The pairs awaiting late evidence (notified `not-seen`/`unavailable`), oldest first, from one
   * bounded item per hunt. Entries notified more than `horizonMs` before `now` read as absent.
   */
  readAwaiting?(huntId: string, now: number, horizonMs: number): Promise<AwaitingPair[]>;
  /**
   * Adds `add` to the awaiting list and drops `remove` and the entries past the horizon, in one
   * guarded write; at most AWAITING_LIMIT entries are kept (the oldest go first).
   */
  updateAwaiting?(huntId: string, change: { readonly add: readonly AwaitingPair[]; readonly remove: readonly string[] }, now: number, horizonMs: number): Promise<void>;
  /** The mark of late sweep `sweep` (e.g. "full") of the hunt; null before its first run. A store without it sweeps nothing. */
  readSweepMark?(huntId: string, sweep: string): Promise<SweepMark | null>;
  /**
   * Optimistic write of a sweep's mark: fails with a CheckpointConflictError when the stored
   * version is not `expectedVersion` (null = none yet). Written only after the sweep's findings are recorded.
   */
  writeSweepMark?(huntId: string, sweep: string, next: SweepMarkUpdate, expectedVersion: number | null, now: number): Promise<SweepMark>;
  /**
   * The incidents stored for these host keys (`hostKey`) or ids, not expired at `now`; an incident
   * merged into another is returned with its `mergedInto`, and the one it went to is returned too.
   */
  readIncidents(huntId: string, hosts: readonly string[], now: number): Promise<Incident[]>;
  /** Stores incidents and points each live one's hosts at it, kept for `ttlMs` from `now`; batched writes. */
  writeIncidents(huntId: string, incidents: readonly Incident[], now: number, ttlMs: number): Promise<void>;
  /**
   * The stored pairs (finding items) of `huntId` with these fingerprints, as last recorded; absent
   * and expired ones are left out. One batched read. A store without it explains nothing by stored pairs.
   */
  readPairs?(huntId: string, fingerprints: readonly string[], now: number): Promise<TrackedFinding[]>;
  /**
   * Adds evidence found by another hunt to incident `incidentId` of `huntId` (its own item, read
   * with the incident by readIncidents), in one guarded write that never loses a concurrent one;
   * an entry already there is widened, not repeated. Kept at least `ttlMs` from `now`.
   */
  recordIncidentEvidence?(huntId: string, incidentId: string, evidence: readonly IncidentEvidence[], now: number, ttlMs: number): Promise<void>;
  /**
   * Shadow runs: adds the pairs a run would have notified to the shadow log of `now`'s UTC day
   * (one bounded item per day, expiring after a week) for the daily shadow report. The pairs
   * themselves stay PENDING: shadow never silences live.
   */
  recordShadow(huntId: string, entries: readonly ShadowEntry[], now: number): Promise<void>;
  /** The shadow log of one UTC day (`YYYY-MM-DD`); empty when there is none. */
  readShadow(huntId: string, day: string): Promise<ShadowLog>;
  /** Backfills: the chunks of `range` already done (kept so an interrupted backfill resumes). */
  readBackfill(huntId: string, range: TimeWindow): Promise<TimeWindow[]>;
  /** Records `chunk` of `range` as done. */
  markBackfillChunk(huntId: string, range: TimeWindow, chunk: TimeWindow, now: number): Promise<void>;
  /**
   * The hunt's history for these source hosts and users (names compared lower-cased) and the days
   * it covers, in one batched read. Expired items read as absent.
   */
  readHistory(huntId: string, query: HistoryQuery, now: number): Promise<HuntHistory>;
  /** Merges one chunk's sightings and covered days into the history, in batched, guarded writes. Idempotent. */
  recordHistory(huntId: string, update: HistoryUpdate, now: number): Promise<void>;
}

/** What a late sweep writes: how far it has hunted by arrival, and what it spent today. */
export interface SweepMarkUpdate {
  /** Rows that arrived (`_insert_time`) at or before this epoch ms have been hunted by this sweep. */
  readonly arrivedUntil: number;
  /** Epoch ms this sweep last ran (its query start). */
  readonly sweptAt: number;
  /** UTC day (`YYYY-MM-DD`) that `unitsSpent` counts. */
  readonly unitsDay: string;
  /** Query units this sweep spent on `unitsDay`. */
  readonly unitsSpent: number;
  /** Query units of its last query (to judge whether the next one fits the budget). */
  readonly lastCost: number;
  /** Hours of `_time` its last query read (the next one's cost is estimated per hour); absent in older marks. */
  readonly lastHours?: number;
}

export interface SweepMark extends SweepMarkUpdate {
  readonly version: number;
  readonly updatedAt: number;
}

/** A pair notified `not-seen`/`unavailable`: what a later confirmation query and its follow-up need. */
export interface AwaitingPair {
  readonly fingerprint: string;
  readonly sourceHost: string;
  readonly targetHost: string;
  readonly remoteCommand: string | null;
  readonly user: string | null;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly severity: Severity;
  readonly riskScore: number;
  /** Epoch ms of the notification. */
  readonly notifiedAt: number;
  /** The pair's arrival in XSIAM, when it was found by it (Finding.arrivedAt/arrivedLateMs): its follow-up says it arrived late too. */
  readonly arrivedAt?: number;
  readonly arrivedLateMs?: number;
}

/** One pair a shadow run would have notified (what the daily shadow report lists). */
export interface ShadowEntry {
  readonly fingerprint: string;
  readonly sourceHost: string;
  readonly targetHost: string;
  readonly severity: Severity;
  readonly riskScore: number;
  /** Reason codes, e.g. `payload.powershell`. */
  readonly reasons: readonly string[];
  /** The remote command as notifications show it (redacted), cut to 200 characters. */
  readonly remoteCommand: string | null;
  /** Epoch ms the shadow run saw it. */
  readonly seenAt: number;
}

export interface ShadowLog {
  readonly day: string;
  /** Distinct pairs of the day, first seen first, at most SHADOW_LOG_LIMIT. */
  readonly entries: ShadowEntry[];
  /** Pairs past the limit: counted, not listed. */
  readonly dropped: number;
}

export interface NotificationContext {
  readonly hunt: HuntDefinition;
  readonly window: TimeWindow;
  readonly runId: string;
  /** Totals of the run, for the digest. */
  readonly totals: { readonly findings: number; readonly newPairs: number; readonly repeats: number; readonly suppressed: number };
  /** Epoch ms after which no publish may start (paced messages that would start later are deferred). */
  readonly deadline?: number;
  /** The incidents of the pairs (TrackedFinding.incidentId): one message per incident. Absent: one per pair. */
  readonly incidents?: readonly IncidentView[];
}

export interface PublishOutcome {
  /** Fingerprints whose notification the sink accepted. */
  readonly delivered: string[];
  readonly failed: { readonly fingerprint: string; readonly code: string; readonly message: string }[];
  /** Messages sent (one per pair, or one digest). */
  readonly messages: number;
  /** True when the storm limit was exceeded and one digest replaced per-pair messages. */
  readonly digest: boolean;
  /**
   * Fingerprints not sent because the deadline came first (rate pacing): they stay PENDING and the
   * next run publishes them. Absent when none.
   */
  readonly deferred?: string[];
}

/**
 * The send rate every publisher of the deployment shares: SNS's email limit is per subscription,
 * and one inbox may subscribe to several of the product's topics, so concurrent runs and every
 * topic draw from one budget before each batch.
 */
export interface SendBudget {
  /**
   * Waits until `count` messages may go out and reserves them; false, without reserving, when that
   * moment would come after `deadline` (epoch ms): the caller defers those messages.
   */
  acquire(count: number, deadline?: number): Promise<boolean>;
}

export interface Notifier {
  /** Publishes one message per finding, or one digest when there are more than the storm limit. */
  publish(findings: readonly TrackedFinding[], context: NotificationContext): Promise<PublishOutcome>;
}

/** Knobs of one run (validated by config.ts). */
export interface RunSettings extends HistorySettings {
  readonly queryVariant: 'seed' | 'broadened';
  /** First run: how far back to look. */
  readonly initialLookbackMs: number;
  /**
   * Re-read this much before the checkpoint, for events a little late; `'auto'`: a fifth of the new
   * time each run covers, at most ten minutes (lambda/windows.ts `overlapFor`).
   */
  readonly overlapMs: number | 'auto';
  /** Do not query the last `ingestLagMs` (events still arriving). */
  readonly ingestLagMs: number;
  /** Never look back further than this; older uncovered time is skipped, logged and counted. */
  readonly maxLookbackMs: number;
  /** Catch-up after an outage proceeds in windows of at most this length. */
  readonly maxWindowMs: number;
  readonly dedupeWindowMs: number;
  readonly minSeverity: Severity;
  readonly stormLimit: number;
  readonly leaseTtlMs: number;
  /**
   * A run's maximum duration: a PENDING claim younger than this may belong to a run still alive
   * (another run leaves it alone); an older one is recovered. config.ts derives it from the hunt
   * function's timeout plus a margin.
   */
  readonly maxRunMs: number;
  /** Pairs sharing a host at most this far apart are one incident. @default one hour */
  readonly incidentGapMs?: number;
  /** Check on the target whether each notified pair's command started (lambda/confirm/). */
  readonly confirmTargets: boolean;
  /** A pair notified `not-seen`/`unavailable` gets one follow-up when confirmed within this long of its notification. */
  readonly confirmHorizonMs: number;
  /**
   * The late sweep hunts rows that arrived (`_insert_time`) since its last mark, over this much
   * `_time` behind now; 0 or absent: no sweep (lambda/run/sweep.ts).
   */
  readonly lateArrivalMs?: number;
  /** The frequent late sweep runs at most this often; 0: every scheduled run. */
  readonly lateSweepEveryMs?: number;
  /** Query units the late sweeps may spend a UTC day; 0 or absent: no budget. */
  readonly dailyQueryUnits?: number;
  /**
   * The frequent sweep's `_time` range before its arrivals; 0: only the full sweep; at or above
   * `lateArrivalMs`, or absent: one sweep over the horizon every `lateSweepEveryMs` (run/sweep-plan.ts).
   */
  readonly lateSweepRecentMs?: number;
  /** The full sweep (over `lateArrivalMs`) runs at most this often; 0: every run. @default one day */
  readonly lateSweepFullEveryMs?: number;
}

/** How a hunt's findings join the stored pairs of another hunt (lambda/run/stages/join.ts). */
export interface PairJoin {
  /** The hunt whose stored pairs (finding items and incidents) explain this hunt's findings. */
  readonly pairHunt: HuntDefinition;
  /** The suppression of a finding that `pair` (of incident `incidentId`) explains: kept and counted, never notified on its own. */
  readonly suppression: (pair: TrackedFinding, incidentId: string, finding: Finding) => Suppression;
}

/**
 * The mark an XqlSource puts on its error for "no query slot of the tenant freed up before the
 * run's deadline" (lambda/query-slots/). The run ends cleanly on it: counted, checkpoint kept.
 */
export interface QuerySlotUnavailable {
  readonly querySlotUnavailable: true;
}

/** True when `err` is an error marked {@link QuerySlotUnavailable}. */
export function isQuerySlotUnavailable(err: unknown): err is Error & QuerySlotUnavailable {
  return err instanceof Error && (err as Partial<QuerySlotUnavailable>).querySlotUnavailable === true;
}
