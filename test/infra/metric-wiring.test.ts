/**
 * Alarms and dashboard widgets read the handler's custom metrics by name. This test runs the real
 * handler down every path that emits something (a normal run, a publish SNS refuses, a secret that
 * is empty or missing, a failed run), collects the metric names from the EMF lines it writes, and
 * checks that every custom metric the synthesized alarms and dashboard read is among them. An
 * alarm on a metric no handler path produces can never fire; this is where that shows.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishBatchCommand, SNSClient, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { buildAwsPorts } from '../../lambda/aws-ports.js';
import { ENV, loadConfig } from '../../lambda/config.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { asLog, makeHandler } from '../../lambda/lambda-shell.js';
import { startLocalXsiam, type EventRow, type LocalXsiam } from '../../local/xsiam/index.js';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME, STACK_DIMENSION } from '../../lambda/telemetry.js';
import { STACK_NAME } from '../../infra/hunt-app.js';
import { wmicRow } from '../integration/harness.js';
import { freshTable, localClient } from '../state/dynamo-support.js';
import { synthHunt } from './synth.js';

const sm = mockClient(SecretsManagerClient);
const sns = mockClient(SNSClient);
const API_KEY = `KEY-${randomUUID()}`;
let xsiam: LocalXsiam;
const events: EventRow[] = [];

beforeAll(async () => {
  xsiam = await startLocalXsiam({ events: () => events, credentials: { keyId: '9', key: API_KEY } });
});
afterAll(async () => xsiam.close());

type Outcome = 'returned' | 'threw';

const SCHEDULED_TICK = (): Record<string, unknown> => ({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), detail: {} });
/** A backfill chunk as the state machine sends it: the Map item, over the last two hours. */
const CHUNK = (): Record<string, unknown> => ({
  action: 'hunt-window', shadow: false,
  window: { from: new Date(Date.now() - 2 * 3_600_000).toISOString(), to: new Date(Date.now() - 60_000).toISOString() },
});
/** Metrics a backfill chunk must never emit: the scheduled run's heartbeat and alarms read them. */
const SCHEDULE_ONLY = [METRIC.runSucceeded, METRIC.runFailed, METRIC.publishFailures, METRIC.secretNotConfigured];

/** One invocation of the real handler on a fresh table; the EMF metric names it wrote, by value. */
async function invoke(event: Record<string, unknown> = SCHEDULED_TICK()): Promise<{ outcome: Outcome; result: unknown; metrics: Map<string, number> }> {
  const ddb = localClient(inject('dynamoDbEndpoint'));
  const config = loadConfig({
    [ENV.tableName]: await freshTable(ddb, 'wiring'), [ENV.topicArn]: 'arn:aws:sns:us-east-1:111122223333:hunt',
    [ENV.secretId]: 'xsiam/api', [ENV.initialLookbackMinutes]: '120', [ENV.allowLoopback]: 'true',
  });
  const logger = new Logger({ serviceName: SERVICE_NAME });
  // As lambda/handler.ts builds it: the stack's name as a default dimension, which the alarms read.
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, defaultDimensions: { [STACK_DIMENSION]: STACK_NAME } });
  const ports = buildAwsPorts(config, WMIC_REMOTE_EXEC, asLog(logger), {
    dynamodb: ddb, sns: new SNSClient({ region: 'us-east-1' }), secrets: new SecretsManagerClient({ region: 'us-east-1' }),
  });
  const handler = makeHandler({ config, hunt: WMIC_REMOTE_EXEC, logger, metrics, ports });
  const written: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => { written.push(String(chunk)); return true; });
  }
  let outcome: Outcome = 'returned';
  let result: unknown;
  try {
    result = await handler(event,
      { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 120_000 });
  } catch (err) {
    outcome = 'threw';
    result = err;
  } finally {
    vi.restoreAllMocks();
    ddb.destroy();
  }
  return { outcome, result, metrics: emfMetrics(written.join('').split('\n').filter(Boolean)) };
}

