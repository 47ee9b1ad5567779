/**
 * DynamoDB side of finding dedupe: the pure decisions of records.ts turned into requests.
 * Known keys: BatchGetItem. Unknown or expired: conditional Put (the claim). Changed known
 * items: guarded updates, batched in transactions. Unchanged: no write at all.
 */
import { PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Finding } from '../finding.js';
import type { RecordOutcome } from '../ports.js';
import { batchGetItems, type BatchGetOptions } from './dynamo-batch.js';
import { decodeItem } from './dynamo-codec.js';
import { guarded, isConditionalCheckFailed } from './dynamo-errors.js';
import { RecordContentionError, StateBackendError, StateThrottledError } from './errors.js';
import { chunk, mapLimit } from './limit.js';
import { findingKey } from './keys.js';
import { decide, readStoredState, type Decision, type FindingChange, type FindingRecord } from './records.js';
import { epochSeconds } from './time.js';

export interface FindingTableContext {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly batchGet: BatchGetOptions;
}

/** Rounds of read-decide-write before concurrent writers are reported (each round re-reads only the losers). */
const MAX_ROUNDS = 4;
const TRANSACT_LIMIT = 100;
/** Under the 4 MB transaction cap, with room for names and overhead. */
const TRANSACT_BYTES = 3_500_000;
const WRITE_CONCURRENCY = 8;

type ClaimResult = { ok: true } | { ok: false; item: Record<string, unknown> | undefined };

/** Conditional put: succeeds only when the key is free or its item expired. */
async function claim(ctx: FindingTableContext, record: FindingRecord, now: number): Promise<ClaimResult> {
  try {
    await ctx.client.send(new PutCommand({
      TableName: ctx.tableName,
      Item: record,
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSeconds',
      ExpressionAttributeValues: { ':nowSeconds': epochSeconds(now) },
      // The winner's item comes back with the failure, free: no extra read to classify the race.
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
    return { ok: true };
  } catch (err) {
    if (isConditionalCheckFailed(err)) return { ok: false, item: decodeItem(err.Item) };
    throw err;
  }
}

function updateOf(ctx: FindingTableContext, key: string, change: FindingChange) {
  return {
    TableName: ctx.tableName,
    Key: { pk: key },
    UpdateExpression: 'SET #count = :count, #firstSeen = :firstSeen, #lastSeen = :lastSeen, #eventIds = :eventIds, #rev = :rev',
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
    },
  };
}

/** Groups updates into transactions under the action and size limits. */
function transactionGroups(updates: readonly { key: string; change: FindingChange }[]): { key: string; change: FindingChange }[][] {
  const groups: { key: string; change: FindingChange }[][] = [];
  let bytes = 0;
  for (const u of updates) {
    const size = 200 + u.key.length + JSON.stringify(u.change.eventIds).length;
    const last = groups[groups.length - 1];
    if (last === undefined || last.length >= TRANSACT_LIMIT || bytes + size > TRANSACT_BYTES) {
      groups.push([u]);
      bytes = size;
    } else {
      last.push(u);
      bytes += size;
    }
  }
  return groups;
}

/** Writes one group; returns false when a guard failed (someone else wrote one of its items). */
async function writeGroup(ctx: FindingTableContext, group: readonly { key: string; change: FindingChange }[]): Promise<boolean> {
  try {
    if (group.length === 1) {
      // A lone update needs no transaction (which would cost twice the write capacity).
      const only = group[0] as { key: string; change: FindingChange };
      await ctx.client.send(new UpdateCommand(updateOf(ctx, only.key, only.change)));
    } else {
      await ctx.client.send(new TransactWriteCommand({ TransactItems: group.map((u) => ({ Update: updateOf(ctx, u.key, u.change) })) }));
    }
    return true;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return false;
    if (err instanceof Error && err.name === 'TransactionCanceledException') return cancelledForContention(err);
    throw err;
  }
}

/** A cancelled transaction: contention means "re-read and retry"; throttling or anything else is an error. */
function cancelledForContention(err: Error): boolean {
  const codes = ((err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((r) => r.Code ?? 'None');
  const failed = codes.filter((c) => c !== 'None');
  if (failed.length > 0 && failed.every((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict')) return false;
  const code = failed.find((c) => c === 'ThrottlingError' || c === 'ProvisionedThroughputExceeded');
  if (code !== undefined) throw new StateThrottledError('recordFindings', code, { cause: err });
  throw new StateBackendError('recordFindings', `TransactionCanceled:${failed.join(',') || 'unknown'}`, false, { cause: err });
}

const keyOf = (f: Finding): string => findingKey(f.huntId, f.fingerprint);

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
): Promise<RecordOutcome> {
  const outcome = { created: [], pending: [], repeats: [] } as { [K in keyof RecordOutcome]: RecordOutcome[K][number][] };
  let todo = findings;
  let known: Map<string, Record<string, unknown>> | null = null;
  for (let round = 1; todo.length > 0; round++) {
    if (round > MAX_ROUNDS) throw new RecordContentionError(todo.map(keyOf), MAX_ROUNDS);
    const batch = todo;
    const stored = known ?? (await batchGetItems(ctx.client, ctx.tableName, batch.map(keyOf), ctx.batchGet));
    const decisions = batch.map((finding) => {
      const raw = stored.get(keyOf(finding));
      return { finding, decision: decide(finding, raw === undefined ? undefined : readStoredState(raw, finding), now, dedupeWindowMs) };
    });

    const retry: Finding[] = [];
    const seen = new Map<string, Record<string, unknown>>();
    let reread = false;
    const creates = decisions.filter((d) => d.decision.kind === 'create');
    await mapLimit(creates, WRITE_CONCURRENCY, async ({ finding, decision }) => {
      if (decision.kind !== 'create') return;
      const result = await guarded('recordFindings', () => claim(ctx, decision.record, now));
      if (result.ok) return void outcome.created.push(decision.tracked);
      retry.push(finding);
      if (result.item === undefined) reread = true;
      else seen.set(decision.key, result.item);
    });

    const existing = decisions.filter((d): d is { finding: Finding; decision: Exclude<Decision, { kind: 'create' }> } => d.decision.kind !== 'create');
    const groups = transactionGroups(existing.flatMap(({ decision: d }) => (d.change === null ? [] : [{ key: d.key, change: d.change }])));
    const lost = new Set<string>();
    await mapLimit(groups, WRITE_CONCURRENCY, async (group) => {
      if (!(await guarded('recordFindings', () => writeGroup(ctx, group)))) for (const u of group) lost.add(u.key);
    });
    for (const { finding, decision } of existing) {
      if (lost.has(decision.key)) {
        retry.push(finding);
        reread = true;
      } else {
        (decision.kind === 'pending' ? outcome.pending : outcome.repeats).push(decision.tracked);
      }
    }
    todo = retry;
    known = reread ? null : seen;
  }
  // Parallel writes finish in any order; hand back the caller's order, as the file adapter does.
  const order = new Map(findings.map((f, i) => [keyOf(f), i]));
  const byInput = (a: Finding, b: Finding): number => (order.get(keyOf(a)) ?? 0) - (order.get(keyOf(b)) ?? 0);
  return { created: outcome.created.sort(byInput), pending: outcome.pending.sort(byInput), repeats: outcome.repeats.sort(byInput) };
}
