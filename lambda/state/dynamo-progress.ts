/**
 * Shadow log and backfill progress items in the DynamoDB table (rules in progress.ts).
 * The shadow log is a read-modify-write guarded by `rev` (putGuardedByRev: backfill chunks may record at once);
 * backfill progress is one atomic ADD to a string set, so parallel chunks never lose each other.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TimeWindow } from '../pipeline-types.js';
import type { ShadowEntry, ShadowLog } from '../ports.js';
import { guarded, isConditionalCheckFailed } from './dynamo-errors.js';
import { RecordContentionError } from './errors.js';
import { backfillKey, shadowKey } from './keys.js';
import { backfillExpiresAt, chunkId, mergeShadowEntries, readBackfillChunks, readShadowLog, shadowExpiresAt, utcDay } from './progress.js';

export interface ProgressTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly sleep: (ms: number) => Promise<void>;
  /** The tenant whose keys these are (keys.ts). @default DEFAULT_TENANT */
  readonly tenant?: string;
}

/** Attempts of a read-modify-write before RecordContentionError (overlapping runs, 20 ms × attempt apart). */
const GUARDED_ATTEMPTS = 6;

/**
 * Read-modify-write of one small item, guarded by its `rev`: reads it (consistently), builds the
 * next version from it and puts that only if no other run wrote in between; on a conflict, reads
 * again. Overlapping runs (parallel backfill chunks, a manual invoke beside the schedule) never
 * lose each other's changes.
 */
export async function putGuardedByRev(
  t: ProgressTable, operation: string, pk: string, next: (current: Record<string, unknown> | undefined) => Record<string, unknown>,
): Promise<void> {
  for (let attempt = 1; attempt <= GUARDED_ATTEMPTS; attempt++) {
    const res = await guarded(operation, () => t.client.send(new GetCommand({ TableName: t.tableName, Key: { pk }, ConsistentRead: true })));
    const rev = typeof res.Item?.['rev'] === 'number' ? res.Item['rev'] : null;
    const item = { ...next(res.Item), pk, rev: (rev ?? 0) + 1 };
    try {
      await guarded(operation, () => t.client.send(new PutCommand({
        TableName: t.tableName,
        Item: item,
        ...(rev === null
          ? { ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(rev)' }
          : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': rev } }),
      })));
      return;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      await t.sleep(20 * attempt);
    }
  }
  throw new RecordContentionError([pk], GUARDED_ATTEMPTS);
}

export async function recordShadowInTable(t: ProgressTable, huntId: string, entries: readonly ShadowEntry[], now: number): Promise<void> {
  if (entries.length === 0) return;
  const day = utcDay(now);
  await putGuardedByRev(t, 'recordShadow', shadowKey(huntId, day, t.tenant), (current) => ({
    day, ...mergeShadowEntries(current, entries), expiresAt: shadowExpiresAt(day),
  }));
}

export async function readShadowInTable(t: ProgressTable, huntId: string, day: string): Promise<ShadowLog> {
  const res = await guarded('readShadow', () => t.client.send(new GetCommand({ TableName: t.tableName, Key: { pk: shadowKey(huntId, day, t.tenant) }, ConsistentRead: true })));
  return readShadowLog(res.Item, day);
}

export async function readBackfillInTable(t: ProgressTable, huntId: string, range: TimeWindow): Promise<TimeWindow[]> {
  const res = await guarded('readBackfill', () => t.client.send(new GetCommand({ TableName: t.tableName, Key: { pk: backfillKey(huntId, range, t.tenant) }, ConsistentRead: true })));
  return readBackfillChunks(res.Item);
}

export async function markBackfillChunkInTable(t: ProgressTable, huntId: string, range: TimeWindow, chunk: TimeWindow, now: number): Promise<void> {
  await guarded('markBackfillChunk', () => t.client.send(new UpdateCommand({
    TableName: t.tableName,
    Key: { pk: backfillKey(huntId, range, t.tenant) },
    UpdateExpression: 'ADD chunksDone :chunk SET expiresAt = :expires, updatedAt = :now',
    ExpressionAttributeValues: { ':chunk': new Set([chunkId(chunk)]), ':expires': backfillExpiresAt(now), ':now': now },
  })));
}
