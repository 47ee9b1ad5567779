/**
 * Pure rules for the run lease and the checkpoint, shared by both adapters.
 */
import type { Checkpoint } from '../ports.js';
import { StateCorruptError } from './errors.js';
import { DEFAULT_TENANT, checkpointKey, huntIdProblems, leaseKey } from './keys.js';
import { expiresAtFor } from './time.js';
import { timeProblems } from './validate.js';

export interface LeaseRecord {
  readonly pk: string;
  readonly holder: string;
  /** Epoch ms the lease ends. */
  readonly leaseUntil: number;
  /** Epoch seconds, for TTL cleanup only; liveness is `leaseUntil`. */
  readonly expiresAt: number;
}

export interface CheckpointRecord extends Checkpoint {
  readonly pk: string;
}

/** True when `holder` may take the lease: none stored, the stored one ended, or it is already theirs. */
export function leaseAvailable(stored: Record<string, unknown> | undefined, holder: string, now: number): boolean {
  if (stored === undefined) return true;
  const until = stored['leaseUntil'];
  // A lease whose end cannot be read cannot be live: otherwise one bad item would block every run.
  if (typeof until !== 'number' || until <= now) return true;
  return stored['holder'] === holder;
}

export function newLease(huntId: string, holder: string, now: number, ttlMs: number, tenant = DEFAULT_TENANT): LeaseRecord {
  return { pk: leaseKey(huntId, tenant), holder, leaseUntil: now + ttlMs, expiresAt: expiresAtFor(now + ttlMs) };
}

export function leaseProblems(huntId: unknown, holder: unknown, now: unknown, ttlMs: unknown): string[] {
  return [
    ...huntIdProblems(huntId),
    ...(typeof holder === 'string' && holder.length > 0 ? [] : ['holder must be a non-empty string']),
    ...timeProblems(now, 'now'),
    ...timeProblems(ttlMs, 'ttlMs', { positive: true }),
  ];
}

/** The checkpoint that replaces version `expectedVersion` (null: the first one). */
export function nextCheckpoint(
  huntId: string,
  next: { coveredUntil: number; lastRunStatus: string },
  expectedVersion: number | null,
  now: number,
  tenant = DEFAULT_TENANT,
): CheckpointRecord {
  return {
    pk: checkpointKey(huntId, tenant),
    coveredUntil: next.coveredUntil,
    lastRunStatus: next.lastRunStatus,
    version: (expectedVersion ?? 0) + 1,
    updatedAt: now,
  };
}

export function checkpointProblems(
  huntId: unknown,
  next: unknown,
  expectedVersion: unknown,
  now: unknown,
): string[] {
  const n = (typeof next === 'object' && next !== null ? next : {}) as Record<string, unknown>;
  const problems = [...huntIdProblems(huntId), ...timeProblems(n['coveredUntil'], 'next.coveredUntil'), ...timeProblems(now, 'now')];
  if (typeof n['lastRunStatus'] !== 'string') problems.push('next.lastRunStatus must be a string');
  if (expectedVersion !== null && !(typeof expectedVersion === 'number' && Number.isInteger(expectedVersion) && expectedVersion >= 1)) {
    problems.push('expectedVersion must be null or an integer ≥ 1');
  }
  return problems;
}

/**
 * Reads a stored checkpoint item; null when there is none. A malformed one is an error, not
 * "none": treating it as absent would make every later optimistic write conflict forever.
 */
export function readCheckpointRecord(raw: Record<string, unknown> | undefined): Checkpoint | null {
  if (raw === undefined) return null;
  const { coveredUntil, version, lastRunStatus, updatedAt } = raw;
  if (typeof coveredUntil !== 'number' || typeof version !== 'number') {
    throw new StateCorruptError(String(raw['pk']), 'checkpoint item lacks a numeric coveredUntil or version', { operation: 'readCheckpoint' });
  }
  return {
    coveredUntil,
    version,
    lastRunStatus: typeof lastRunStatus === 'string' ? lastRunStatus : 'UNKNOWN',
    updatedAt: typeof updatedAt === 'number' ? updatedAt : 0,
  };
}
