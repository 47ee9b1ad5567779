/**
 * StateStore in one JSON file, for local runs: the same items, keys and rules as the DynamoDB
 * adapter (dedupe.ts, control.ts), so the local CLI dedupes across runs exactly like the Lambda.
 */
import { join } from 'node:path';
import type { Finding, TrackedFinding } from '../../lambda/finding.js';
import type { Incident, IncidentEvidence } from '../../lambda/incidents/index.js';
import type { AwaitingPair, Checkpoint, ClaimOwner, RecordOutcome, ShadowEntry, ShadowLog, StateStore, SweepMark, SweepMarkUpdate } from '../../lambda/ports.js';
import { nextSweepMark, readSweepMarkRecord, sweepKey, sweepMarkProblems, sweepNameProblems } from '../../lambda/state/index.js';
import { awaitingExpiresAt, awaitingKey, awaitingProblems, mergeAwaiting, readAwaitingList, type AwaitingChange } from '../../lambda/state/index.js';
import type { TimeWindow } from '../../lambda/pipeline-types.js';
import {
  backfillExpiresAt, backfillKey, backfillProblems, chunkId, dayProblems, mergeShadowEntries, readBackfillChunks, readShadowLog,
  shadowExpiresAt, shadowKey, shadowProblems, utcDay,
} from '../../lambda/state/index.js';
import type { HistoryQuery, HistoryUpdate, HuntHistory } from '../../lambda/history/index.js';
import { checkpointProblems, leaseAvailable, leaseProblems, newLease, nextCheckpoint, readCheckpointRecord } from '../../lambda/state/index.js';
import { CheckpointConflictError, FindingNotFoundError } from '../../lambda/state/index.js';
import { deadHolder, thisProcess } from './lease-holder.js';
import { loadItems, saveItems, STATE_FILE, withFileLock, type Items } from './file-io.js';
import { DEFAULT_TENANT, checkpointKey, findingKey, huntIdProblems, leaseKey, tenantProblems } from '../../lambda/state/index.js';
import { LIST_OF, applyChange, claimProblems, decide, emptyOutcome, readStoredState, releasedItem } from '../../lambda/state/index.js';
import { assertNoProblems, confirmationsProblems, markNotifiedProblems, prepareFindings, timeProblems } from '../../lambda/state/index.js';
import { incidentItems, readIncidentsProblems, readIncidentsVia, writeIncidentsProblems } from '../../lambda/state/index.js';
import { incidentEvidenceKey, incidentEvidenceProblems, nextEvidenceItem, readPairsProblems, storedPair } from '../../lambda/state/index.js';
import { historyQueryProblems, historyUpdateProblems, huntHistoryFrom, planHistoryWrites } from '../../lambda/state/index.js';
import type { ConfirmationStatus } from '../../lambda/confirm/index.js';

export interface FileStateStoreOptions {
  /** Directory holding `state.json` (created when missing). The caller picks it, e.g. `.hunt-state/`. */
  readonly dir: string;
  /** Told when a lease left by a process that is gone is taken over. @default ignored */
  readonly onTakeover?: (note: string) => void;
  /** The tenant whose items this store reads and writes (lambda/state/keys.ts). @default DEFAULT_TENANT */
  readonly tenant?: string;
}

/** The embedded adapter of StateStore. */
export class FileStateStore implements StateStore {
  /** Path of the state file. */
  readonly path: string;
  private readonly dir: string;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly onTakeover: (note: string) => void;
  private readonly tenant: string;

