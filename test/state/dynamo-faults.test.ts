/**
 * Faults DynamoDB Local cannot produce on demand (UnprocessedKeys, throttling, cancelled
 * transactions), injected at the Document client with aws-sdk-client-mock.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DynamoStateStore,
  RecordContentionError,
  StateBackendError,
  StateThrottledError,
  UnprocessedKeysError,
  findingKey,
} from '../../lambda/state/index.js';
import { DAY, T0, makeFinding, makeFindings } from '../fixtures/state/findings.js';

const TABLE = 'hunt-table';
const WINDOW = DAY;
const meta = { $metadata: {} };

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
const ddb = mockClient(doc);
let sleeps: number[];

function store(attempts = 4): DynamoStateStore {
  return new DynamoStateStore({
    client: doc,
    tableName: TABLE,
    batchGetAttempts: attempts,
    sleep: async (ms) => void sleeps.push(ms),
  });
}

const keysOf = (list: readonly { huntId: string; fingerprint: string }[]) => list.map((f) => ({ pk: findingKey(f.huntId, f.fingerprint) }));

beforeEach(() => {
  ddb.reset();
  sleeps = [];
});

describe('DynamoStateStore under injected faults', () => {
  it('retries UnprocessedKeys with growing back-off until they drain', async () => {
    const findings = makeFindings('h', 4);
    ddb.on(BatchGetCommand)
      .resolvesOnce({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: keysOf(findings.slice(1)) } } })
      .resolvesOnce({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: keysOf(findings.slice(3)) } } })
      .resolves({ Responses: { [TABLE]: [] } });
    ddb.on(PutCommand).resolves({});
    const out = await store().recordFindings(findings, T0, WINDOW);
    expect(out.created).toHaveLength(4);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 3);
    expect(ddb.commandCalls(BatchGetCommand)[2]?.args[0].input).toEqual({ RequestItems: { [TABLE]: { Keys: keysOf(findings.slice(3)), ConsistentRead: true } } });
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]!).toBeLessThanOrEqual(50);
    expect(sleeps[1]!).toBeGreaterThanOrEqual(50);
  });

  it('gives up with UnprocessedKeysError when keys never drain, writing nothing', async () => {
    const findings = makeFindings('h', 3);
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: keysOf(findings.slice(1)) } } });
    const err = await store(3).recordFindings(findings, T0, WINDOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnprocessedKeysError);
    expect(err).toMatchObject({ remaining: 2, attempts: 3, retryable: true });
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 3);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('splits more than 100 keys into BatchGetItem calls of at most 100', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    ddb.on(PutCommand).resolves({});
    await store().recordFindings(makeFindings('h', 201), T0, WINDOW);
    const sizes = ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.[TABLE]?.Keys?.length);
    expect(sizes.sort()).toEqual([1, 100, 100]);
  });

  it('keeps throttling recognisable: ProvisionedThroughputExceeded becomes a retryable StateThrottledError', async () => {
    const cause = new ProvisionedThroughputExceededException({ message: 'slow down', ...meta });
    ddb.on(BatchGetCommand).rejects(cause);
    const err = await store().recordFindings([makeFinding('h', 1)], T0, WINDOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateThrottledError);
    expect(err).toMatchObject({ code: 'ProvisionedThroughputExceededException', retryable: true, operation: 'recordFindings' });
    expect((err as Error).cause).toBe(cause);
  });

  it('translates throttling on the lease and the checkpoint too', async () => {
    ddb.on(PutCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} }));
    await expect(store().acquireLease('h', 'run', T0, 1000)).rejects.toThrow(StateThrottledError);
    await expect(store().writeCheckpoint('h', { coveredUntil: T0, lastRunStatus: 'OK' }, null, T0)).rejects.toMatchObject({
      name: 'StateThrottledError', operation: 'writeCheckpoint',
    });
  });

  it('retries a merge transaction cancelled by throttling (6 attempts by default), then reports StateThrottledError', async () => {
    const findings = makeFindings('h', 2);
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: findings.map((f) => ({ pk: findingKey('h', f.fingerprint), status: 'NOTIFIED', count: 1, eventIds: [], firstSeen: f.firstSeen, lastSeen: f.lastSeen, expiresAt: T0 / 1000 + 60, rev: 1 })) } });
    ddb.on(TransactWriteCommand).rejects(new TransactionCanceledException({ message: 'cancelled', ...meta, CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }] }));
    const err = await store().recordFindings(findings, T0, WINDOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateThrottledError);
    expect(err).toMatchObject({ code: 'ThrottlingError', retryable: true });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 6);
    expect(sleeps).toHaveLength(5);
  });

  it('reports contention that never settles as RecordContentionError after bounded rounds', async () => {
    const findings = makeFindings('h', 2);
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: findings.map((f) => ({ pk: findingKey('h', f.fingerprint), status: 'PENDING', count: 1, eventIds: [], firstSeen: f.firstSeen, lastSeen: f.lastSeen, expiresAt: T0 / 1000 + 60, rev: 7 })) } });
    ddb.on(TransactWriteCommand).rejects(new TransactionCanceledException({ message: 'cancelled', ...meta, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed' }] }));
    const err = await store().recordFindings(findings, T0, WINDOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordContentionError);
    expect((err as RecordContentionError).keys).toHaveLength(2);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 4);
  });

  it('re-reads when a failed claim carries no ALL_OLD item, then classifies from the read', async () => {
    const f = makeFinding('h', 1);
    const winner = { pk: findingKey('h', f.fingerprint), status: 'NOTIFIED', count: 1, eventIds: f.eventIds, firstSeen: f.firstSeen, lastSeen: f.lastSeen, expiresAt: T0 / 1000 + 60, rev: 2 };
    ddb.on(BatchGetCommand).resolvesOnce({ Responses: { [TABLE]: [] } }).resolves({ Responses: { [TABLE]: [winner] } });
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', ...meta }));
    const out = await store().recordFindings([f], T0, WINDOW);
    expect(out.repeats.map((r) => r.fingerprint)).toEqual([f.fingerprint]);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 2);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('marks a server fault retryable and a validation error not', async () => {
    ddb.on(UpdateCommand).rejectsOnce(new InternalServerError({ message: 'oops', ...meta }))
      .rejects(Object.assign(new Error('bad'), { name: 'ValidationException', $fault: 'client', $metadata: {} }));
    await expect(store().markNotified('h', ['f1'], T0)).rejects.toMatchObject({ name: 'StateBackendError', code: 'InternalServerError', retryable: true });
    const err = await store().markNotified('h', ['f1'], T0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateBackendError);
    expect(err).toMatchObject({ code: 'ValidationException', retryable: false });
  });

  it('lets errors that are not AWS errors through unchanged', async () => {
    const bug = new TypeError('not an SDK error');
    ddb.on(BatchGetCommand).rejects(bug);
    await expect(store().recordFindings([makeFinding('h', 1)], T0, WINDOW)).rejects.toBe(bug);
  });

  it('treats a network failure as a retryable backend error', async () => {
    ddb.on(GetCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    await expect(store().readCheckpoint('h')).rejects.toMatchObject({ name: 'StateBackendError', code: 'ECONNREFUSED', retryable: true });
  });
});
