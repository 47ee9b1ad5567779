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

/** One query slot a caller holds: which tenant's, which slot, and the owner that may release it. */
export interface QuerySlotLease {
  readonly tenant: string;
  /** 0-based slot number, below the adapter's slot count. */
  readonly slot: number;
  readonly owner: string;
}

/**
 * The tenant's XQL query slots, shared by every run of the deployment (a lease-based semaphore).
 * XSIAM runs at most 4 API queries of a tenant at once; the product holds at most as many slots as
 * the adapter has (3), leaving one for the tenant's other API users. A lease carries its owner
 * and an expiry, so the slot of a holder that died frees itself.
 */
export interface QuerySlots {
  /**
   * One attempt: takes a slot of `tenant` that is free (or whose lease ran out, with the adapter's
   * clock-skew slack) for `owner` until `leaseUntil` (epoch ms); null when every slot is held.
   */
  tryAcquire(tenant: string, owner: string, now: number, leaseUntil: number): Promise<QuerySlotLease | null>;
  /** Gives the slot back; a slot taken over by someone else after its lease ran out is left alone. */
  release(lease: QuerySlotLease): Promise<void>;
}
