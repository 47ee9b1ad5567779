/**
 * The handler's action events as the state machine and the daily rule send them: validated,
 * a chunk hunted over exactly its window, a shadow deployment that publishes nothing, and the
 * daily shadow report on the ops topic. Real parts: DynamoDB Local, the local XSIAM; SNS and
 * Secrets Manager faked at the SDK level.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { buildAwsPorts } from '../../lambda/aws-ports.js';
import { ENV, loadConfig } from '../../lambda/config.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { asLog, makeHandler } from '../../lambda/lambda-shell.js';
import { SnsOpsPublisher } from '../../lambda/ops-topic.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/telemetry.js';
import { startLocalXsiam, type EventRow, type LocalXsiam } from '../../local/xsiam/index.js';
import { freshTable, localClient } from '../state/dynamo-support.js';
import { snsAcceptsAll, snsMock, wmicRow } from './harness.js';

const KEY = `key-${randomUUID()}`;
const OPS = 'arn:aws:sns:us-east-1:111122223333:ops';
const sm = mockClient(SecretsManagerClient);
let xsiam: LocalXsiam;
let tableName: string;
const events: EventRow[] = [];

beforeAll(async () => {
  xsiam = await startLocalXsiam({ events: () => events, credentials: { keyId: '9', key: KEY } });
  tableName = await freshTable(localClient(inject('dynamoDbEndpoint')), 'actions');
});
afterAll(async () => xsiam.close());
beforeEach(() => {
  sm.reset();
  snsMock.reset();
  snsAcceptsAll();
  snsMock.on(PublishCommand).resolves({ MessageId: randomUUID() });
  sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ tenant: xsiam.url, apiKeyId: '9', apiKey: KEY, keyType: 'advanced' }) });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

function handlerFor(mode: 'live' | 'shadow') {
  const config = loadConfig({
    [ENV.tableName]: tableName, [ENV.topicArn]: 'arn:aws:sns:us-east-1:111122223333:hunt', [ENV.secretId]: 'xsiam/api',
    [ENV.mode]: mode, [ENV.alarmTopicArn]: OPS, [ENV.allowLoopback]: 'true',
  });
  const logger = new Logger({ serviceName: SERVICE_NAME });
  const sns = new SNSClient({ region: 'us-east-1' });
  const ports = buildAwsPorts(config, WMIC_REMOTE_EXEC, asLog(logger), {
    dynamodb: localClient(inject('dynamoDbEndpoint')), sns, secrets: new SecretsManagerClient({ region: 'us-east-1' }),
  });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  return makeHandler({ config, hunt: WMIC_REMOTE_EXEC, logger, metrics, ports, ops: new SnsOpsPublisher(sns, config.alarmTopicArn ?? '') });
}
const context = () => ({ awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 120_000 });
const iso = (ms: number) => new Date(ms).toISOString();

describe('action events', () => {
  it('refuses a malformed event with every problem named, before any work', async () => {
    const handler = handlerFor('live');
    await expect(handler({ action: 'hunt-window', window: { from: '2026-11-29T10:00:00Z', to: 'yesterday' } }, context()))
      .rejects.toMatchObject({ name: 'InvalidEventError', message: expect.stringMatching(/window\.to must be an ISO 8601 time/) });
    await expect(handler({ action: 'hunt-window', window: { from: '2026-11-29T10:00:00Z', to: '2026-11-29T09:00:00Z' } }, context()))
      .rejects.toThrow(/window\.from must be before window\.to/);
    await expect(handler({ action: 'backfil' }, context())).rejects.toThrow(/action must be one of hunt-window, plan-backfill/);
    await expect(handler({ action: 'plan-backfill', input: { from: iso(Date.now()), to: iso(Date.now() + 3_600_000) } }, context()))
      .rejects.toThrow(/in the future/);
    expect(snsMock.calls()).toHaveLength(0);
  });

  it('plans a range into chunk windows the Map hunts, and adds the chunk results up', async () => {
    const handler = handlerFor('live');
    const plan = await handler({ action: 'plan-backfill', input: { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', chunkMinutes: 360 } }, context());
    expect(plan).toMatchObject({ status: 'planned', chunkCount: 4 });
    expect((plan as unknown as { chunks: unknown[] }).chunks[1]).toEqual({ action: 'hunt-window', window: { from: '2026-11-01T06:00:00.000Z', to: '2026-11-01T12:00:00.000Z' }, shadow: false });
    const sum = await handler({ action: 'backfill-summary', results: [{ status: 'completed', notified: 2, rows: 5 }, { status: 'completed', notified: 1, rows: 3 }] }, context());
    expect(sum).toMatchObject({ status: 'backfill-summary', chunks: 2, notified: 3, rows: 8, statuses: { completed: 2 } });
  });

  it('hunts one chunk over exactly its window, leaves the checkpoint alone, and returns counts only', async () => {
    const t = Date.now() - 3 * 3_600_000;
    events.push(wmicRow(t + 60_000, 'WS-CH', 'wmic /node:"chunk-target" process call create "powershell -enc AAAA"'));
    const result = await handlerFor('live')({ action: 'hunt-window', window: { from: iso(t), to: iso(t + 3_600_000) } }, context());
    expect(result).toMatchObject({ status: 'completed', newPairs: 1, notified: 1, window: { from: t, to: t + 3_600_000 } });
    expect(result).not.toHaveProperty('notifications');
    expect(snsMock).toHaveReceivedCommandTimes(PublishBatchCommand, 1);
  });

  it('in a shadow deployment publishes nothing to the findings topic; the daily report lists the pair on the ops topic', async () => {
    const t = Date.now() - 2 * 3_600_000;
    events.push(wmicRow(t + 60_000, 'WS-SH', 'wmic /node:"shadow-target" process call create "powershell -enc BBBB"'));
    const handler = handlerFor('shadow');
    const result = await handler({ action: 'hunt-window', window: { from: iso(t), to: iso(t + 3_600_000) } }, context());
    expect(result).toMatchObject({ newPairs: 1, notified: 0, wouldNotify: 1 });
    expect(snsMock).toHaveReceivedCommandTimes(PublishBatchCommand, 0);

    const report = await handler({ action: 'shadow-report' }, context());
    expect(report).toMatchObject({ status: 'shadow-report-sent', wouldHaveSent: expect.any(Number) });
    const sent = snsMock.commandCalls(PublishCommand);
    expect(sent).toHaveLength(1);
    const input = sent[0]?.args[0].input;
    expect(input?.TopicArn).toBe(OPS);
    expect(input?.Subject).toMatch(/^Hunt shadow report: \d+ notification\(s\) would have been sent by 1 hunt\(s\) in shadow$/);
    expect(input?.Message).toMatch(/\[(high|critical) \d+\] WS-SH -> shadow-target/);
    expect(input?.Message).toMatch(/reasons: .*payload/);

    // Shadow never silences live: the same chunk in a live deployment sends the pair.
    const live = await handlerFor('live')({ action: 'hunt-window', window: { from: iso(t), to: iso(t + 3_600_000) } }, context());
    expect(live).toMatchObject({ recovered: 1, notified: 1 });
  });
});
