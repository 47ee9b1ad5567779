/**
 * DynamoDB side of finding dedupe: the pure decisions of dedupe.ts turned into requests.
 * Known keys: BatchGetItem. Unknown or expired: conditional Puts (the claims), batched in
 * transactions. Changed known items: guarded updates, batched the same way. Unchanged: no write.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Finding } from '../finding.js';
import type { RecordOutcome } from '../ports.js';
import { batchGetItems, type BatchGetOptions } from './dynamo-batch.js';
import { TRANSACT_CONCURRENCY, UPDATE_OVERHEAD_BYTES, itemBytes, sizedGroups, submitActions, type ConditionFailure, type WriteAction } from './dynamo-transact.js';
import { RecordContentionError } from './errors.js';
import { mapLimit } from './limit.js';
import { findingKey } from './keys.js';
import { LIST_OF, decide, emptyOutcome, readStoredState, type ClaimOptions, type Decision, type FindingChange, type FindingRecord } from './dedupe.js';
import type { RetryOptions } from './retry.js';
import { epochSeconds } from './time.js';

export interface FindingTableContext {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly batchGet: BatchGetOptions;
  /** Back-off for transactions cancelled by throttling or a conflict. */
  readonly write: RetryOptions;
  /** The tenant whose keys these are (keys.ts). @default DEFAULT_TENANT */
  readonly tenant?: string;
}

/** Rounds of read-decide-write before concurrent writers are reported (each round re-reads only the losers). */
const MAX_ROUNDS = 4;

