/**
 * claimFollowUps over DynamoDB: one conditional update per pair, in transactions of up to 100,
 * that sets `followUpSent` only on a NOTIFIED item that has none. The condition is what makes
 * a late-evidence follow-up at most one per pair, whichever runs race for it.
 */
import type { FindingTableContext } from './dynamo-findings.js';
import { updateEachPair } from './dynamo-per-pair.js';

/** The fingerprints (validated, distinct) whose follow-up this call claimed; the others were claimed before or have no NOTIFIED item. */
export function claimFollowUpsInTable(ctx: FindingTableContext, huntId: string, fingerprints: readonly string[], now: number): Promise<string[]> {
  return updateEachPair(ctx, 'claimFollowUps', huntId, fingerprints, {
    update: 'SET #followUpSent = :now ADD #rev :one',
    condition: 'attribute_exists(pk) AND #status = :notified AND attribute_not_exists(#followUpSent)',
    names: { '#followUpSent': 'followUpSent', '#status': 'status', '#rev': 'rev' },
    values: { ':now': now, ':notified': 'NOTIFIED', ':one': 1 },
  });
}
