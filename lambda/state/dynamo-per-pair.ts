/**
 * One conditional update per pair of a hunt, in transactions of up to 100, a few in flight: the
 * shape claimFollowUps and releaseClaims share. Each pair's condition is judged on its own.
 */
import type { FindingTableContext } from './dynamo-findings.js';
import { TRANSACT_CONCURRENCY, UPDATE_OVERHEAD_BYTES, sizedGroups, submitActions } from './dynamo-transact.js';
import { findingKey } from './keys.js';
import { mapLimit } from './limit.js';

/** The update every pair gets: its expressions, names and values. */
export interface PairUpdate {
  readonly update: string;
  readonly condition: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/** Applies `change` to each pair (validated, distinct); returns the fingerprints whose condition held. */
export async function updateEachPair(
  ctx: FindingTableContext, operation: string, huntId: string, fingerprints: readonly string[], change: PairUpdate,
): Promise<string[]> {
  const lost = new Set<string>();
  const extra = JSON.stringify(change.values).length;
  const groups = sizedGroups(fingerprints, (fingerprint) => UPDATE_OVERHEAD_BYTES + extra + huntId.length + fingerprint.length);
  await mapLimit(groups, TRANSACT_CONCURRENCY, async (group) => {
    const actions = group.map((fingerprint) => ({
      Update: {
        TableName: ctx.tableName,
        Key: { pk: findingKey(huntId, fingerprint, ctx.tenant) },
        UpdateExpression: change.update,
        ConditionExpression: change.condition,
        ExpressionAttributeNames: change.names,
        ExpressionAttributeValues: change.values,
      },
    }));
    const failed = await submitActions(ctx.client, operation, actions, ctx.write);
    for (const { index } of failed) lost.add(group[index] as string);
  });
  return fingerprints.filter((f) => !lost.has(f));
}
