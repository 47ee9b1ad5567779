/**
 * StateStore over one DynamoDB table (`pk` only, TTL on `expiresAt`): dedupe records,
 * the optimistic checkpoint and the run lease.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ConfirmationStatus } from '../confirm/index.js';
import type { Finding } from '../finding.js';
import type { Checkpoint, RecordOutcome, StateStore } from '../ports.js';
import { checkpointProblems, leaseProblems, newLease, nextCheckpoint, readCheckpointRecord } from './control.js';
import { decodeItem } from './dynamo-codec.js';
import { guarded, isConditionalCheckFailed } from './dynamo-errors.js';
import { recordFindingsInTable, type FindingTableContext } from './dynamo-findings.js';
import { claimFollowUpsInTable } from './dynamo-follow-up.js';
import { markNotifiedInTable } from './dynamo-notified.js';
import { CheckpointConflictError } from './errors.js';
import { checkpointKey, huntIdProblems, leaseKey } from './keys.js';
import { assertNoProblems, confirmationsProblems, markNotifiedProblems, prepareFindings, timeProblems } from './validate.js';

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
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The DynamoDB adapter of StateStore. */
export class DynamoStateStore implements StateStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly findings: FindingTableContext;

  constructor(options: DynamoStateStoreOptions) {
    assertNoProblems('DynamoStateStore', typeof options.tableName === 'string' && options.tableName.length >= 3 ? [] : ['tableName must be a table name (3+ characters)']);
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
    };
  }

  async acquireLease(huntId: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    assertNoProblems('acquireLease', leaseProblems(huntId, holder, now, ttlMs));
    try {
      await guarded('acquireLease', () => this.doc.send(new PutCommand({
        TableName: this.tableName,
        Item: newLease(huntId, holder, now, ttlMs),
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
        Key: { pk: leaseKey(huntId) },
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
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: checkpointKey(huntId) }, ConsistentRead: true })));
    return readCheckpointRecord(res.Item);
  }

  async writeCheckpoint(
    huntId: string,
    next: { coveredUntil: number; lastRunStatus: string },
    expectedVersion: number | null,
    now: number,
  ): Promise<Checkpoint> {
    assertNoProblems('writeCheckpoint', checkpointProblems(huntId, next, expectedVersion, now));
    const { pk: _pk, ...checkpoint } = nextCheckpoint(huntId, next, expectedVersion, now);
    try {
      await guarded('writeCheckpoint', () => this.doc.send(new PutCommand({
        TableName: this.tableName,
        Item: { pk: checkpointKey(huntId), ...checkpoint },
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

  async recordFindings(findings: readonly Finding[], now: number, dedupeWindowMs: number): Promise<RecordOutcome> {
    assertNoProblems('recordFindings', [...timeProblems(now, 'now'), ...timeProblems(dedupeWindowMs, 'dedupeWindowMs', { positive: true })]);
    const prepared = prepareFindings(findings);
    if (prepared.length === 0) return { created: [], pending: [], repeats: [] };
    return recordFindingsInTable(this.findings, prepared, now, dedupeWindowMs);
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
}
