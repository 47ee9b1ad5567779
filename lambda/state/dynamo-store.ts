/**
 * StateStore over one DynamoDB table (`pk` only, TTL on `expiresAt`): dedupe records,
 * the optimistic checkpoint and the run lease.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ConfirmationStatus } from '../confirm/index.js';
import type { Finding, TrackedFinding } from '../finding.js';
import type { Incident, IncidentEvidence } from '../incidents/index.js';
import type { TimeWindow } from '../pipeline-types.js';
import type { HistoryQuery, HistoryUpdate, HuntHistory } from '../history/index.js';
import type { AwaitingPair, Checkpoint, ClaimOwner, RecordOutcome, ShadowEntry, ShadowLog, StateStore, SweepMark, SweepMarkUpdate } from '../ports.js';
import { awaitingProblems, type AwaitingChange } from './awaiting.js';
import { readAwaitingInTable, updateAwaitingInTable } from './dynamo-awaiting.js';
import { readSweepMarkInTable, writeSweepMarkInTable } from './dynamo-sweep.js';
import { sweepMarkProblems, sweepNameProblems } from './sweep.js';
import { checkpointProblems, leaseProblems, newLease, nextCheckpoint, readCheckpointRecord } from './control.js';
import { decodeItem } from './dynamo-codec.js';
import { guarded, isConditionalCheckFailed } from './dynamo-errors.js';
import { recordFindingsInTable, type FindingTableContext } from './dynamo-findings.js';
import { readHistoryInTable, recordHistoryInTable } from './dynamo-history.js';
import { historyQueryProblems, historyUpdateProblems } from './history.js';
import { claimFollowUpsInTable } from './dynamo-follow-up.js';
import { releaseClaimsInTable } from './dynamo-release.js';
import { markNotifiedInTable } from './dynamo-notified.js';
import { readIncidentsInTable, readPairsInTable, recordIncidentEvidenceInTable, writeIncidentsInTable } from './dynamo-incidents.js';
import { incidentEvidenceProblems, readIncidentsProblems, writeIncidentsProblems } from './incidents.js';
import { readPairsProblems } from './stored-pairs.js';
import { markBackfillChunkInTable, readBackfillInTable, readShadowInTable, recordShadowInTable, type ProgressTable } from './dynamo-progress.js';
import { backfillProblems, dayProblems, shadowProblems } from './progress.js';
import { CheckpointConflictError } from './errors.js';
import { DEFAULT_TENANT, checkpointKey, huntIdProblems, leaseKey, tenantProblems } from './keys.js';
import { assertNoProblems, claimProblems, confirmationsProblems, markNotifiedProblems, prepareFindings, timeProblems } from './validate.js';

export interface DynamoStateStoreOptions {
  /** A DynamoDBClient (wrapped in a Document client here) or a ready DynamoDBDocumentClient. */
  readonly client: DynamoDBClient | DynamoDBDocumentClient;
  readonly tableName: string;
  /** BatchGetItem calls per chunk before UnprocessedKeys become an UnprocessedKeysError. @default 6 */
  readonly batchGetAttempts?: number;
  /** First back-off delay in ms (UnprocessedKeys, throttled transactions), doubling per attempt (capped at 2 s). @default 50 */
  readonly backoffBaseMs?: number;
  /** Attempts per transaction cancelled by throttling or a conflict before a StateThrottledError. @default 6 */
  readonly transactAttempts?: number;
  /** @default - a setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The tenant whose items this store reads and writes (lambda/state/keys.ts). @default DEFAULT_TENANT: the keys of before tenants */
  readonly tenant?: string;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The DynamoDB adapter of StateStore. */