/** Conditional put: succeeds only when the key is free or its item expired. */
function claimOf(ctx: FindingTableContext, record: FindingRecord, now: number): WriteAction {
  return {
    Put: {
      TableName: ctx.tableName,
      Item: record,
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSeconds',
      ExpressionAttributeValues: { ':nowSeconds': epochSeconds(now) },
      // The winner's item comes back with the failure, free: no extra read to classify the race.
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

function updateOf(ctx: FindingTableContext, key: string, change: FindingChange): WriteAction {
  const takeOver = change.claimedBy !== undefined && change.claimedAt !== undefined;
  return {
    Update: {
      TableName: ctx.tableName,
      Key: { pk: key },
      UpdateExpression: `SET #count = :count, #firstSeen = :firstSeen, #lastSeen = :lastSeen, #eventIds = :eventIds, #rev = :rev${takeOver ? ', claimedAt = :claimedAt, claimedBy = :claimedBy' : ''}`,
      // The rev read with the item: a concurrent merge or markNotified in between makes this fail, and the round repeats.
      ConditionExpression: change.expectedRev === null ? 'attribute_exists(pk) AND attribute_not_exists(#rev)' : '#rev = :expectedRev',
      ExpressionAttributeNames: { '#count': 'count', '#firstSeen': 'firstSeen', '#lastSeen': 'lastSeen', '#eventIds': 'eventIds', '#rev': 'rev' },
      ExpressionAttributeValues: {
        ':count': change.count,
        ':firstSeen': change.firstSeen,
        ':lastSeen': change.lastSeen,
        ':eventIds': [...change.eventIds],
        ':rev': change.rev,
        ...(change.expectedRev === null ? {} : { ':expectedRev': change.expectedRev }),
        ...(takeOver ? { ':claimedAt': change.claimedAt, ':claimedBy': change.claimedBy } : {}),
      },
    },
  };
}

/**
 * Writes `entries` in transaction-sized groups, TRANSACT_CONCURRENCY at a time; calls `settle`
 * for each entry with its condition failure (undefined: written).
 */
async function writeAll<T>(
  ctx: FindingTableContext,
  entries: readonly T[],
  bytesOf: (entry: T) => number,
  actionOf: (entry: T) => WriteAction,
  settle: (entry: T, failure: ConditionFailure | undefined) => void,
): Promise<void> {
  await mapLimit(sizedGroups(entries, bytesOf), TRANSACT_CONCURRENCY, async (group) => {
    const failures = await submitActions(ctx.client, 'recordFindings', group.map(actionOf), ctx.write);
    const byIndex = new Map(failures.map((f) => [f.index, f]));
    group.forEach((entry, index) => settle(entry, byIndex.get(index)));
  });
}

type Create = { finding: Finding; decision: Extract<Decision, { kind: 'create' }> };
type Known = { finding: Finding; decision: Exclude<Decision, { kind: 'create' }> };


/**
 * recordFindings over DynamoDB; `findings` are validated and distinct by key.
 * If it throws part-way, the claims already written stay PENDING and the next run, re-reading the
 * overlapping window, meets them as `pending`: nothing is lost, at worst a count update is late.
 */
export async function recordFindingsInTable(
  ctx: FindingTableContext,
  findings: readonly Finding[],
  now: number,
  dedupeWindowMs: number,
  claim?: ClaimOptions,
): Promise<RecordOutcome> {
  const keyOf = (f: Finding): string => findingKey(f.huntId, f.fingerprint, ctx.tenant);
  const outcome = emptyOutcome();
  let todo = findings;
  let known: Map<string, Record<string, unknown>> | null = null;
  for (let round = 1; todo.length > 0; round++) {
    if (round > MAX_ROUNDS) throw new RecordContentionError(todo.map(keyOf), MAX_ROUNDS);
    const batch = todo;
    const stored = known ?? (await batchGetItems(ctx.client, ctx.tableName, batch.map(keyOf), ctx.batchGet));
    const decisions = batch.map((finding) => {
      const raw = stored.get(keyOf(finding));
      return { finding, decision: decide(finding, raw === undefined ? undefined : readStoredState(raw, finding), now, dedupeWindowMs, claim, ctx.tenant) };
    });

    const retry: Finding[] = [];
    const seen = new Map<string, Record<string, unknown>>();
    let reread = false;
    const creates = decisions.filter((d): d is Create => d.decision.kind === 'create');
    await writeAll(ctx, creates, (c) => itemBytes(c.decision.record), (c) => claimOf(ctx, c.decision.record, now), ({ finding, decision }, failure) => {
      if (failure === undefined) return void outcome.created.push(decision.tracked);
      // Claimed by another run since the read: classified next round from the item it returned.
      retry.push(finding);
      if (failure.item === undefined) reread = true;
      else seen.set(decision.key, failure.item);
    });

    const existing = decisions.filter((d): d is Known => d.decision.kind !== 'create');
    const changes = existing.flatMap(({ decision: d }) => (d.change === null ? [] : [{ key: d.key, change: d.change }]));
    const lost = new Set<string>();
    // An update's size: its key, its event ids (the one long field) and the fixed overhead.
    await writeAll(ctx, changes, (u) => UPDATE_OVERHEAD_BYTES + u.key.length + JSON.stringify(u.change.eventIds).length, (u) => updateOf(ctx, u.key, u.change), (u, failure) => {
      if (failure !== undefined) lost.add(u.key);
    });
    for (const { finding, decision } of existing) {
      if (lost.has(decision.key)) {
        // Its rev moved (another writer merged in between): re-read and merge again.
        retry.push(finding);
        reread = true;
      } else {
        outcome[LIST_OF[decision.kind]].push(decision.tracked);
      }
    }
    todo = retry;
    known = reread ? null : seen;
  }
  // Parallel writes finish in any order; hand back the caller's order, as the file adapter does.
  const order = new Map(findings.map((f, i) => [keyOf(f), i]));
  const byInput = (a: Finding, b: Finding): number => (order.get(keyOf(a)) ?? 0) - (order.get(keyOf(b)) ?? 0);
  return {
    created: outcome.created.sort(byInput), pending: outcome.pending.sort(byInput), repeats: outcome.repeats.sort(byInput),
    ...(claim === undefined ? {} : { inFlight: outcome.inFlight.sort(byInput) }),
  };
}
