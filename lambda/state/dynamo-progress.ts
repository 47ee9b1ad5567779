/**
 * Shadow log and backfill progress items in the DynamoDB table (rules in progress.ts).
 * The shadow log is read-modify-write guarded by `rev` (backfill chunks may record at once);
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
}

const SHADOW_ATTEMPTS = 6;

export async function recordShadowInTable(t: ProgressTable, huntId: string, entries: readonly ShadowEntry[], now: number): Promise<void> {
  if (entries.length === 0) return;
  const day = utcDay(now);
  const pk = shadowKey(huntId, day);
  for (let attempt = 1; attempt <= SHADOW_ATTEMPTS; attempt++) {
    const res = await guarded('recordShadow', () => t.client.send(new GetCommand({ TableName: t.tableName, Key: { pk }, ConsistentRead: true })));
    const rev = typeof res.Item?.['rev'] === 'number' ? res.Item['rev'] : null;
    const merged = mergeShadowEntries(res.Item, entries);
    try {
      await guarded('recordShadow', () => t.client.send(new PutCommand({
        TableName: t.tableName,
        Item: { pk, day, ...merged, rev: (rev ?? 0) + 1, expiresAt: shadowExpiresAt(day) },
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
  throw new RecordContentionError([pk], SHADOW_ATTEMPTS);
}

export async function readShadowInTable(t: ProgressTable, huntId: string, day: string): Promise<ShadowLog> {
  const res = await guarded('readShadow', () => t.client.send(new GetCommand({ TableName: t.tableName, Key: { pk: shadowKey(huntId, day) }, ConsistentRead: true })));
  return readShadowLog(res.Item, day);
}

export async function readBackfillInTable(t: ProgressTable, huntId: string, range: TimeWindow): Promise<TimeWindow[]> {
  const res = await guarded('readBackfill', () => t.client.send(new GetCommand({ TableName: t.tableName, Key: { pk: backfillKey(huntId, range) }, ConsistentRead: true })));
  return readBackfillChunks(res.Item);
}

export async function markBackfillChunkInTable(t: ProgressTable, huntId: string, range: TimeWindow, chunk: TimeWindow, now: number): Promise<void> {
  await guarded('markBackfillChunk', () => t.client.send(new UpdateCommand({
    TableName: t.tableName,
    Key: { pk: backfillKey(huntId, range) },
    UpdateExpression: 'ADD chunksDone :chunk SET expiresAt = :expires, updatedAt = :now',
    ExpressionAttributeValues: { ':chunk': new Set([chunkId(chunk)]), ':expires': backfillExpiresAt(now), ':now': now },
  })));
}
