/**
 * The awaiting-late-evidence item in the DynamoDB table (rules in awaiting.ts): one GetItem to
 * read; a write is that read plus one Put guarded by `rev` (overlapping runs never lose each
 * other's entries), retried a few times on a conflict.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AwaitingPair } from '../ports.js';
import { awaitingExpiresAt, mergeAwaiting, readAwaitingList, type AwaitingChange } from './awaiting.js';
import { guarded, isConditionalCheckFailed } from './dynamo-errors.js';
import type { ProgressTable } from './dynamo-progress.js';
import { RecordContentionError } from './errors.js';
import { awaitingKey } from './keys.js';

const ATTEMPTS = 6;

export async function readAwaitingInTable(t: ProgressTable, huntId: string, now: number, horizonMs: number): Promise<AwaitingPair[]> {
  const res = await guarded('readAwaiting', () => t.client.send(new GetCommand({ TableName: t.tableName, Key: { pk: awaitingKey(huntId) }, ConsistentRead: true })));
  return readAwaitingList(res.Item, now, horizonMs);
}

export async function updateAwaitingInTable(t: ProgressTable, huntId: string, change: AwaitingChange, now: number, horizonMs: number): Promise<void> {
  const pk = awaitingKey(huntId);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const res = await guarded('updateAwaiting', () => t.client.send(new GetCommand({ TableName: t.tableName, Key: { pk }, ConsistentRead: true })));
    const rev = typeof res.Item?.['rev'] === 'number' ? res.Item['rev'] : null;
    const entries = mergeAwaiting(res.Item, change, now, horizonMs);
    try {
      await guarded('updateAwaiting', () => t.client.send(new PutCommand({
        TableName: t.tableName,
        Item: { pk, entries, rev: (rev ?? 0) + 1, expiresAt: awaitingExpiresAt(entries, now, horizonMs) },
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
  throw new RecordContentionError([pk], ATTEMPTS);
}
