/**
 * DynamoDB side of history: one BatchGetItem per 100 keys to read (the coverage item plus each
 * source host and user of a chunk), and the merged items put in transactions of up to 100, each
 * guarded by the revision it read. A lost guard re-reads and merges only the items that lost.
 */
import type { HistoryQuery, HistoryUpdate, HuntHistory } from '../history/index.js';
import { batchGetItems } from './dynamo-batch.js';
import { TRANSACT_CONCURRENCY, itemBytes, sizedGroups, submitActions, type WriteAction } from './dynamo-transact.js';
import type { FindingTableContext } from './dynamo-findings.js';
import { HistoryContentionError } from './errors.js';
import { historyReadKeys, historyWriteKeys, huntHistoryFrom, planHistoryWrites, type HistoryWrite } from './history.js';
import { mapLimit } from './limit.js';

/** Rounds of read-merge-put before concurrent writers are reported. */
const MAX_ROUNDS = 3;

export async function readHistoryInTable(ctx: FindingTableContext, huntId: string, query: HistoryQuery, now: number): Promise<HuntHistory> {
  const { coverage, subjects } = historyReadKeys(huntId, query, ctx.tenant);
  const items = await batchGetItems(ctx.client, ctx.tableName, [coverage, ...subjects.map((s) => s.key)], ctx.batchGet, 'readHistory');
  return huntHistoryFrom(huntId, query, (key) => items.get(key), now, ctx.tenant);
}

function putOf(ctx: FindingTableContext, w: HistoryWrite): WriteAction {
  const guard = w.expectedRev !== null
    ? { ConditionExpression: '#rev = :expectedRev', ExpressionAttributeValues: { ':expectedRev': w.expectedRev } }
    : { ConditionExpression: w.absent ? 'attribute_not_exists(pk)' : 'attribute_exists(pk) AND attribute_not_exists(#rev)' };
  return {
    Put: {
      TableName: ctx.tableName,
      Item: w.item,
      ...guard,
      ...(w.absent && w.expectedRev === null ? {} : { ExpressionAttributeNames: { '#rev': 'rev' } }),
    },
  };
}

export async function recordHistoryInTable(ctx: FindingTableContext, huntId: string, update: HistoryUpdate, now: number): Promise<void> {
  let todo: ReadonlySet<string> = new Set(historyWriteKeys(huntId, update, ctx.tenant));
  for (let round = 1; todo.size > 0; round++) {
    if (round > MAX_ROUNDS) throw new HistoryContentionError([...todo], MAX_ROUNDS);
    const stored = await batchGetItems(ctx.client, ctx.tableName, [...todo], ctx.batchGet, 'recordHistory');
    const writes = planHistoryWrites(huntId, update, (key) => stored.get(key), now, todo, ctx.tenant);
    const lost = new Set<string>();
    await mapLimit(sizedGroups(writes, (w) => itemBytes(w.item)), TRANSACT_CONCURRENCY, async (group) => {
      const failures = await submitActions(ctx.client, 'recordHistory', group.map((w) => putOf(ctx, w)), ctx.write);
      for (const f of failures) lost.add((group[f.index] as HistoryWrite).key);
    });
    todo = lost;
  }
}