/** Metric name → value from EMF documents in this namespace with the `service` and `stack` dimensions alarms use. */
function emfMetrics(lines: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of lines) {
    let doc: Record<string, unknown>;
    try { doc = JSON.parse(line) as Record<string, unknown>; } catch { continue; }
    const aws = doc._aws as { CloudWatchMetrics?: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } | undefined;
    for (const directive of aws?.CloudWatchMetrics ?? []) {
      if (directive.Namespace !== METRICS_NAMESPACE || doc.service !== SERVICE_NAME || doc[STACK_DIMENSION] !== STACK_NAME) continue;
      if (!directive.Dimensions.some((d) => d.length === 2 && d.includes('service') && d.includes(STACK_DIMENSION))) continue;
      for (const { Name } of directive.Metrics) out.set(Name, Number(doc[Name]));
    }
  }
  return out;
}

const secretFor = (key: string): string => JSON.stringify({ tenant: xsiam.url, apiKeyId: '9', apiKey: key, keyType: 'advanced' });

function snsReplies(accept: boolean): void {
  sns.reset();
  sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries?: PublishBatchRequestEntry[] }) => {
    const entries = input.PublishBatchRequestEntries ?? [];
    // SNS reports refused entries per Id in `Failed` and still answers 200:
    // https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html
    return accept
      ? { Successful: entries.map((e) => ({ Id: e.Id, MessageId: randomUUID() })), Failed: [] }
      : { Successful: [], Failed: entries.map((e) => ({ Id: e.Id, Code: 'KMSAccessDenied', Message: 'key policy', SenderFault: true })) };
  });
}

/** A fresh wmic /node: row inside the next run's window, so every scenario has a new pair to notify. */
function newFinding(): void {
  events.push(wmicRow(Date.now() - 30 * 60_000, `WS-${randomUUID().slice(0, 4)}`, `wmic /node:"fs${randomUUID().slice(0, 4)}" process call create "cmd.exe /c C:\\Users\\Public\\x.exe"`));
}

const emitted = new Set<string>();

describe('every handler path emits its metrics', () => {
  it('a normal run: run, row, finding, notification and zero failure counts', async () => {
    newFinding();
    snsReplies(true);
    sm.reset();
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretFor(API_KEY) });
    const run = await invoke();
    expect(run.outcome).toBe('returned');
    expect(run.metrics.get(METRIC.runSucceeded)).toBe(1);
    expect(run.metrics.get(METRIC.notified)).toBeGreaterThanOrEqual(1);
    expect(run.metrics.get(METRIC.publishFailures)).toBe(0);
    expect(run.metrics.get(METRIC.secretNotConfigured)).toBe(0);
    for (const name of run.metrics.keys()) emitted.add(name);
  });

  it('a run whose notification SNS refuses: PublishFailures counts it and the run fails', async () => {
    newFinding();
    snsReplies(false);
    sm.reset();
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretFor(API_KEY) });
    const run = await invoke();
    expect(run.outcome).toBe('threw');
    expect(run.metrics.get(METRIC.publishFailures)).toBeGreaterThanOrEqual(1);
    expect(run.metrics.get(METRIC.runFailed)).toBe(1);
    for (const name of run.metrics.keys()) emitted.add(name);
  });

  it('a fresh deploy whose secret has no value: SecretNotConfigured, no exception', async () => {
    snsReplies(true);
    sm.reset();
    // An empty secret (created without a value) has no AWSCURRENT version; GetSecretValue answers
    // ResourceNotFoundException: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({
      message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT", $metadata: {},
    }));
    const run = await invoke();
    expect(run.outcome).toBe('returned');
    expect(run.result).toMatchObject({ status: 'secret-not-configured', message: expect.stringContaining('xsiam/api') });
    expect(run.metrics.get(METRIC.secretNotConfigured)).toBe(1);
    expect(run.metrics.has(METRIC.runFailed)).toBe(false);
    for (const name of run.metrics.keys()) emitted.add(name);
  });

  it('a secret whose value is blank reports the same way', async () => {
    sm.reset();
    sm.on(GetSecretValueCommand).resolves({ SecretString: '  ' });
    const run = await invoke();
    expect(run.outcome).toBe('returned');
    expect(run.metrics.get(METRIC.secretNotConfigured)).toBe(1);
    for (const name of run.metrics.keys()) emitted.add(name);
  });

  it('a malformed secret is a real failure: RunFailed, not SecretNotConfigured', async () => {
    sm.reset();
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ tenant: xsiam.url, apiKey: API_KEY }) });
    const run = await invoke();
    expect(run.outcome).toBe('threw');
    expect(run.metrics.get(METRIC.runFailed)).toBe(1);
    expect(run.metrics.has(METRIC.secretNotConfigured)).toBe(false);
    for (const name of run.metrics.keys()) emitted.add(name);
  });
});

