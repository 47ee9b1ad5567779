/**
 * The state port split by feature, so a caller depends on the part it uses (STYLE.md, "Ports sized
 * to a feature"). Each is a slice of StateStore (lambda/ports.ts), and StateStore is exactly their
 * intersection: the check at the bottom fails to compile when a method is added to StateStore
 * without being given to one of them. Adapters keep implementing StateStore whole.
 */
import type { StateStore } from './ports.js';

/** Lease, checkpoint, late-sweep marks and shadow log: whether and where a run goes. */
export type RunControl = Pick<StateStore, 'acquireLease' | 'releaseLease' | 'readCheckpoint' | 'writeCheckpoint' | 'readSweepMark' | 'writeSweepMark' | 'recordShadow' | 'readShadow'>;

/** Claiming, marking and following up findings (dedupe, exactly-once publication, late evidence). */
export type Findings = Pick<StateStore, 'recordFindings' | 'releaseClaims' | 'markNotified' | 'claimFollowUps' | 'readAwaiting' | 'updateAwaiting' | 'readPairs'>;

/** Incidents: notified pairs told as one story. */
export type Incidents = Pick<StateStore, 'readIncidents' | 'writeIncidents' | 'recordIncidentEvidence'>;

/** What is normal here: per-host and per-user history and the days it covers. */
export type History = Pick<StateStore, 'readHistory' | 'recordHistory'>;

/** Backfill progress: the chunks of a range already done. */
export type Progress = Pick<StateStore, 'readBackfill' | 'markBackfillChunk'>;

/** The features together. */
export type FeatureStores = RunControl & Findings & Incidents & History & Progress;

/** Compiles only while StateStore and FeatureStores have the same methods. */
type Same<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : never) : never;
export const STATE_PORTS_COVER_STATE_STORE: Same<StateStore, FeatureStores> = true;
