/**
 * claimFollowUps over DynamoDB: one conditional update per pair, in transactions of up to 100,
 * that sets `followUpSent` only on a NOTIFIED item that has none. The condition is what makes
 * a late-evidence follow-up at most one per pair, whichever runs race for it.
 */
import type { FindingTableContext } from './dynamo-findings.js';
import { TRANSACT_CONCURRENCY, UPDATE_OVERHEAD_BYTES, sizedGroups, submitActions, type WriteAction } from './dynamo-transact.js';
import { findingKey } from './keys.js';
import { mapLimit } from './limit.js';

function claimOf(ctx: FindingTableContext, huntId: string, fingerprint: string, now: number): WriteAction {
  return {
    Update: {
      TableName: ctx.tableName,
      Key: { pk: findingKey(huntId, fingerprint) },
      UpdateExpression: 'SET #followUpSent = :now ADD #rev :one',
      ConditionExpression: 'attribute_exists(pk) AND #status = :notified AND attribute_not_exists(#followUpSent)',
      ExpressionAttributeNames: { '#followUpSent': 'followUpSent', '#status': 'status', '#rev': 'rev' },
      ExpressionAttributeValues: { ':now': now, ':notified': 'NOTIFIED', ':one': 1 },
    },
  };
}

/** The fingerprints (validated, distinct) whose follow-up this call claimed; the others were claimed before or have no NOTIFIED item. */
export async function claimFollowUpsInTable(ctx: FindingTableContext, huntId: string, fingerprints: readonly string[], now: number): Promise<string[]> {
  const lost = new Set<string>();
  const groups = sizedGroups(fingerprints, (fingerprint) => UPDATE_OVERHEAD_BYTES + huntId.length + fingerprint.length);
  await mapLimit(groups, TRANSACT_CONCURRENCY, async (group) => {
    const failed = await submitActions(ctx.client, 'claimFollowUps', group.map((f) => claimOf(ctx, huntId, f, now)), ctx.write);
    for (const { index } of failed) lost.add(group[index] as string);
  });
  return fingerprints.filter((f) => !lost.has(f));
}
