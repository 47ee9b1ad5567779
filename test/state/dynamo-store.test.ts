import { type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DynamoStateStore,
  RECENT_EVENT_IDS_LIMIT,
  StateBackendError,
  checkpointKey,
  findingKey,
  leaseKey,
} from '../../lambda/state/index.js';
import { DAY, MINUTE, T0, freshHuntId, makeFinding, makeFindings } from '../fixtures/state/findings.js';
import { stateStoreContract } from './contract.js';
import { progressContract } from './progress-contract.js';
import { afterFirst, freshTable, localClient, isolatedStore } from './dynamo-support.js';

const WINDOW = 7 * DAY;
let client: DynamoDBClient;
let tableName: string;
let shared: DynamoStateStore;

beforeAll(async () => {
  client = localClient(inject('dynamoDbEndpoint'));
  tableName = await freshTable(client, 'store');
  shared = new DynamoStateStore({ client, tableName });
});
afterAll(() => client.destroy());

/** A store on its own client, so counters and hooks see only this test's requests. */
const isolated = () => isolatedStore(inject('dynamoDbEndpoint'), tableName);

async function rawItem(pk: string): Promise<Record<string, unknown> | undefined> {
  const res = await DynamoDBDocumentClient.from(client).send(new GetCommand({ TableName: tableName, Key: { pk } }));
  return res.Item;
}

describe('DynamoStateStore contract (DynamoDB Local)', () => {
  stateStoreContract(() => shared);
  progressContract(() => shared);
});

