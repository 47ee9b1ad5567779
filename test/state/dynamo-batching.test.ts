/**
 * Batched writes on DynamoDB Local: claims and markNotified in transactions of 100, request
 * counts of a storm run, and races that cancel a transaction part-way.
 */
import { type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoStateStore, FindingNotFoundError, findingKey } from '../../lambda/state/index.js';
import { DAY, MINUTE, T0, freshHuntId, makeFinding, makeFindings } from '../fixtures/state/findings.js';
import { afterFirst, freshTable, localClient, isolatedStore } from './dynamo-support.js';

const WINDOW = 7 * DAY;
let client: DynamoDBClient;
let tableName: string;
let shared: DynamoStateStore;

beforeAll(async () => {
  client = localClient(inject('dynamoDbEndpoint'));
  tableName = await freshTable(client, 'batching');
  shared = new DynamoStateStore({ client, tableName });
});
afterAll(() => client.destroy());

/** A store on its own client, so counters and hooks see only this test's requests. */
const isolated = () => isolatedStore(inject('dynamoDbEndpoint'), tableName);

async function rawItem(huntId: string, fingerprint: string): Promise<Record<string, unknown> | undefined> {
  const res = await DynamoDBDocumentClient.from(client).send(new GetCommand({ TableName: tableName, Key: { pk: findingKey(huntId, fingerprint) } }));
  return res.Item;
}

describe('batched writes on DynamoDB Local', () => {
  it('claims 1,000 new pairs in 20 requests: 10 BatchGetItem and 10 TransactWriteItems', async () => {
    const { store, requests } = isolated();
    const hunt = freshHuntId();
    const findings = makeFindings(hunt, 1000);
    const out = await store.recordFindings(findings, T0, WINDOW);
    expect(out.created.map((f) => f.fingerprint)).toEqual(findings.map((f) => f.fingerprint));
    expect(Object.fromEntries(requests.byOperation)).toEqual({ BatchGetItem: 10, TransactWriteItems: 10 });
    expect(requests.total()).toBeLessThanOrEqual(20);
    expect(await rawItem(hunt, findings[999]!.fingerprint)).toMatchObject({ status: 'PENDING', claimedAt: T0, count: 1 });
    const again = await shared.recordFindings(findings, T0 + MINUTE, WINDOW);
    expect(again.pending).toHaveLength(1000);
  });

  it('marks 1,000 findings notified in 10 TransactWriteItems requests', async () => {
    const hunt = freshHuntId();
    const findings = makeFindings(hunt, 1000);
    await shared.recordFindings(findings, T0, WINDOW);
    const { store, requests } = isolated();
    await store.markNotified(hunt, findings.map((f) => f.fingerprint), T0 + 1000);
    expect(Object.fromEntries(requests.byOperation)).toEqual({ TransactWriteItems: 10 });
    expect(requests.total()).toBeLessThanOrEqual(12);
    const later = await shared.recordFindings(findings, T0 + MINUTE, WINDOW);
    expect(later.repeats).toHaveLength(1000);
    expect(await rawItem(hunt, findings[500]!.fingerprint)).toMatchObject({ status: 'NOTIFIED', notifiedAt: T0 + 1000, rev: 2 });
  });

  it('marks the others when items are missing from a transaction, and names the missing ones in input order', async () => {
    const hunt = freshHuntId();
    const findings = makeFindings(hunt, 5);
    await shared.recordFindings(findings, T0, WINDOW);
    const { store, requests } = isolated();
    const asked = ['ghost-b', ...findings.slice(0, 3).map((f) => f.fingerprint), 'ghost-a', ...findings.slice(3).map((f) => f.fingerprint)];
    const err = await store.markNotified(hunt, asked, T0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FindingNotFoundError);
    expect(err).toMatchObject({ huntId: hunt, fingerprints: ['ghost-b', 'ghost-a'] });
    // The cancelled transaction, then the same one without the two missing items.
    expect(Object.fromEntries(requests.byOperation)).toEqual({ TransactWriteItems: 2 });
    for (const f of findings) expect(await rawItem(hunt, f.fingerprint)).toMatchObject({ status: 'NOTIFIED' });
    expect(await rawItem(hunt, 'ghost-a')).toBeUndefined();
  });

  it('classifies pairs another run claimed between read and transaction from the cancellation, and claims the rest', async () => {
    const hunt = freshHuntId();
    const findings = makeFindings(hunt, 5);
    const [notified, unnotified] = [findings[1]!, findings[3]!];
    const { store, client: own, requests } = isolated();
    afterFirst(own, 'BatchGetItem', async () => {
      await shared.recordFindings([{ ...notified, eventIds: ['theirs'] }, unnotified], T0, WINDOW);
      await shared.markNotified(hunt, [notified.fingerprint], T0);
    });
    const out = await store.recordFindings(findings, T0, WINDOW);
    expect(out.created.map((f) => f.fingerprint)).toEqual([findings[0]!, findings[2]!, findings[4]!].map((f) => f.fingerprint));
    expect(out.repeats.map((r) => [r.fingerprint, r.count, r.status])).toEqual([[notified.fingerprint, 2, 'NOTIFIED']]);
    expect(out.pending.map((p) => [p.fingerprint, p.count, p.status])).toEqual([[unnotified.fingerprint, 1, 'PENDING']]);
    // No re-read: the cancellation carried both winners' items. The notified one gains our event id (one UpdateItem).
    expect(Object.fromEntries(requests.byOperation)).toEqual({ BatchGetItem: 1, TransactWriteItems: 2, UpdateItem: 1 });
    expect(await rawItem(hunt, notified.fingerprint)).toMatchObject({ status: 'NOTIFIED', count: 2, eventIds: ['theirs', notified.eventIds[0]] });
    expect(await rawItem(hunt, findings[4]!.fingerprint)).toMatchObject({ status: 'PENDING', claimedAt: T0 });
  });

  it('claims over expired items inside a transaction like over free keys', async () => {
    const hunt = freshHuntId();
    const findings = makeFindings(hunt, 3);
    await shared.recordFindings(findings.slice(0, 2), T0, WINDOW);
    await shared.markNotified(hunt, findings.slice(0, 2).map((f) => f.fingerprint), T0);
    const { store, requests } = isolated();
    const later = T0 + WINDOW + 5000;
    const out = await store.recordFindings(findings, later, WINDOW);
    expect(out.created).toHaveLength(3);
    expect(Object.fromEntries(requests.byOperation)).toEqual({ BatchGetItem: 1, TransactWriteItems: 1 });
    expect(await rawItem(hunt, findings[0]!.fingerprint)).toMatchObject({ status: 'PENDING', claimedAt: later, notifiedAt: null });
  });

  it('keeps large claims under the 4 MB transaction limit by splitting the group', async () => {
    const hunt = freshHuntId();
    // About 60 kB each: 100 of them would be ~6 MB, which DynamoDB refuses as one transaction.
    const findings = Array.from({ length: 100 }, (_, i) => makeFinding(hunt, i, { commandLine: `wmic /node:srv-${i} process call create "${'A'.repeat(60_000)}"` }));
    const { store, requests } = isolated();
    const out = await store.recordFindings(findings, T0, WINDOW);
    expect(out.created).toHaveLength(100);
    expect(requests.byOperation.get('TransactWriteItems')).toBe(2);
  });
});
