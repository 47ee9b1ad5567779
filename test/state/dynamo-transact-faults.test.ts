/**
 * Transaction faults DynamoDB Local cannot produce on demand (throttling and conflict
 * cancellations, refused sizes, unreadable reasons), injected with aws-sdk-client-mock.
 */
import { DynamoDBClient, InternalServerError, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoStateStore, StateBackendError, StateThrottledError, findingKey } from '../../lambda/state/index.js';
import { DAY, T0, makeFindings } from '../fixtures/state/findings.js';

const TABLE = 'hunt-table';
const meta = { $metadata: {} };

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
const ddb = mockClient(doc);
let sleeps: number[];

function store(transactAttempts = 4): DynamoStateStore {
  return new DynamoStateStore({ client: doc, tableName: TABLE, transactAttempts, sleep: async (ms) => void sleeps.push(ms) });
}

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', ...meta, CancellationReasons: codes.map((Code) => ({ Code })) });
const fingerprints = (n: number): string[] => Array.from({ length: n }, (_, i) => `fp-${i}`);

/** The keys the `call`-th TransactWriteItems request wrote. */
const transactKeys = (call: number): unknown[] =>
  (ddb.commandCalls(TransactWriteCommand)[call]?.args[0].input.TransactItems ?? []).map((a) => a.Update?.Key?.['pk'] ?? a.Put?.Item?.['pk']);

beforeEach(() => {
  ddb.reset();
  sleeps = [];
});

describe('markNotified transactions under injected faults', () => {
  it('retries a transaction cancelled by throttling after a back-off, then marks every finding', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ThrottlingError', 'None')).resolves({});
    await store().markNotified('h', fingerprints(3), T0);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    expect(transactKeys(1)).toEqual(fingerprints(3).map((f) => findingKey('h', f)));
    expect(sleeps).toHaveLength(1);
  });

  it('gives up on conflicts that never clear with a retryable StateThrottledError after bounded attempts', async () => {
    const last = cancelled('TransactionConflict', 'None');
    ddb.on(TransactWriteCommand).rejects(last);
    const err = await store(5).markNotified('h', fingerprints(2), T0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateThrottledError);
    expect(err).toMatchObject({ code: 'TransactionConflict', retryable: true, operation: 'markNotified' });
    expect((err as Error).cause).toBe(last);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 5);
    expect(sleeps).toHaveLength(4);
    expect(sleeps[3]!).toBeGreaterThan(sleeps[0]!);
  });

  it('finishes marking the other groups when one group fails, then reports the failure', async () => {
    let marked = 0;
    ddb.on(TransactWriteCommand).rejectsOnce(new InternalServerError({ message: 'oops', ...meta })).callsFake(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      marked += 1;
      return {};
    });
    const err = await store().markNotified('h', fingerprints(500), T0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateBackendError);
    expect(err).toMatchObject({ code: 'InternalServerError', retryable: true, operation: 'markNotified' });
    expect(marked).toBe(4);
  });

  it('halves a group DynamoDB refuses as too large, and marks both halves', async () => {
    ddb.on(TransactWriteCommand)
      .rejectsOnce(Object.assign(new Error('Transaction request cannot be larger than 4 MB: aggregate size exceeded'), { name: 'ValidationException', $fault: 'client', ...meta }))
      .resolves({});
    await store().markNotified('h', fingerprints(6), T0);
    const sizes = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems?.length);
    expect(sizes).toEqual([6, 3, 3]);
  });

  it('reports another validation error as a StateBackendError that is not retryable, without splitting', async () => {
    ddb.on(TransactWriteCommand).rejects(Object.assign(new Error('Invalid UpdateExpression'), { name: 'ValidationException', $fault: 'client', ...meta }));
    const err = await store().markNotified('h', fingerprints(6), T0).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StateBackendError', code: 'ValidationException', retryable: false });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('reports a cancellation for a reason it cannot act on as a StateBackendError naming it', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ValidationError'));
    const err = await store().markNotified('h', fingerprints(2), T0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateBackendError);
    expect(err).toMatchObject({ code: 'TransactionCanceled:ValidationError', retryable: false });
    expect(sleeps).toEqual([]);
  });

  it('reports a cancellation without reasons as unreadable, not as success', async () => {
    ddb.on(TransactWriteCommand).rejects(new TransactionCanceledException({ message: 'Transaction cancelled', ...meta }));
    const err = await store().markNotified('h', fingerprints(2), T0).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StateBackendError', code: 'TransactionCanceled:unreadable' });
  });

  it('marks a single fingerprint with one UpdateItem, not a transaction', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store().markNotified('h', ['only', 'only'], T0);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});

describe('claim transactions under injected faults', () => {
  it('retries a claim transaction cancelled by throttling, then reports every pair created', async () => {
    const findings = makeFindings('h', 3);
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('ProvisionedThroughputExceeded', 'None', 'None')).resolves({});
    const out = await store().recordFindings(findings, T0, DAY);
    expect(out.created).toHaveLength(3);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
    expect(sleeps).toHaveLength(1);
  });

  it('turns claim throttling that outlasts the attempts into StateThrottledError', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    ddb.on(TransactWriteCommand).rejects(cancelled('ThrottlingError', 'ThrottlingError'));
    const err = await store(3).recordFindings(makeFindings('h', 2), T0, DAY).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StateThrottledError', code: 'ThrottlingError', operation: 'recordFindings', retryable: true });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 3);
  });

  it('re-reads a pair whose cancelled claim carries no item, and re-sends the others without it', async () => {
    const findings = makeFindings('h', 3);
    const f = findings[1]!;
    const winner = { pk: findingKey('h', f.fingerprint), status: 'NOTIFIED', count: 1, eventIds: f.eventIds, firstSeen: f.firstSeen, lastSeen: f.lastSeen, expiresAt: T0 / 1000 + 60, rev: 2 };
    ddb.on(BatchGetCommand).resolvesOnce({ Responses: { [TABLE]: [] } }).resolves({ Responses: { [TABLE]: [winner] } });
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed', 'None')).resolves({});
    const out = await store().recordFindings(findings, T0, DAY);
    expect(out.created.map((c) => c.fingerprint)).toEqual([findings[0]!, findings[2]!].map((c) => c.fingerprint));
    expect(out.repeats.map((r) => r.fingerprint)).toEqual([f.fingerprint]);
    expect(transactKeys(1)).toEqual([findings[0]!, findings[2]!].map((c) => findingKey('h', c.fingerprint)));
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 2);
  });
});
