/**
 * BatchGetItem over any number of keys: chunks of 100 (the API's limit), UnprocessedKeys retried
 * with bounded exponential back-off, a clear error when they never drain.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { guarded } from './dynamo-errors.js';
import { UnprocessedKeysError } from './errors.js';
import { chunk, mapLimit } from './limit.js';
import { backoffMs, type RetryOptions } from './retry.js';

export const BATCH_GET_LIMIT = 100;

/** Calls per chunk before UnprocessedKeys become an UnprocessedKeysError, and the back-off between them. */
export type BatchGetOptions = RetryOptions;

async function getChunk(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly string[],
  options: BatchGetOptions,
  into: Map<string, Record<string, unknown>>,
  operation: string,
): Promise<void> {
  let pending: Record<string, unknown>[] = keys.map((pk) => ({ pk }));
  for (let attempt = 1; ; attempt++) {
    const res = await guarded(operation, () =>
      // Consistent: a PENDING item just marked NOTIFIED by the previous run must not read as PENDING.
      client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } })),
    );
    for (const item of res.Responses?.[tableName] ?? []) {
      if (typeof item['pk'] === 'string') into.set(item['pk'], item);
    }
    pending = res.UnprocessedKeys?.[tableName]?.Keys ?? [];
    if (pending.length === 0) return;
    if (attempt >= options.maxAttempts) throw new UnprocessedKeysError(pending.length, attempt, operation);
    await options.sleep(backoffMs(attempt, options.baseDelayMs));
  }
}

/** Reads the items with these partition keys (distinct); absent keys are simply missing from the map. */
export async function batchGetItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly string[],
  options: BatchGetOptions,
  operation = 'recordFindings',
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  await mapLimit(chunk(keys, BATCH_GET_LIMIT), 4, (keysOfChunk) => getChunk(client, tableName, keysOfChunk, options, found, operation));
  return found;
}