  constructor(options: FileStateStoreOptions) {
    assertNoProblems('FileStateStore', [
      ...(typeof options.dir === 'string' && options.dir.length > 0 ? [] : ['dir must be a non-empty path']),
      ...tenantProblems(options.tenant ?? DEFAULT_TENANT),
    ]);
    this.tenant = options.tenant ?? DEFAULT_TENANT;
    this.dir = options.dir;
    this.path = join(options.dir, STATE_FILE);
    this.onTakeover = options.onTakeover ?? (() => undefined);
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
      const key = leaseKey(huntId, this.tenant);
      if (!leaseAvailable(items[key], holder, now)) {
        const gone = deadHolder(items[key]);
        if (gone === null) return { result: false, changed: false };
        this.onTakeover(`took over the run lease of process ${gone.pid} on ${gone.host}, which is no longer running (interrupted or crashed)`);
      }
      items[key] = { ...newLease(huntId, holder, now, ttlMs, this.tenant), ...thisProcess() };
      return { result: true, changed: true };
    });
  }

  /** The live lease's holder (run id, process, host, end), for a clear "another run holds it" message. */
  async describeLease(huntId: string): Promise<{ holder: string; pid: number | null; host: string | null; until: number } | null> {
    return this.transact('describeLease', (items) => {
      const item = items[leaseKey(huntId, this.tenant)];
      const until = item?.['leaseUntil'];
      if (item === undefined || typeof until !== 'number') return { result: null, changed: false };
      const pid = typeof item['pid'] === 'number' ? item['pid'] : null;
      const host = typeof item['host'] === 'string' ? item['host'] : null;
      return { result: { holder: String(item['holder']), pid, host, until }, changed: false };
    });
  }

  async releaseLease(huntId: string, holder: string): Promise<void> {
    assertNoProblems('releaseLease', leaseProblems(huntId, holder, 0, 1));
    return this.transact('releaseLease', (items) => {
      const key = leaseKey(huntId, this.tenant);
      // Only our own: after our lease ended another run may hold it, and that one must stay.
      if (items[key]?.['holder'] !== holder) return { result: undefined, changed: false };
      delete items[key];
      return { result: undefined, changed: true };
    });
  }

  async readCheckpoint(huntId: string): Promise<Checkpoint | null> {
    assertNoProblems('readCheckpoint', huntIdProblems(huntId));
    return this.transact('readCheckpoint', (items) => ({ result: readCheckpointRecord(items[checkpointKey(huntId, this.tenant)]), changed: false }));
  }

  async writeCheckpoint(
    huntId: string,
    next: { coveredUntil: number; lastRunStatus: string },
    expectedVersion: number | null,
    now: number,
  ): Promise<Checkpoint> {
    assertNoProblems('writeCheckpoint', checkpointProblems(huntId, next, expectedVersion, now));
    return this.transact('writeCheckpoint', (items) => {
      const key = checkpointKey(huntId, this.tenant);
      const actual = readCheckpointRecord(items[key])?.version ?? null;
      if (actual !== expectedVersion) throw new CheckpointConflictError(huntId, expectedVersion, actual);
      const { pk, ...checkpoint } = nextCheckpoint(huntId, next, expectedVersion, now, this.tenant);
      items[key] = { pk, ...checkpoint };
      return { result: checkpoint, changed: true };
    });
  }

  async recordFindings(findings: readonly Finding[], now: number, dedupeWindowMs: number, claim?: ClaimOwner): Promise<RecordOutcome> {
    assertNoProblems('recordFindings', [...timeProblems(now, 'now'), ...timeProblems(dedupeWindowMs, 'dedupeWindowMs', { positive: true }), ...claimProblems(claim)]);
    const prepared = prepareFindings(findings);
    if (prepared.length === 0) return { created: [], pending: [], repeats: [], ...(claim === undefined ? {} : { inFlight: [] }) };
    return this.transact('recordFindings', (items) => {
      const { inFlight, ...outcome } = emptyOutcome();
      const lists = { ...outcome, inFlight };
      let changed = false;
      for (const finding of prepared) {
        const raw = items[findingKey(finding.huntId, finding.fingerprint, this.tenant)];
        const decision = decide(finding, raw === undefined ? undefined : readStoredState(raw, finding), now, dedupeWindowMs, claim, this.tenant);
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
        lists[LIST_OF[decision.kind]].push(decision.tracked);
      }
      return { result: claim === undefined ? outcome : lists, changed };
    });
  }

  async releaseClaims(huntId: string, fingerprints: readonly string[], runId: string): Promise<void> {
    assertNoProblems('releaseClaims', [...markNotifiedProblems(huntId, fingerprints, 0), ...claimProblems({ runId, maxRunMs: 1 })]);
    if (fingerprints.length === 0) return;
    return this.transact('releaseClaims', (items) => {
      let changed = false;
      for (const fingerprint of new Set(fingerprints)) {
        const key = findingKey(huntId, fingerprint, this.tenant);
        const released = releasedItem(items[key], runId);
        if (released === null) continue;
        items[key] = released;
        changed = true;
      }
      return { result: undefined, changed };
    });
  }

  async markNotified(huntId: string, fingerprints: readonly string[], now: number, confirmations?: ReadonlyMap<string, ConfirmationStatus>): Promise<void> {
    assertNoProblems('markNotified', [...markNotifiedProblems(huntId, fingerprints, now), ...confirmationsProblems(confirmations)]);
    const missing = await this.transact('markNotified', (items) => {
      const absent: string[] = [];
      for (const fingerprint of new Set(fingerprints)) {
        const key = findingKey(huntId, fingerprint, this.tenant);
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

  async readIncidents(huntId: string, hosts: readonly string[], now: number): Promise<Incident[]> {
    assertNoProblems('readIncidents', readIncidentsProblems(huntId, hosts, now));
    // One snapshot of the file; the same host → incident → merged-into walk as the DynamoDB adapter.
    const items = await this.transact('readIncidents', (all) => ({ result: { ...all }, changed: false }));
    const get = async (keys: readonly string[]): Promise<Map<string, Record<string, unknown>>> =>
      new Map(keys.flatMap((k) => (items[k] === undefined ? [] : [[k, items[k] as Record<string, unknown>] as const])));
    return readIncidentsVia(get, huntId, hosts, now, this.tenant);
  }

  async writeIncidents(huntId: string, incidents: readonly Incident[], now: number, ttlMs: number): Promise<void> {
    assertNoProblems('writeIncidents', writeIncidentsProblems(huntId, incidents, now, ttlMs));
    if (incidents.length === 0) return;
    await this.transact('writeIncidents', (items) => {
      for (const item of incidentItems(huntId, incidents, now, ttlMs, this.tenant)) items[item['pk'] as string] = item;
      return { result: undefined, changed: true };
    });
  }

  async readPairs(huntId: string, fingerprints: readonly string[], now: number): Promise<TrackedFinding[]> {
    assertNoProblems('readPairs', readPairsProblems(huntId, fingerprints, now));
    return this.transact('readPairs', (items) => ({
      result: [...new Set(fingerprints)].map((fp) => storedPair(items[findingKey(huntId, fp, this.tenant)], huntId, now)).filter((p): p is TrackedFinding => p !== null),
      changed: false,
    }));
  }

  async recordIncidentEvidence(huntId: string, incidentId: string, evidence: readonly IncidentEvidence[], now: number, ttlMs: number): Promise<void> {
    assertNoProblems('recordIncidentEvidence', incidentEvidenceProblems(huntId, incidentId, evidence, now, ttlMs));
    if (evidence.length === 0) return;
    await this.transact('recordIncidentEvidence', (items) => {
      const key = incidentEvidenceKey(huntId, incidentId, this.tenant);
      items[key] = { pk: key, ...nextEvidenceItem(items[key], evidence, now, ttlMs) };
      return { result: undefined, changed: true };
    });
  }

  async recordShadow(huntId: string, entries: readonly ShadowEntry[], now: number): Promise<void> {
    assertNoProblems('recordShadow', shadowProblems(huntId, entries, now));
    if (entries.length === 0) return;
    const day = utcDay(now);
    return this.transact('recordShadow', (items) => {
      const key = shadowKey(huntId, day, this.tenant);
      items[key] = { pk: key, day, ...mergeShadowEntries(items[key], entries), expiresAt: shadowExpiresAt(day) };
      return { result: undefined, changed: true };
    });
  }

  async readShadow(huntId: string, day: string): Promise<ShadowLog> {
    assertNoProblems('readShadow', [...huntIdProblems(huntId), ...dayProblems(day)]);
    return this.transact('readShadow', (items) => ({ result: readShadowLog(items[shadowKey(huntId, day, this.tenant)], day), changed: false }));
  }

  async readBackfill(huntId: string, range: TimeWindow): Promise<TimeWindow[]> {
    assertNoProblems('readBackfill', backfillProblems(huntId, range));
    return this.transact('readBackfill', (items) => ({ result: readBackfillChunks(items[backfillKey(huntId, range, this.tenant)]), changed: false }));
  }

  async markBackfillChunk(huntId: string, range: TimeWindow, chunk: TimeWindow, now: number): Promise<void> {
    assertNoProblems('markBackfillChunk', [...backfillProblems(huntId, range, chunk), ...timeProblems(now, 'now')]);
    return this.transact('markBackfillChunk', (items) => {
      const key = backfillKey(huntId, range, this.tenant);
      const done = new Set(readBackfillChunks(items[key]).map(chunkId));
      done.add(chunkId(chunk));
      items[key] = { pk: key, chunksDone: [...done].sort(), expiresAt: backfillExpiresAt(now), updatedAt: now };
      return { result: undefined, changed: true };
    });
  }

  async readHistory(huntId: string, query: HistoryQuery, now: number): Promise<HuntHistory> {
    assertNoProblems('readHistory', historyQueryProblems(huntId, query, now));
    return this.transact('readHistory', (items) => ({ result: huntHistoryFrom(huntId, query, (key) => items[key], now, this.tenant), changed: false }));
  }

  async recordHistory(huntId: string, update: HistoryUpdate, now: number): Promise<void> {
    assertNoProblems('recordHistory', historyUpdateProblems(huntId, update, now));
    if (update.coveredDays.length === 0 && update.sightings.length === 0) return;
    return this.transact('recordHistory', (items) => {
      // Under the file lock nothing changes between read and write: the revisions always match.
      const writes = planHistoryWrites(huntId, update, (key) => items[key], now, undefined, this.tenant);
      for (const w of writes) items[w.key] = w.item;
      return { result: undefined, changed: writes.length > 0 };
    });
  }

  async claimFollowUps(huntId: string, fingerprints: readonly string[], now: number): Promise<string[]> {
    assertNoProblems('claimFollowUps', markNotifiedProblems(huntId, fingerprints, now));
    return this.transact('claimFollowUps', (items) => {
      const claimed: string[] = [];
      for (const fingerprint of new Set(fingerprints)) {
        const key = findingKey(huntId, fingerprint, this.tenant);
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

  async readSweepMark(huntId: string, sweep: string): Promise<SweepMark | null> {
    assertNoProblems('readSweepMark', [...huntIdProblems(huntId), ...sweepNameProblems(sweep)]);
    return this.transact('readSweepMark', (items) => ({ result: readSweepMarkRecord(items[sweepKey(huntId, sweep, this.tenant)]), changed: false }));
  }

  async writeSweepMark(huntId: string, sweep: string, next: SweepMarkUpdate, expectedVersion: number | null, now: number): Promise<SweepMark> {
    assertNoProblems('writeSweepMark', sweepMarkProblems(huntId, sweep, next, expectedVersion, now));
    return this.transact('writeSweepMark', (items) => {
      const key = sweepKey(huntId, sweep, this.tenant);
      const actual = readSweepMarkRecord(items[key])?.version ?? null;
      if (actual !== expectedVersion) throw new CheckpointConflictError(`${huntId} (sweep ${sweep})`, expectedVersion, actual);
      const mark = nextSweepMark(next, expectedVersion, now);
      items[key] = { pk: key, ...mark };
      return { result: mark, changed: true };
    });
  }

  async readAwaiting(huntId: string, now: number, horizonMs: number): Promise<AwaitingPair[]> {
    assertNoProblems('readAwaiting', awaitingProblems(huntId, now, horizonMs));
    return this.transact('readAwaiting', (items) => ({ result: readAwaitingList(items[awaitingKey(huntId, this.tenant)], now, horizonMs), changed: false }));
  }

  async updateAwaiting(huntId: string, change: AwaitingChange, now: number, horizonMs: number): Promise<void> {
    assertNoProblems('updateAwaiting', awaitingProblems(huntId, now, horizonMs, change));
    if (change.add.length === 0 && change.remove.length === 0) return;
    return this.transact('updateAwaiting', (items) => {
      const key = awaitingKey(huntId, this.tenant);
      const entries = mergeAwaiting(items[key], change, now, horizonMs);
      items[key] = { pk: key, entries, expiresAt: awaitingExpiresAt(entries, now, horizonMs) };
      return { result: undefined, changed: true };
    });
  }
}
