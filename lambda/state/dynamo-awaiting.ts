/**
 * The awaiting-late-evidence item in the DynamoDB table (rules in awaiting.ts): one GetItem to
 * read; a write is putGuardedByRev (that read plus one Put guarded by `rev`, so overlapping runs
 * never lose each other's entries).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AwaitingPair } from '../ports.js';
import { awaitingExpiresAt, mergeAwaiting, readAwaitingList, type AwaitingChange } from './awaiting.js';
import { guarded } from './dynamo-errors.js';
import { putGuardedByRev, type ProgressTable } from './dynamo-progress.js';
import { awaitingKey } from './keys.js';

export async function readAwaitingInTable(t: ProgressTable, huntId: string, now: number, horizonMs: number): Promise<AwaitingPair[]> {
  const res = await guarded('readAwaiting', () => t.client.send(new GetCommand({ TableName: t.tableName, Key: { pk: awaitingKey(huntId, t.tenant) }, ConsistentRead: true })));
  return readAwaitingList(res.Item, now, horizonMs);
}

export async function updateAwaitingInTable(t: ProgressTable, huntId: string, change: AwaitingChange, now: number, horizonMs: number): Promise<void> {
  await putGuardedByRev(t, 'updateAwaiting', awaitingKey(huntId, t.tenant), (current) => {
    const entries = mergeAwaiting(current, change, now, horizonMs);
    return { entries, expiresAt: awaitingExpiresAt(entries, now, horizonMs) };
  });
}
