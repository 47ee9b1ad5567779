/**
 * StateStore in one JSON file, for local runs: the same items, keys and rules as the DynamoDB
 * adapter (dedupe.ts, control.ts), so the local CLI dedupes across runs exactly like the Lambda.
 */
import { join } from 'node:path';
import type { Finding } from '../../lambda/finding.js';
import type { Checkpoint, RecordOutcome, StateStore } from '../../lambda/ports.js';
import { checkpointProblems, leaseAvailable, leaseProblems, newLease, nextCheckpoint, readCheckpointRecord } from '../../lambda/state/index.js';
import { CheckpointConflictError, FindingNotFoundError } from '../../lambda/state/index.js';
import { loadItems, saveItems, STATE_FILE, withFileLock, type Items } from './file-io.js';
import { checkpointKey, findingKey, huntIdProblems, leaseKey } from '../../lambda/state/index.js';
import { applyChange, decide, readStoredState } from '../../lambda/state/index.js';
import { assertNoProblems, confirmationsProblems, markNotifiedProblems, prepareFindings, timeProblems } from '../../lambda/state/index.js';
import type { ConfirmationStatus } from '../../lambda/confirm/index.js';

export interface FileStateStoreOptions {
  /** Directory holding `state.json` (created when missing). The caller picks it, e.g. `.hunt-state/`. */
  readonly dir: string;
}

/** The embedded adapter of StateStore. */
export class FileStateStore implements StateStore {
  /** Path of the state file. */
  readonly path: string;
  private readonly dir: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: FileStateStoreOptions) {
    assertNoProblems('FileStateStore', typeof options.dir === 'string' && options.dir.length > 0 ? [] : ['dir must be a non-empty path']);
    this.dir = options.dir;
    this.path = join(options.dir, STATE_FILE);
  }

  /** Read-modify-write under the lock; saved only when `fn` reports a change (an unchanged run writes nothing). */
  private transact<T>(operation: string, fn: (items: Items) => { result: T; changed: boolean }): Promise<T> {
    const run = async (): Promise<T> => withFileLock(this.dir, operation, async () => {
      const items = await loadItems(this.path, operation);
      const { result, changed } = fn(items);
      if (changed) await saveItems(this.path, this.dir, items, operation);
      return result;
    });
    // Calls on one instance run one after another instead of polling each other's lock.
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async acquireLease(huntId: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    assertNoProblems('acquireLease', leaseProblems(huntId, holder, now, ttlMs));
    return this.transact('acquireLease', (items) => {
      const key = leaseKey(huntId);
      if (!leaseAvailable(items[key], holder, now)) return { result: false, changed: false };
      items[key] = { ...newLease(huntId, holder, now, ttlMs) };
      return { result: true, changed: true };
    });
  }

  async releaseLease(huntId: string, holder: string): Promise<void> {
    assertNoProblems('releaseLease', leaseProblems(huntId, holder, 0, 1));
    return this.transact('releaseLease', (items) => {
      const key = leaseKey(huntId);
      // Only our own: after our lease ended another run may hold it, and that one must stay.
      if (items[key]?.['holder'] !== holder) return { result: undefined, changed: false };
      delete items[key];
      return { result: undefined, changed: true };
    });
  }

  async readCheckpoint(huntId: string): Promise<Checkpoint | null> {
    assertNoProblems('readCheckpoint', huntIdProblems(huntId));
    return this.transact('readCheckpoint', (items) => ({ result: readCheckpointRecord(items[checkpointKey(huntId)]), changed: false }));
  }

  async writeCheckpoint(
    huntId: string,
    next: { coveredUntil: number; lastRunStatus: string },
    expectedVersion: number | null,
    now: number,
  ): Promise<Checkpoint> {
    assertNoProblems('writeCheckpoint', checkpointProblems(huntId, next, expectedVersion, now));
    return this.transact('writeCheckpoint', (items) => {
      const key = checkpointKey(huntId);
      const actual = readCheckpointRecord(items[key])?.version ?? null;
      if (actual !== expectedVersion) throw new CheckpointConflictError(huntId, expectedVersion, actual);
      const { pk, ...checkpoint } = nextCheckpoint(huntId, next, expectedVersion, now);
      items[key] = { pk, ...checkpoint };
      return { result: checkpoint, changed: true };
    });
  }

  async recordFindings(findings: readonly Finding[], now: number, dedupeWindowMs: number): Promise<RecordOutcome> {
    assertNoProblems('recordFindings', [...timeProblems(now, 'now'), ...timeProblems(dedupeWindowMs, 'dedupeWindowMs', { positive: true })]);
    const prepared = prepareFindings(findings);
    if (prepared.length === 0) return { created: [], pending: [], repeats: [] };
    return this.transact('recordFindings', (items) => {
      const outcome = { created: [], pending: [], repeats: [] } as { [K in keyof RecordOutcome]: RecordOutcome[K][number][] };
      let changed = false;
      for (const finding of prepared) {
        const raw = items[findingKey(finding.huntId, finding.fingerprint)];
        const decision = decide(finding, raw === undefined ? undefined : readStoredState(raw, finding), now, dedupeWindowMs);
        if (decision.kind === 'create') {
          items[decision.key] = { ...decision.record };
          outcome.created.push(decision.tracked);
          changed = true;
          continue;
        }
        if (decision.change !== null && raw !== undefined) {
          items[decision.key] = applyChange(raw, decision.change);
          changed = true;
        }
        (decision.kind === 'pending' ? outcome.pending : outcome.repeats).push(decision.tracked);
      }
      return { result: outcome, changed };
    });
  }

  async markNotified(huntId: string, fingerprints: readonly string[], now: number, confirmations?: ReadonlyMap<string, ConfirmationStatus>): Promise<void> {
    assertNoProblems('markNotified', [...markNotifiedProblems(huntId, fingerprints, now), ...confirmationsProblems(confirmations)]);
    const missing = await this.transact('markNotified', (items) => {
      const absent: string[] = [];
      for (const fingerprint of new Set(fingerprints)) {
        const key = findingKey(huntId, fingerprint);
        const item = items[key];
        if (item === undefined) {
          absent.push(fingerprint);
          continue;
        }
        const rev = typeof item['rev'] === 'number' ? item['rev'] : 0;
        const confirmation = confirmations?.get(fingerprint);
        items[key] = { ...item, status: 'NOTIFIED', notifiedAt: now, rev: rev + 1, ...(confirmation === undefined ? {} : { confirmation }) };
      }
      return { result: absent, changed: absent.length < new Set(fingerprints).size };
    });
    // Reported after the others were marked: one unknown fingerprint must not leave the rest PENDING (re-sent).
    if (missing.length > 0) throw new FindingNotFoundError(huntId, missing);
  }

  async claimFollowUps(huntId: string, fingerprints: readonly string[], now: number): Promise<string[]> {
    assertNoProblems('claimFollowUps', markNotifiedProblems(huntId, fingerprints, now));
    return this.transact('claimFollowUps', (items) => {
      const claimed: string[] = [];
      for (const fingerprint of new Set(fingerprints)) {
        const key = findingKey(huntId, fingerprint);
        const item = items[key];
        // The DynamoDB adapter's condition: a NOTIFIED item with no follow-up claimed yet.
        if (item === undefined || item['status'] !== 'NOTIFIED' || item['followUpSent'] !== undefined) continue;
        const rev = typeof item['rev'] === 'number' ? item['rev'] : 0;
        items[key] = { ...item, followUpSent: now, rev: rev + 1 };
        claimed.push(fingerprint);
      }
      return { result: claimed, changed: claimed.length > 0 };
    });
  }
}
