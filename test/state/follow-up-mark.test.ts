/**
 * The late-evidence follow-up mark as the run reads it (readSentNotice, via recordFindings'
 * repeats) must agree with what the store lets a run claim (claimFollowUps): a pair the run
 * reads as "no follow-up yet" is re-checked against the target and takes one of the storm
 * limit's follow-up slots, so a mark the claim refuses must not read as "none".
 *
 * Both stores, because the claim is each store's own: the file store's check, and on DynamoDB the
 * condition `attribute_not_exists(followUpSent)`, which a stored NULL attribute fails
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html:
 * attribute_not_exists is true only when the attribute is absent; a NULL-typed value exists).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { followUpDue } from '../../lambda/run/stages/confirm.js';
import { findingKey } from '../../lambda/state/keys.js';
import { readSentNotice } from '../../lambda/state/dedupe.js';
import { DynamoStateStore } from '../../lambda/state/index.js';
import { FileStateStore } from '../../local/adapters/index.js';
import { DAY, MINUTE, T0, freshHuntId, makeFinding } from '../fixtures/state/findings.js';
import { freshTable, localClient } from './dynamo-support.js';

const WINDOW = 7 * DAY;
const HORIZON = 60 * MINUTE;
let root: string;
let client: DynamoDBClient;
let tableName: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hunt-follow-up-'));
  client = localClient(inject('dynamoDbEndpoint'));
  tableName = await freshTable(client, 'follow-up-mark');
});
afterAll(async () => {
  client.destroy();
  await rm(root, { recursive: true, force: true });
});

/** Both stores implement every optional part of the port (claimFollowUps among them). */
type StateStore = FileStateStore | DynamoStateStore;
type Edit = (item: Record<string, unknown>) => void;

/** A backend: a fresh store, and a way to change one stored item by hand, as an operator or an old version might. */
interface Backend {
  store(): Promise<StateStore>;
  editItem(store: StateStore, key: string, edit: Edit): Promise<void>;
}

const fileBackend: Backend = {
  store: async () => new FileStateStore({ dir: await mkdtemp(join(root, 'case-')) }),
  async editItem(store, key, edit) {
    const path = (store as FileStateStore).path;
    const doc = JSON.parse(await readFile(path, 'utf8')) as { items: Record<string, Record<string, unknown>> };
    edit(doc.items[key] ?? {});
    await writeFile(path, JSON.stringify(doc));
  },
};

const dynamoBackend: Backend = {
  store: () => Promise.resolve(new DynamoStateStore({ client, tableName })),
  async editItem(_store, key, edit) {
    const doc = DynamoDBDocumentClient.from(client);
    const item = (await doc.send(new GetCommand({ TableName: tableName, Key: { pk: key } }))).Item ?? {};
    edit(item);
    await doc.send(new PutCommand({ TableName: tableName, Item: item }));
  },
};

/** A pair notified `not-seen` at T0 in a fresh store; `edit` then changes its stored item by hand. */
async function notifiedPair(backend: Backend, edit: Edit): Promise<{ store: StateStore; hunt: string; fp: string }> {
  const store = await backend.store();
  const hunt = freshHuntId();
  const f = makeFinding(hunt, 1);
  await store.recordFindings([f], T0, WINDOW, { runId: 'run-a', maxRunMs: 6 * MINUTE });
  await store.markNotified(hunt, [f.fingerprint], T0, new Map([[f.fingerprint, 'not-seen']]));
  await backend.editItem(store, findingKey(hunt, f.fingerprint), edit);
  return { store, hunt, fp: f.fingerprint };
}

async function dueAndClaimed(backend: Backend, edit: Edit): Promise<{ due: boolean; claimed: string[] }> {
  const { store, hunt, fp } = await notifiedPair(backend, edit);
  const later = await store.recordFindings([makeFinding(hunt, 1)], T0 + MINUTE, WINDOW, { runId: 'run-b', maxRunMs: 6 * MINUTE });
  const repeat = later.repeats[0];
  if (repeat === undefined) throw new Error('the pair did not come back as a repeat');
  return { due: followUpDue(repeat, T0 + MINUTE, HORIZON), claimed: await store.claimFollowUps(hunt, [fp], T0 + MINUTE) };
}

describe.each([
  ['file store', fileBackend],
  ['DynamoDB Local', dynamoBackend],
])('the follow-up mark (%s): what the run reads agrees with what the store lets it claim', (_name, backend) => {
  it('a pair with no mark is due and its follow-up can be claimed', async () => {
    const { due, claimed } = await dueAndClaimed(backend, () => undefined);
    expect(due).toBe(true);
    expect(claimed).toHaveLength(1);
  });

  it('a mark set to null by hand reads as sent: the claim refuses it, so the run does not re-check it either', async () => {
    expect(readSentNotice({ notifiedAt: T0, confirmation: 'not-seen', followUpSent: null })).toEqual({ notifiedAt: T0, confirmation: 'not-seen', followUpSent: 0 });
    const { due, claimed } = await dueAndClaimed(backend, (item) => {
      item['followUpSent'] = null;
    });
    expect(claimed).toEqual([]);
    expect(due).toBe(false);
  });
});
