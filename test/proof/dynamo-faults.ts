/**
 * Fault injection on the real DynamoDBClient: a middleware that, on the Nth request of a state-store
 * operation (acquireLease, recordFindings...), throws an SDK-shaped error (the SDK's own exception
 * classes with `$metadata`) or answers BatchGetItem with UnprocessedKeys; every other request goes to
 * DynamoDB Local. Faults are keyed by the store method that is running, not by the wire operation,
 * so they keep meaning the same step when an adapter batches its writes differently.
 */
import {
  ConditionalCheckFailedException,
  InternalServerError,
  TransactionCanceledException,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { StateStore } from '../../lambda/ports.js';

export type StatePhase = keyof StateStore;

export type DynamoFaultKind =
  /** ProvisionedThroughputExceededException (HTTP 400, after the SDK's retries). */
  | 'provisioned'
  /** ThrottlingException (on-demand table throttled). */
  | 'throttling'
  /** InternalServerError (HTTP 500, server fault). */
  | 'server'
  /** ConditionalCheckFailedException without an item (a write that lost to someone else). */
  | 'conditional'
  /** BatchGetItem answers every key as UnprocessedKeys, every time. */
  | 'unprocessed'
  /** BatchGetItem answers every key as UnprocessedKeys once, then drains normally. */
  | 'unprocessed-once'
  /** TransactWriteItems cancelled with ThrottlingError for every action (DynamoDB's in-transaction throttling). */
  | 'cancelled-throttling';

export interface DynamoFault {
  readonly phase: StatePhase;
  readonly kind: DynamoFaultKind;
  /** Which request of that phase fails (1 = the first). @default 1 */
  readonly nth?: number;
  /** Only requests of this wire operation count (e.g. 'TransactWriteItems'). @default any */
  readonly operation?: string;
  /** Only writes count (PutItem, UpdateItem, DeleteItem, TransactWriteItems), whichever form the adapter uses. @default false */
  readonly writesOnly?: boolean;
}

const metadata = (status: number) => ({ httpStatusCode: status, requestId: 'PROOF00000000000000000000000000000000000000000000', attempts: 4, totalRetryDelay: 0 });

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems']);

/** The error DynamoDB gives for `kind` on `op`: a transaction reports conditions and throttling per action. */
function sdkError(kind: Exclude<DynamoFaultKind, 'unprocessed' | 'unprocessed-once'>, op: string, input: unknown): Error {
  const actions = ((input as { TransactItems?: unknown[] }).TransactItems ?? []).length;
  if (op === 'TransactWriteItems' && (kind === 'conditional' || kind === 'cancelled-throttling')) {
    const code = kind === 'conditional' ? 'ConditionalCheckFailed' : 'ThrottlingError';
    // A lost condition fails its own action only; throttling names every action.
    const reasons = Array.from({ length: actions }, (_, i) => ({ Code: kind === 'conditional' && i > 0 ? 'None' : code, Message: code }));
    return new TransactionCanceledException({ message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, CancellationReasons: reasons, $metadata: metadata(400) });
  }
  switch (kind) {
    case 'cancelled-throttling':
    case 'provisioned':
      return new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata: metadata(400) });
    case 'throttling':
      return new ThrottlingException({ message: 'Throughput exceeds the current capacity of your table or index.', $metadata: metadata(400) });
    case 'server':
      return new InternalServerError({ message: 'Internal server error', $metadata: metadata(500) });
    case 'conditional':
      return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: metadata(400) });
  }
}

/** The armed faults of one client, and which store method is running. */
export class DynamoFaults {
  phase: StatePhase | null = null;
  /** Requests seen per `phase:operation`, for reports. */
  readonly seen = new Map<string, number>();
  readonly fired: string[] = [];
  #armed: { fault: DynamoFault; count: number; done: boolean }[] = [];

  constructor(client: DynamoDBClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const op = String(context.commandName ?? 'unknown').replace(/Command$/, '');
        const phase = this.phase;
        this.seen.set(`${phase}:${op}`, (this.seen.get(`${phase}:${op}`) ?? 0) + 1);
        for (const armed of this.#armed) {
          const { fault } = armed;
          if (armed.done || fault.phase !== phase || (fault.operation !== undefined && fault.operation !== op)) continue;
          if (fault.writesOnly === true && !WRITES.has(op)) continue;
          if (fault.kind === 'unprocessed' || fault.kind === 'unprocessed-once') {
            if (op !== 'BatchGetItem') continue;
            if (fault.kind === 'unprocessed-once') armed.done = true;
            // A persistent fault is reported once, however many attempts it answers.
            if (armed.count++ === 0) this.fired.push(`${phase}:${op}:${fault.kind}`);
            const input = args.input as { RequestItems: Record<string, unknown> };
            // Nothing read: every requested key comes back unprocessed, as under throttling.
            return { output: { Responses: {}, UnprocessedKeys: input.RequestItems, $metadata: metadata(200) }, response: {} } as never;
          }
          armed.count += 1;
          if (armed.count === (fault.nth ?? 1)) {
            armed.done = true;
            this.fired.push(`${phase}:${op}:${fault.kind}`);
            throw sdkError(fault.kind, op, args.input);
          }
        }
        return next(args);
      },
      { step: 'initialize', name: 'proofDynamoFaults' },
    );
  }

  arm(fault: DynamoFault): void {
    this.#armed.push({ fault, count: 0, done: false });
  }

  clear(): void {
    this.#armed = [];
  }
}

/** The store with each method call marking its phase on `faults` (the pipeline calls them one at a time). */
export function trackPhases(store: StateStore, faults: DynamoFaults): StateStore {
  const wrap = <K extends StatePhase>(name: K) =>
    (async (...args: unknown[]) => {
      faults.phase = name;
      try {
        return await (store[name] as (...a: unknown[]) => Promise<unknown>).apply(store, args);
      } finally {
        faults.phase = null;
      }
    }) as StateStore[K];
  return {
    acquireLease: wrap('acquireLease'),
    releaseLease: wrap('releaseLease'),
    readCheckpoint: wrap('readCheckpoint'),
    writeCheckpoint: wrap('writeCheckpoint'),
    recordFindings: wrap('recordFindings'),
    markNotified: wrap('markNotified'),
    readIncidents: wrap('readIncidents'),
    writeIncidents: wrap('writeIncidents'),
    recordShadow: wrap('recordShadow'),
    readShadow: wrap('readShadow'),
    readBackfill: wrap('readBackfill'),
    markBackfillChunk: wrap('markBackfillChunk'),
    readHistory: wrap('readHistory'),
    recordHistory: wrap('recordHistory'),
  };
}