export class DynamoStateStore implements StateStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly findings: FindingTableContext;
  private readonly progress: ProgressTable;
  private readonly tenant: string;

  constructor(options: DynamoStateStoreOptions) {
    assertNoProblems('DynamoStateStore', [
      ...(typeof options.tableName === 'string' && options.tableName.length >= 3 ? [] : ['tableName must be a table name (3+ characters)']),
      ...tenantProblems(options.tenant ?? DEFAULT_TENANT),
    ]);
    this.tenant = options.tenant ?? DEFAULT_TENANT;
    this.doc = options.client instanceof DynamoDBDocumentClient
      ? options.client
      : DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.tableName = options.tableName;
    const baseDelayMs = options.backoffBaseMs ?? 50;
    const sleep = options.sleep ?? defaultSleep;
    this.findings = {
      client: this.doc,
      tableName: this.tableName,
      batchGet: { maxAttempts: Math.max(1, options.batchGetAttempts ?? 6), baseDelayMs, sleep },
      write: { maxAttempts: Math.max(1, options.transactAttempts ?? 6), baseDelayMs, sleep },
      tenant: this.tenant,
    };
    this.progress = { client: this.doc, tableName: this.tableName, sleep, tenant: this.tenant };
  }

  async acquireLease(huntId: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    assertNoProblems('acquireLease', leaseProblems(huntId, holder, now, ttlMs));
    try {
      await guarded('acquireLease', () => this.doc.send(new PutCommand({
        TableName: this.tableName,
        Item: newLease(huntId, holder, now, ttlMs, this.tenant),
        // Free, ended, or already ours (a retried invocation of the same run renews it); an end that is
        // not a number cannot be live (leaseAvailable in control.ts, the file adapter's rule).
        ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil <= :now OR holder = :holder OR NOT attribute_type(leaseUntil, :number)',
        ExpressionAttributeValues: { ':now': now, ':holder': holder, ':number': 'N' },
      })));
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  async releaseLease(huntId: string, holder: string): Promise<void> {
    assertNoProblems('releaseLease', leaseProblems(huntId, holder, 0, 1));
    try {
      await guarded('releaseLease', () => this.doc.send(new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: leaseKey(huntId, this.tenant) },
        // Only our own: after our lease ended another run may hold it, and that one must stay.
        ConditionExpression: 'holder = :holder',
        ExpressionAttributeValues: { ':holder': holder },
      })));
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  async readCheckpoint(huntId: string): Promise<Checkpoint | null> {
    assertNoProblems('readCheckpoint', huntIdProblems(huntId));
    const res = await guarded('readCheckpoint', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: checkpointKey(huntId, this.tenant) }, ConsistentRead: true })));
    return readCheckpointRecord(res.Item);
  }

  async writeCheckpoint(
    huntId: string,
    next: { coveredUntil: number; lastRunStatus: string },
    expectedVersion: number | null,
    now: number,
  ): Promise<Checkpoint> {
    assertNoProblems('writeCheckpoint', checkpointProblems(huntId, next, expectedVersion, now));
    const { pk: _pk, ...checkpoint } = nextCheckpoint(huntId, next, expectedVersion, now, this.tenant);
    try {
      await guarded('writeCheckpoint', () => this.doc.send(new PutCommand({
        TableName: this.tableName,
        Item: { pk: checkpointKey(huntId, this.tenant), ...checkpoint },
        ...(expectedVersion === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      })));
      return checkpoint;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      const actual = decodeItem(err.Item)?.['version'];
      throw new CheckpointConflictError(huntId, expectedVersion, typeof actual === 'number' ? actual : undefined, { cause: err });
    }
  }

  async recordFindings(findings: readonly Finding[], now: number, dedupeWindowMs: number, claim?: ClaimOwner): Promise<RecordOutcome> {
    assertNoProblems('recordFindings', [...timeProblems(now, 'now'), ...timeProblems(dedupeWindowMs, 'dedupeWindowMs', { positive: true }), ...claimProblems(claim)]);
    const prepared = prepareFindings(findings);
    if (prepared.length === 0) return { created: [], pending: [], repeats: [], ...(claim === undefined ? {} : { inFlight: [] }) };
    return recordFindingsInTable(this.findings, prepared, now, dedupeWindowMs, claim);
  }

  async releaseClaims(huntId: string, fingerprints: readonly string[], runId: string): Promise<void> {
    assertNoProblems('releaseClaims', [...markNotifiedProblems(huntId, fingerprints, 0), ...claimProblems({ runId, maxRunMs: 1 })]);
    if (fingerprints.length === 0) return;
    await releaseClaimsInTable(this.findings, huntId, [...new Set(fingerprints)], runId);
  }

  async markNotified(huntId: string, fingerprints: readonly string[], now: number, confirmations?: ReadonlyMap<string, ConfirmationStatus>): Promise<void> {
    assertNoProblems('markNotified', [...markNotifiedProblems(huntId, fingerprints, now), ...confirmationsProblems(confirmations)]);
    if (fingerprints.length === 0) return;
    await markNotifiedInTable(this.findings, huntId, [...new Set(fingerprints)], now, confirmations);
  }

  async claimFollowUps(huntId: string, fingerprints: readonly string[], now: number): Promise<string[]> {
    assertNoProblems('claimFollowUps', markNotifiedProblems(huntId, fingerprints, now));
    if (fingerprints.length === 0) return [];
    return claimFollowUpsInTable(this.findings, huntId, [...new Set(fingerprints)], now);
  }

  async readAwaiting(huntId: string, now: number, horizonMs: number): Promise<AwaitingPair[]> {
    assertNoProblems('readAwaiting', awaitingProblems(huntId, now, horizonMs));
    return readAwaitingInTable(this.progress, huntId, now, horizonMs);
  }

  async updateAwaiting(huntId: string, change: AwaitingChange, now: number, horizonMs: number): Promise<void> {
    assertNoProblems('updateAwaiting', awaitingProblems(huntId, now, horizonMs, change));
    if (change.add.length === 0 && change.remove.length === 0) return;
    await updateAwaitingInTable(this.progress, huntId, change, now, horizonMs);
  }

  async readSweepMark(huntId: string, sweep: string): Promise<SweepMark | null> {
    assertNoProblems('readSweepMark', [...huntIdProblems(huntId), ...sweepNameProblems(sweep)]);
    return readSweepMarkInTable(this.progress, huntId, sweep);
  }

  async writeSweepMark(huntId: string, sweep: string, next: SweepMarkUpdate, expectedVersion: number | null, now: number): Promise<SweepMark> {
    assertNoProblems('writeSweepMark', sweepMarkProblems(huntId, sweep, next, expectedVersion, now));
    return writeSweepMarkInTable(this.progress, huntId, sweep, next, expectedVersion, now);
  }

  async readIncidents(huntId: string, hosts: readonly string[], now: number): Promise<Incident[]> {
    assertNoProblems('readIncidents', readIncidentsProblems(huntId, hosts, now));
    return readIncidentsInTable(this.findings, huntId, hosts, now);
  }

  async writeIncidents(huntId: string, incidents: readonly Incident[], now: number, ttlMs: number): Promise<void> {
    assertNoProblems('writeIncidents', writeIncidentsProblems(huntId, incidents, now, ttlMs));
    if (incidents.length === 0) return;
    await writeIncidentsInTable(this.findings, huntId, incidents, now, ttlMs);
  }

  async readPairs(huntId: string, fingerprints: readonly string[], now: number): Promise<TrackedFinding[]> {
    assertNoProblems('readPairs', readPairsProblems(huntId, fingerprints, now));
    return readPairsInTable(this.findings, huntId, fingerprints, now);
  }

  async recordIncidentEvidence(huntId: string, incidentId: string, evidence: readonly IncidentEvidence[], now: number, ttlMs: number): Promise<void> {
    assertNoProblems('recordIncidentEvidence', incidentEvidenceProblems(huntId, incidentId, evidence, now, ttlMs));
    if (evidence.length === 0) return;
    await recordIncidentEvidenceInTable(this.progress, huntId, incidentId, evidence, now, ttlMs);
  }

  async recordShadow(huntId: string, entries: readonly ShadowEntry[], now: number): Promise<void> {
    assertNoProblems('recordShadow', shadowProblems(huntId, entries, now));
    await recordShadowInTable(this.progress, huntId, entries, now);
  }

  async readShadow(huntId: string, day: string): Promise<ShadowLog> {
    assertNoProblems('readShadow', [...huntIdProblems(huntId), ...dayProblems(day)]);
    return readShadowInTable(this.progress, huntId, day);
  }

  async readBackfill(huntId: string, range: TimeWindow): Promise<TimeWindow[]> {
    assertNoProblems('readBackfill', backfillProblems(huntId, range));
    return readBackfillInTable(this.progress, huntId, range);
  }

  async markBackfillChunk(huntId: string, range: TimeWindow, chunk: TimeWindow, now: number): Promise<void> {
    assertNoProblems('markBackfillChunk', [...backfillProblems(huntId, range, chunk), ...timeProblems(now, 'now')]);
    await markBackfillChunkInTable(this.progress, huntId, range, chunk, now);
  }

  async readHistory(huntId: string, query: HistoryQuery, now: number): Promise<HuntHistory> {
    assertNoProblems('readHistory', historyQueryProblems(huntId, query, now));
    return readHistoryInTable(this.findings, huntId, query, now);
  }

  async recordHistory(huntId: string, update: HistoryUpdate, now: number): Promise<void> {
    assertNoProblems('recordHistory', historyUpdateProblems(huntId, update, now));
    if (update.coveredDays.length === 0 && update.sightings.length === 0) return;
    await recordHistoryInTable(this.findings, huntId, update, now);
  }
}