describe('backfill chunks emit their own metrics, never the scheduled run\'s', () => {
  it('a chunk that completes: BackfillChunkSucceeded and the work counts, no heartbeat', async () => {
    newFinding();
    snsReplies(true);
    sm.reset();
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretFor(API_KEY) });
    const run = await invoke(CHUNK());
    expect(run.outcome).toBe('returned');
    expect(run.metrics.get(METRIC.backfillChunkSucceeded)).toBe(1);
    expect(run.metrics.get(METRIC.notified)).toBeGreaterThanOrEqual(1);
    for (const name of SCHEDULE_ONLY) expect(run.metrics.has(name), name).toBe(false);
    for (const name of run.metrics.keys()) emitted.add(name);
  });

  it('a chunk whose publish SNS refuses (retried by the state machine): BackfillChunkFailed only, no RunFailed or PublishFailures', async () => {
    newFinding();
    snsReplies(false);
    sm.reset();
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretFor(API_KEY) });
    const run = await invoke(CHUNK());
    expect(run.outcome).toBe('threw');
    expect(run.metrics.get(METRIC.backfillChunkFailed)).toBe(1);
    for (const name of SCHEDULE_ONLY) expect(run.metrics.has(name), name).toBe(false);
    for (const name of run.metrics.keys()) emitted.add(name);
  });

  it('a chunk without credentials fails as a chunk, not as SecretNotConfigured', async () => {
    sm.reset();
    sm.on(GetSecretValueCommand).resolves({ SecretString: '  ' });
    const run = await invoke(CHUNK());
    expect(run.outcome).toBe('threw');
    expect(run.metrics.get(METRIC.backfillChunkFailed)).toBe(1);
    for (const name of SCHEDULE_ONLY) expect(run.metrics.has(name), name).toBe(false);
  });
});

describe('alarm and dashboard wiring', () => {
  it('reads only custom metrics that some handler path emits', () => {
    expect(emitted.size).toBeGreaterThan(0); // the scenarios above ran
    const entry = fileURLToPath(new URL('../fixtures/infra/bundle-probe/handler.ts', import.meta.url));
    const template = synthHunt({}, { entry }).template.toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

    const alarmMetrics = new Set<string>();
    for (const r of Object.values(template.Resources).filter((x) => x.Type === 'AWS::CloudWatch::Alarm')) {
      const p = r.Properties as { Namespace?: string; MetricName?: string; Metrics?: { MetricStat?: { Metric: { Namespace: string; MetricName: string } } }[] };
      if (p.Namespace === METRICS_NAMESPACE && p.MetricName !== undefined) alarmMetrics.add(p.MetricName);
      for (const m of p.Metrics ?? []) if (m.MetricStat?.Metric.Namespace === METRICS_NAMESPACE) alarmMetrics.add(m.MetricStat.Metric.MetricName);
    }
    const dashboards = Object.values(template.Resources).filter((x) => x.Type === 'AWS::CloudWatch::Dashboard');
    const widgetMetrics = new Set([...JSON.stringify(dashboards).matchAll(new RegExp(`\\\\"${METRICS_NAMESPACE}\\\\",\\\\"(\\w+)\\\\"`, 'g'))].map((m) => m[1] as string));

    // The alarms that exist because of this issue must be among those checked.
    expect([...alarmMetrics]).toEqual(expect.arrayContaining([METRIC.runSucceeded, METRIC.publishFailures, METRIC.secretNotConfigured]));
    expect(widgetMetrics.size).toBeGreaterThan(5);
    for (const name of alarmMetrics) expect(emitted, `alarm metric ${name}`).toContain(name);
    for (const name of widgetMetrics) expect(emitted, `dashboard metric ${name}`).toContain(name);
  });
});
