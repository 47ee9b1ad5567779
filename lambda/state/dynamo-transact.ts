/**
 * Conditional writes in bulk: up to 100 actions per TransactWriteItems, each action's condition
 * judged on its own. A transaction cancelled because some conditions failed is re-submitted
 * without those actions, so the caller learns exactly which failed (with the ALL_OLD item when
 * asked for) while every other action still lands. Throttling and conflicts back off and retry.
 */
import { PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { decodeItem } from './dynamo-codec.js';
import { isConditionalCheckFailed, translateDynamoError } from './dynamo-errors.js';
import { StateBackendError, StateThrottledError } from './errors.js';
import { backoffMs, type RetryOptions } from './retry.js';

/** The API's limit of actions per transaction. */
export const TRANSACT_LIMIT = 100;
/** Under the 4 MB transaction cap, with room for attribute names, type tags and overhead. */
export const TRANSACT_BYTES = 3_500_000;
/** Transactions in flight at once: enough to overlap round trips, few enough not to self-throttle. */
export const TRANSACT_CONCURRENCY = 4;
/**
 * Bytes added to an update's estimate for what its counted text leaves out: attribute names and
 * the few number fields (count, first/last seen, rev). Generous on purpose: an overestimate only
 * makes transactions smaller, and one DynamoDB still finds too large is halved ('too-large' below).
 */
export const UPDATE_OVERHEAD_BYTES = 200;
/** Margin on top of an item's JSON length, for the same reason as UPDATE_OVERHEAD_BYTES. */
const ITEM_MARGIN_BYTES = 100;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export type WriteAction = { readonly Put: NonNullable<TransactItem['Put']> } | { readonly Update: NonNullable<TransactItem['Update']> };

/** An action whose condition did not hold; `item` is the stored item when ALL_OLD was asked for. */
export interface ConditionFailure {
  /** Position of the action in the list given to submitActions. */
  readonly index: number;
  readonly item: Record<string, unknown> | undefined;
}

/** Cancellation reasons that go away with time: the same actions are sent again after a back-off. */
const TRANSIENT_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'TransactionConflict']);

type Sent =
  | { readonly kind: 'written' }
  | { readonly kind: 'conditions'; readonly failed: readonly { position: number; item: Record<string, unknown> | undefined }[] }
  | { readonly kind: 'transient'; readonly code: string; readonly error: unknown }
  | { readonly kind: 'too-large' };

interface Pending {
  readonly action: WriteAction;
  readonly index: number;
}

/** Splits `entries` into transaction-sized groups: at most 100 actions and TRANSACT_BYTES estimated. */
export function sizedGroups<T>(entries: readonly T[], bytesOf: (entry: T) => number): T[][] {
  const groups: T[][] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = bytesOf(entry);
    const last = groups[groups.length - 1];
    if (last === undefined || last.length >= TRANSACT_LIMIT || bytes + size > TRANSACT_BYTES) {
      groups.push([entry]);
      bytes = size;
    } else {
      last.push(entry);
      bytes += size;
    }
  }
  return groups;
}

/**
 * Estimated upper bound of an item's size as DynamoDB counts it against the 4 MB transaction cap
 * (attribute names plus values): its JSON spells out every name and value and adds quotes and
 * separators, so it is longer than DynamoDB's measure; the margin covers the rest.
 */
export function itemBytes(item: unknown): number {
  return Buffer.byteLength(JSON.stringify(item)) + ITEM_MARGIN_BYTES;
}

function reasonsOf(err: Error): { Code?: string; Item?: unknown }[] | undefined {
  const reasons = (err as { CancellationReasons?: unknown }).CancellationReasons;
  return Array.isArray(reasons) ? (reasons as { Code?: string; Item?: unknown }[]) : undefined;
}

