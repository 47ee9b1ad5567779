/**
 * History on DynamoDB Local: requests per call (batched, never one round trip per subject) and a
 * concurrent writer between read and put (the guard fails, the item is re-read and merged).
 */
import { type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dayOf, targetHash, type HistoryUpdate } from '../../lambda/history/index.js';
import { DynamoStateStore } from '../../lambda/state/index.js';
import { T0, freshHuntId } from '../fixtures/state/findings.js';
import { afterFirst, freshTable, isolatedStore, localClient } from './dynamo-support.js';

const D0 = dayOf(T0);
let client: DynamoDBClient;
let tableName: string;
let shared: DynamoStateStore;

beforeAll(async () => {
  client = localClient(inject('dynamoDbEndpoint'));
  tableName = await freshTable(client, 'history');
  shared = new DynamoStateStore({ client, tableName });
});
afterAll(() => client.destroy());

const isolated = () => isolatedStore(inject('dynamoDbEndpoint'), tableName);
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

function bigUpdate(hosts: string[], users: string[]): HistoryUpdate {
  return {
    coveredDays: [D0],
    keepDays: 45,
    sightings: [
      ...hosts.map((name, i) => ({ kind: 'host' as const, name, days: [D0], targets: [targetHash(`srv-${i}`), targetHash(`srv-${i + 1}`)] })),
      ...users.map((name) => ({ kind: 'user' as const, name, days: [D0], targets: [targetHash('srv-0')] })),
    ],
  };
}

describe('history on DynamoDB Local', () => {
  it('reads 150 hosts, 150 users and the coverage in 4 BatchGetItem requests (100 keys each), nothing else', async () => {
    const hunt = freshHuntId();
    await shared.recordHistory(hunt, bigUpdate(names('ws', 150), names('corp\\u', 150)), T0);
    const { store, requests } = isolated();
    const h = await store.readHistory(hunt, { hosts: names('WS', 150), users: names('CORP\\U', 150) }, T0);
    expect(h.hosts.size).toBe(150);
    expect(h.users.size).toBe(150);
    expect(h.coveredDays).toEqual([D0]);
    expect(Object.fromEntries(requests.byOperation)).toEqual({ BatchGetItem: 4 });
  });

  it('records 301 items in 8 requests: 4 BatchGetItem, 3 TransactWriteItems of 100 and one PutItem for the last', async () => {
    const hunt = freshHuntId();
    const { store, requests } = isolated();
    await store.recordHistory(hunt, bigUpdate(names('ws', 150), names('corp\\u', 150)), T0);
    expect(Object.fromEntries(requests.byOperation)).toEqual({ BatchGetItem: 4, TransactWriteItems: 3, PutItem: 1 });
    const h = await shared.readHistory(hunt, { hosts: ['ws-149'], users: ['corp\\u-0'] }, T0);
    expect(h.hosts.get('ws-149')).toMatchObject({ days: [D0], targetCount: 2 });
  });

  it('writes nothing when a chunk adds nothing new (a scheduled run re-reading its overlap on the same day)', async () => {
    const hunt = freshHuntId();
    const u = bigUpdate(names('ws', 3), names('corp\\u', 3));
    await shared.recordHistory(hunt, u, T0);
    const { store, requests } = isolated();
    await store.recordHistory(hunt, u, T0 + 15 * 60_000);
    expect(Object.fromEntries(requests.byOperation)).toEqual({ BatchGetItem: 1 });
  });

  it('merges with a writer that changed an item between read and put: nothing of either is lost', async () => {
    const hunt = freshHuntId();
    await shared.recordHistory(hunt, { coveredDays: [D0 - 2], keepDays: 45, sightings: [{ kind: 'host', name: 'ws-a', days: [D0 - 2], targets: [targetHash('srv-1')] }] }, T0);
    const { store, client: own, requests } = isolated();
    afterFirst(own, 'BatchGetItem', async () => {
      await shared.recordHistory(hunt, { coveredDays: [D0 - 1], keepDays: 45, sightings: [{ kind: 'host', name: 'ws-a', days: [D0 - 1], targets: [targetHash('srv-2')] }] }, T0);
    });
    await store.recordHistory(hunt, { coveredDays: [D0], keepDays: 45, sightings: [{ kind: 'host', name: 'ws-a', days: [D0], targets: [targetHash('srv-3')] }] }, T0);
    const h = await shared.readHistory(hunt, { hosts: ['ws-a'], users: [] }, T0);
    expect(h.hosts.get('ws-a')).toMatchObject({ days: [D0 - 2, D0 - 1, D0], targetCount: 3 });
    expect(h.coveredDays).toEqual([D0 - 2, D0 - 1, D0]);
    // The cancelled transaction, then one re-read and one transaction for the two items that lost.
    expect(Object.fromEntries(requests.byOperation)).toEqual({ BatchGetItem: 2, TransactWriteItems: 2 });
  });
});