describe('DynamoStateStore on DynamoDB Local', () => {
  it('reads 250 known, unchanged findings with exactly 3 requests (BatchGetItem chunks of 100, no writes)', async () => {
    const { store, requests } = isolated();
    const findings = makeFindings(freshHuntId(), 250);
    const first = await store.recordFindings(findings, T0, WINDOW);
    await store.markNotified(findings[0]!.huntId, findings.map((f) => f.fingerprint), T0);
    requests.reset();
    const again = await store.recordFindings(findings, T0 + MINUTE, WINDOW);
    expect(first.created).toHaveLength(250);
    expect(again.repeats).toHaveLength(250);
    expect(Object.fromEntries(requests.byOperation)).toEqual({ BatchGetItem: 3 });
  });

  it('writes 250 changed repeats in 3 transactions (6 requests in all) and counts every new event', async () => {
    const { store, requests } = isolated();
    const findings = makeFindings(freshHuntId(), 250);
    await store.recordFindings(findings, T0, WINDOW);
    requests.reset();
    const changed = findings.map((f) => ({ ...f, eventIds: [...f.eventIds, `${f.fingerprint}-new`], lastSeen: T0 }));
    const out = await store.recordFindings(changed, T0 + MINUTE, WINDOW);
    expect(Object.fromEntries(requests.byOperation)).toEqual({ BatchGetItem: 3, TransactWriteItems: 3 });
    expect(out.pending.every((p) => p.count === 2 && p.lastSeen === T0)).toBe(true);
    expect(await rawItem(findingKey(findings[249]!.huntId, findings[249]!.fingerprint))).toMatchObject({ count: 2, lastSeen: T0 });
  });

  it('updates a single changed repeat with one UpdateItem, not a transaction', async () => {
    const { store, requests } = isolated();
    const f = makeFinding(freshHuntId(), 1);
    await store.recordFindings([f], T0, WINDOW);
    requests.reset();
    await store.recordFindings([{ ...f, lastSeen: T0 }], T0 + MINUTE, WINDOW);
    expect(Object.fromEntries(requests.byOperation)).toEqual({ BatchGetItem: 1, UpdateItem: 1 });
  });

  it('stores the finding item with the attributes infra and operators rely on', async () => {
    const hunt = freshHuntId();
    const f = makeFinding(hunt, 1, { eventIds: ['e1', 'e2'] });
    await shared.recordFindings([f], T0, WINDOW);
    await shared.markNotified(hunt, [f.fingerprint], T0 + 1000);
    const item = await rawItem(findingKey(hunt, f.fingerprint));
    expect(item).toMatchObject({
      pk: `HIT#${hunt}#${f.fingerprint}`,
      sourceHost: f.sourceHost, targetHost: f.targetHost, remoteCommand: f.remoteCommand, user: f.user,
      parentImage: f.parentImage, reasons: f.reasons, riskScore: 85, severity: 'high', suppressed: null,
      firstSeen: f.firstSeen, lastSeen: f.lastSeen, count: 2, status: 'NOTIFIED',
      claimedAt: T0, notifiedAt: T0 + 1000, expiresAt: (T0 + WINDOW) / 1000, eventIds: ['e1', 'e2'],
    });
  });

  it('stores checkpoint and lease items with epoch-second expiresAt on the lease', async () => {
    const hunt = freshHuntId();
    await shared.writeCheckpoint(hunt, { coveredUntil: T0, lastRunStatus: 'OK' }, null, T0);
    await shared.acquireLease(hunt, 'run-1', T0, 10 * MINUTE);
    expect(await rawItem(checkpointKey(hunt))).toEqual({ pk: `CHECKPOINT#${hunt}`, coveredUntil: T0, lastRunStatus: 'OK', version: 1, updatedAt: T0 });
    expect(await rawItem(leaseKey(hunt))).toEqual({ pk: `LEASE#${hunt}`, holder: 'run-1', leaseUntil: T0 + 10 * MINUTE, expiresAt: (T0 + 10 * MINUTE) / 1000 });
  });

  it('claims anew over an expired item that TTL has not deleted yet', async () => {
    const hunt = freshHuntId();
    const f = makeFinding(hunt, 1);
    await shared.recordFindings([f], T0, WINDOW);
    await shared.markNotified(hunt, [f.fingerprint], T0);
    const later = T0 + WINDOW + 5000;
    expect(await rawItem(findingKey(hunt, f.fingerprint))).toMatchObject({ status: 'NOTIFIED' });
    const out = await shared.recordFindings([f], later, WINDOW);
    expect(out.created).toHaveLength(1);
    expect(await rawItem(findingKey(hunt, f.fingerprint))).toMatchObject({ status: 'PENDING', claimedAt: later, notifiedAt: null });
  });

  it('keeps the newest 200 event ids but counts every distinct one', async () => {
    const hunt = freshHuntId();
    const ids = Array.from({ length: 250 }, (_, i) => `e${i}`);
    const f = makeFinding(hunt, 1, { eventIds: ids });
    const first = await shared.recordFindings([f], T0, WINDOW);
    const item = await rawItem(findingKey(hunt, f.fingerprint));
    const again = await shared.recordFindings([{ ...f, eventIds: ids.slice(-RECENT_EVENT_IDS_LIMIT) }], T0 + MINUTE, WINDOW);
    expect(first.created[0]?.count).toBe(250);
    expect(item?.['eventIds']).toEqual(ids.slice(50));
    expect(again.pending[0]?.count).toBe(250);
  });

  it('classifies a pair another run claimed between BatchGet and Put from the ALL_OLD item, without re-reading', async () => {
    const hunt = freshHuntId();
    const f = makeFinding(hunt, 1, { eventIds: ['mine', 'both'] });
    const { store, client: own, requests } = isolated();
    afterFirst(own, 'BatchGetItem', async () => {
      await shared.recordFindings([{ ...f, eventIds: ['theirs', 'both'] }], T0, WINDOW);
      await shared.markNotified(hunt, [f.fingerprint], T0);
    });
    const out = await store.recordFindings([f], T0, WINDOW);
    expect(out.created).toEqual([]);
    expect(out.repeats.map((r) => [r.fingerprint, r.count, r.status])).toEqual([[f.fingerprint, 3, 'NOTIFIED']]);
    expect(Object.fromEntries(requests.byOperation)).toEqual({ BatchGetItem: 1, PutItem: 1, UpdateItem: 1 });
    expect(await rawItem(findingKey(hunt, f.fingerprint))).toMatchObject({ count: 3, eventIds: ['theirs', 'both', 'mine'] });
  });

  it('classifies a race winner that is still unnotified as pending', async () => {
    const hunt = freshHuntId();
    const f = makeFinding(hunt, 1);
    const { store, client: own } = isolated();
    afterFirst(own, 'BatchGetItem', async () => {
      await shared.recordFindings([f], T0, WINDOW);
    });
    const out = await store.recordFindings([f], T0, WINDOW);
    expect(out.pending.map((p) => p.fingerprint)).toEqual([f.fingerprint]);
    expect(out.created).toEqual([]);
  });

  it('loses no count when another writer updates the same items between read and write', async () => {
    const hunt = freshHuntId();
    const [a, b] = makeFindings(hunt, 2);
    await shared.recordFindings([a!, b!], T0, WINDOW);
    const { store, client: own, requests } = isolated();
    afterFirst(own, 'BatchGetItem', async () => {
      await shared.recordFindings([{ ...a!, eventIds: ['x1'] }], T0, WINDOW);
    });
    const out = await store.recordFindings([{ ...a!, eventIds: ['y1'] }, { ...b!, eventIds: ['y2'] }], T0 + MINUTE, WINDOW);
    const counts = Object.fromEntries(out.pending.map((p) => [p.fingerprint, p.count]));
    expect(counts).toEqual({ [a!.fingerprint]: 3, [b!.fingerprint]: 2 });
    expect(requests.byOperation.get('BatchGetItem')).toBe(2);
    expect(await rawItem(findingKey(hunt, a!.fingerprint))).toMatchObject({ count: 3 });
  });

  it('turns a missing table into a StateBackendError that is not retryable', async () => {
    const store = new DynamoStateStore({ client, tableName: 'no-such-table' });
    const err = await store.recordFindings([makeFinding(freshHuntId(), 1)], T0, WINDOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateBackendError);
    expect(err).toMatchObject({ code: 'ResourceNotFoundException', retryable: false, operation: 'recordFindings' });
    expect((err as Error).cause).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('takes over a hand-edited lease whose end is not a number, like the file adapter', async () => {
    const hunt = freshHuntId();
    await DynamoDBDocumentClient.from(client).send(new PutCommand({ TableName: tableName, Item: { pk: leaseKey(hunt), holder: 'ghost', leaseUntil: 'tomorrow' } }));
    expect(await shared.acquireLease(hunt, 'run-1', T0, MINUTE)).toBe(true);
    expect(await rawItem(leaseKey(hunt))).toMatchObject({ holder: 'run-1' });
  });

  it('accepts a ready DynamoDBDocumentClient', async () => {
    const store = new DynamoStateStore({ client: DynamoDBDocumentClient.from(client), tableName });
    const hunt = freshHuntId();
    expect(await store.acquireLease(hunt, 'run', T0, MINUTE)).toBe(true);
  });

  it('rejects a missing table name', () => {
    expect(() => new DynamoStateStore({ client, tableName: '' })).toThrow(/tableName/);
  });
});
