/**
 * markNotified over DynamoDB: status NOTIFIED in transactions of up to 100 conditional updates,
 * a few in flight. A fingerprint with no item fails only its own condition; the rest are marked.
 */
import type { ConfirmationStatus } from '../confirm/index.js';
import type { FindingTableContext } from './dynamo-findings.js';
import { TRANSACT_CONCURRENCY, UPDATE_OVERHEAD_BYTES, sizedGroups, submitActions, type WriteAction } from './dynamo-transact.js';
import { FindingNotFoundError } from './errors.js';
import { findingKey } from './keys.js';
import { mapLimit } from './limit.js';

function markOf(ctx: FindingTableContext, huntId: string, fingerprint: string, now: number, confirmation: ConfirmationStatus | undefined): WriteAction {
  const confirm = confirmation === undefined ? null : confirmation;
  return {
    Update: {
      TableName: ctx.tableName,
      Key: { pk: findingKey(huntId, fingerprint, ctx.tenant) },
      UpdateExpression: `SET #status = :notified, notifiedAt = :now${confirm === null ? '' : ', #confirmation = :confirmation'} ADD #rev :one`,
      // Without it an update would create a bare item for an unknown fingerprint.
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status', '#rev': 'rev', ...(confirm === null ? {} : { '#confirmation': 'confirmation' }) },
      ExpressionAttributeValues: { ':notified': 'NOTIFIED', ':now': now, ':one': 1, ...(confirm === null ? {} : { ':confirmation': confirm }) },
    },
  };
}

/**
 * Marks the findings NOTIFIED; `fingerprints` are validated and distinct. Every group is tried
 * even when another fails, so one fault leaves as few findings PENDING (to be re-sent) as it can.
 * Throws the first fault, else a FindingNotFoundError naming the fingerprints that have no item.
 */
export async function markNotifiedInTable(
  ctx: FindingTableContext, huntId: string, fingerprints: readonly string[], now: number, confirmations?: ReadonlyMap<string, ConfirmationStatus>,
): Promise<void> {
  const missing = new Set<string>();
  const faults: unknown[] = [];
  // The request is small, but real DynamoDB counts the whole updated items against 4 MB: submitActions halves a group it refuses.
  const groups = sizedGroups(fingerprints, (fingerprint) => UPDATE_OVERHEAD_BYTES + huntId.length + fingerprint.length);
  await mapLimit(groups, TRANSACT_CONCURRENCY, async (group) => {
    try {
      const failed = await submitActions(ctx.client, 'markNotified', group.map((f) => markOf(ctx, huntId, f, now, confirmations?.get(f))), ctx.write);
      for (const { index } of failed) missing.add(group[index] as string);
    } catch (err) {
      faults.push(err);
    }
  });
  if (faults.length > 0) throw faults[0];
  // Reported after the others were marked: one unknown fingerprint must not leave the rest PENDING (re-sent).
  if (missing.size > 0) throw new FindingNotFoundError(huntId, fingerprints.filter((f) => missing.has(f)));
}
