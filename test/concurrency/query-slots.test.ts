/**
 * One query budget, executed: the BUILT handler in five processes at once (the three hunts of
 * hunts/ on their schedule and two backfill chunks, with their target confirmations) over one DynamoDB Local and one local XSIAM
 * whose queries take seconds. The local XSIAM refuses a fifth parallel query as the real one does;
 * the product's query slots keep it at three, and every run completes. A slot left by a Lambda
 * that died frees itself when its lease runs out; a run that gets no slot before its deadline ends
 * cleanly, its checkpoint where it was.
 */
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENV } from '../../lambda/config.js';
import { EMBEDDED_HUNTS, DEFAULT_HUNT_ID } from '../../lambda/modules/index.js';
import { checkpointKey, querySlotKey } from '../../lambda/state/index.js';
import type { EventRow, LocalXsiam } from '../../local/xsiam/index.js';
import { wmicRow } from '../integration/harness.js';
import { freshTable, localClient } from '../state/dynamo-support.js';
import { startPeers, type Peers } from '../support/peers.js';
import { buildHandler, type BuiltHandler, type Invocation } from './built-handler.js';

const MIN = 60_000;
const KEY = { keyId: '7', key: 'query-slots-test-key-0123456789abcdef' };
const NOW = Date.now();
const HUNT_IDS = EMBEDDED_HUNTS.map((h) => h.card.id);

let handler: BuiltHandler;
let xsiam: LocalXsiam;
let peers: Peers;
const events: EventRow[] = [];

beforeAll(async () => {
  for (let i = 0; i < 6; i++) events.push(wmicRow(NOW - (170 - i * 25) * MIN, `WS-${i}`, `wmic /node:"SRV-${i}" process call create "cmd.exe /c whoami"`));
  handler = await buildHandler();
  // Each query runs for 4 s, so five runs started together overlap in XSIAM.
  peers = await startPeers({ events: () => events, credentials: KEY, quota: 1000, completionDelayMs: 4_000 }, { subscriptions: [{ protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:111122223333:audit' }] });
  ({ xsiam } = peers);
}, 120_000);

afterAll(async () => {
  await handler?.close();
  await peers?.close();
});

async function envWithTable(label: string): Promise<{ env: Record<string, string>; tableName: string }> {
  const endpoint = inject('dynamoDbEndpoint');
  const tableName = await freshTable(localClient(endpoint), label);
  return {
    tableName,
    env: peers.env(endpoint, tableName, {
      [ENV.initialLookbackMinutes]: '60', [ENV.ingestLagMinutes]: '1', [ENV.confirmTargets]: 'false',
      POWERTOOLS_LOG_LEVEL: 'ERROR', NODE_OPTIONS: '--no-warnings',
    }),
  };
}

/** Holds every slot for a Lambda that died mid-query: its lease runs until `leaseUntil`. */
async function crashedHolder(tableName: string, leaseUntil: number): Promise<void> {
  const doc = DynamoDBDocumentClient.from(localClient(inject('dynamoDbEndpoint')));
  for (let slot = 0; slot < 3; slot++) {
    await doc.send(new PutCommand({ TableName: tableName, Item: { pk: querySlotKey('default', slot), owner: `dead-lambda-${slot}`, leaseUntil, acquiredAt: Date.now(), expiresAt: Math.ceil(leaseUntil / 1000) + 86_400 } }));
  }
}

const scheduled = (huntId: string): Record<string, unknown> => ({ huntId });
const chunk = (fromMin: number, toMin: number): Record<string, unknown> => ({ action: 'hunt-window', window: { from: NOW - fromMin * MIN, to: NOW - toMin * MIN }, shadow: false });

describe('the tenant query budget over the built handler', () => {
  it('keeps three hunts and two backfill chunks at three XSIAM queries at once, and completes all of them', async () => {
    expect(HUNT_IDS.length).toBeGreaterThanOrEqual(3);
    const { env: base } = await envWithTable('slots-five');
    // Target confirmation on: the runs that notify pairs start confirmation queries too.
    const env = { ...base, [ENV.confirmTargets]: 'true' };
    const before = { started: xsiam.stats.queriesStarted, rejected: xsiam.stats.parallelRejections };
    const jobs = [...HUNT_IDS.slice(0, 3).map(scheduled), chunk(180, 120), chunk(120, 60)];
    const outcomes: Invocation[] = await Promise.all(jobs.map((job) => handler.invoke(job, env)));

    expect(outcomes.map((o) => o.ok ? 'ok' : `${o.error}: ${o.message}`)).toEqual(jobs.map(() => 'ok'));
    for (const o of outcomes.slice(0, 3)) expect(o.result).toMatchObject({ status: 'completed', querySlotUnavailable: 0 });
    const confirmations = outcomes.reduce((n, o) => n + Number(o.result?.['confirmQueries'] ?? 0), 0);
    expect(confirmations).toBeGreaterThan(0);
    expect(xsiam.stats.queriesStarted - before.started).toBeGreaterThanOrEqual(jobs.length + confirmations);
    // Five queries of 4 s each were wanted at once: three ran, the others waited for a slot.
    expect(xsiam.stats.peakRunning).toBe(3);
    expect(xsiam.stats.parallelRejections - before.rejected).toBe(0);
  }, 240_000);

  it("frees a dead Lambda's slots when their lease runs out, and the waiting run completes", async () => {
    const { env, tableName } = await envWithTable('slots-crash');
    await crashedHolder(tableName, Date.now() + 3_000);
    const started = Date.now();
    const outcome = await handler.invoke(scheduled(DEFAULT_HUNT_ID), env);

    expect(outcome).toMatchObject({ ok: true, result: { status: 'completed', querySlotUnavailable: 0, chunks: 1 } });
    // It waited out the lease and the clock-skew slack (2 s) before its query could start.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    const doc = DynamoDBDocumentClient.from(localClient(inject('dynamoDbEndpoint')));
    const owners = await Promise.all([0, 1, 2].map(async (slot) => (await doc.send(new GetCommand({ TableName: tableName, Key: { pk: querySlotKey('default', slot) } }))).Item?.['owner']));
    // The run released the one it took over; the other dead leases are still in place, expired.
    expect(owners.filter((o) => o === undefined)).toHaveLength(1);
  }, 120_000);

  it('ends a run that gets no slot before its deadline cleanly: counted, partial, checkpoint not written', async () => {
    const { env, tableName } = await envWithTable('slots-none');
    await crashedHolder(tableName, Date.now() + 10 * MIN);
    // 40 s of Lambda time: the query's deadline is 10 s (safety) + 20 s (commit reserve) earlier, the wait 5 s before that.
    const outcome = await handler.invoke(scheduled(DEFAULT_HUNT_ID), env, 40_000);

    expect(outcome).toMatchObject({ ok: true, result: { status: 'partial', querySlotUnavailable: 1, chunks: 0, rows: 0 } });
    const doc = DynamoDBDocumentClient.from(localClient(inject('dynamoDbEndpoint')));
    expect((await doc.send(new GetCommand({ TableName: tableName, Key: { pk: checkpointKey(DEFAULT_HUNT_ID) } }))).Item).toBeUndefined();
  }, 120_000);
});