/** What a cancelled transaction means for its actions (reasons come in request order). */
function cancelled(err: Error, count: number, operation: string): Sent {
  const reasons = reasonsOf(err);
  if (reasons === undefined || reasons.length !== count) {
    throw new StateBackendError(operation, 'TransactionCanceled:unreadable', false, { cause: err });
  }
  const codes = reasons.map((r) => r.Code ?? 'None');
  const fatal = codes.filter((c) => c !== 'None' && c !== 'ConditionalCheckFailed' && !TRANSIENT_REASONS.has(c));
  if (fatal.length > 0) throw new StateBackendError(operation, `TransactionCanceled:${[...new Set(fatal)].join(',')}`, false, { cause: err });
  const failed = reasons.flatMap((r, position) => (r.Code === 'ConditionalCheckFailed' ? [{ position, item: decodeItem(r.Item) }] : []));
  if (failed.length > 0) return { kind: 'conditions', failed };
  const code = codes.find((c) => TRANSIENT_REASONS.has(c));
  if (code === undefined) throw new StateBackendError(operation, 'TransactionCanceled:unknown', false, { cause: err });
  return { kind: 'transient', code, error: err };
}

/** One request: a lone action as a plain Put/Update (a transaction costs twice the capacity), else a transaction. */
async function sendOnce(client: DynamoDBDocumentClient, operation: string, actions: readonly WriteAction[]): Promise<Sent> {
  try {
    const only = actions.length === 1 ? actions[0] : undefined;
    if (only === undefined) await client.send(new TransactWriteCommand({ TransactItems: [...actions] }));
    else if ('Put' in only) await client.send(new PutCommand(only.Put));
    else await client.send(new UpdateCommand(only.Update));
    return { kind: 'written' };
  } catch (err) {
    if (isConditionalCheckFailed(err)) return { kind: 'conditions', failed: [{ position: 0, item: decodeItem(err.Item) }] };
    if (err instanceof Error && err.name === 'TransactionCanceledException') return cancelled(err, actions.length, operation);
    // Real DynamoDB measures the items an update touches, which the caller cannot see: halve and go on.
    if (err instanceof Error && err.name === 'ValidationException' && actions.length > 1 && /size/i.test(err.message)) return { kind: 'too-large' };
    throw translateDynamoError(err, operation);
  }
}

async function submitPending(client: DynamoDBDocumentClient, operation: string, entries: readonly Pending[], retry: RetryOptions): Promise<ConditionFailure[]> {
  const failures: ConditionFailure[] = [];
  let pending = entries;
  for (let attempt = 1; pending.length > 0; ) {
    const sent = await sendOnce(client, operation, pending.map((p) => p.action));
    if (sent.kind === 'written') break;
    if (sent.kind === 'too-large') {
      const half = Math.ceil(pending.length / 2);
      for (const part of [pending.slice(0, half), pending.slice(half)]) failures.push(...(await submitPending(client, operation, part, retry)));
      break;
    }
    if (sent.kind === 'conditions') {
      // Nothing was written; the others are sent again at once (progress: each pass drops ≥ 1 action).
      const lost = new Set(sent.failed.map((f) => f.position));
      for (const f of sent.failed) failures.push({ index: (pending[f.position] as Pending).index, item: f.item });
      pending = pending.filter((_, position) => !lost.has(position));
      continue;
    }
    if (attempt >= retry.maxAttempts) throw new StateThrottledError(operation, sent.code, { cause: sent.error });
    await retry.sleep(backoffMs(attempt, retry.baseDelayMs));
    attempt += 1;
  }
  return failures;
}

/**
 * Writes every action whose condition holds, in one request when they fit one transaction
 * (callers group with sizedGroups); returns the ones whose condition failed.
 * Throws StateThrottledError when throttling or conflicts outlast `retry.maxAttempts`.
 */
export function submitActions(client: DynamoDBDocumentClient, operation: string, actions: readonly WriteAction[], retry: RetryOptions): Promise<ConditionFailure[]> {
  return submitPending(client, operation, actions.map((action, index) => ({ action, index })), retry);
}
