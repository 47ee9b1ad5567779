/**
 * releaseClaims over DynamoDB: one conditional update per pair, in transactions of up to 100.
 * The condition is releasedItem's (dedupe.ts): still PENDING and still claimed by this run.
 * A pair marked NOTIFIED meanwhile, or taken over by another run, keeps what it has.
 */
import type { FindingTableContext } from './dynamo-findings.js';
import { updateEachPair } from './dynamo-per-pair.js';

/** Releases `runId`'s claims on these pairs (validated, distinct); the ones it no longer holds are left as they are. */
export async function releaseClaimsInTable(ctx: FindingTableContext, huntId: string, fingerprints: readonly string[], runId: string): Promise<void> {
  await updateEachPair(ctx, 'releaseClaims', huntId, fingerprints, {
    update: 'REMOVE claimedBy ADD #rev :one',
    condition: '#status = :pending AND claimedBy = :runId',
    names: { '#status': 'status', '#rev': 'rev' },
    values: { ':pending': 'PENDING', ':runId': runId, ':one': 1 },
  });
}
