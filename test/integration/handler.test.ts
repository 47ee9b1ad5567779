import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { buildAwsPorts } from '../../lambda/aws-ports.js';
import { ENV, loadConfig } from '../../lambda/config.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { asLog, makeHandler } from '../../lambda/lambda-shell.js';
import { startLocalXsiam, type EventRow, type LocalXsiam } from '../../local/xsiam/index.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/telemetry.js';
import { freshTable, localClient } from '../state/dynamo-support.js';
import { snsAcceptsAll, snsMock, wmicRow } from './harness.js';

const CANARY_KEY = `CANARY-${randomUUID()}`;
const sm = mockClient(SecretsManagerClient);
let xsiam: LocalXsiam;
let tableName: string;
const events: EventRow[] = [];

beforeAll(async () => {
  xsiam = await startLocalXsiam({ events: () => events, credentials: { keyId: '9', key: CANARY_KEY } });
  tableName = await freshTable(localClient(inject('dynamoDbEndpoint')), 'handler');
});
afterAll(async () => xsiam.close());
beforeEach(() => {
  sm.reset();
  snsMock.reset();
  snsAcceptsAll();
});
afterEach(() => vi.restoreAllMocks());

function secretFor(key: string): string {
  return JSON.stringify({ tenant: xsiam.url, apiKeyId: '9', apiKey: key, keyType: 'advanced' });
}

function buildHandler() {
  const config = loadConfig({
    [ENV.tableName]: tableName, [ENV.topicArn]: 'arn:aws:sns:us-east-1:111122223333:hunt', [ENV.secretId]: 'xsiam/api',
    [ENV.initialLookbackMinutes]: '120', [ENV.allowLoopback]: 'true',
  });
  const logger = new Logger({ serviceName: SERVICE_NAME });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  const ports = buildAwsPorts(config, WMIC_REMOTE_EXEC, asLog(logger), {
    dynamodb: localClient(inject('dynamoDbEndpoint')), sns: new SNSClient({ region: 'us-east-1' }), secrets: new SecretsManagerClient({ region: 'us-east-1' }),
  });
  return makeHandler({ config, hunt: WMIC_REMOTE_EXEC, logger, metrics, ports });
}

/** Everything the function writes to stdout and stderr (Powertools logs and EMF), as lines. */
function captureStdout(): () => string[] {
  const lines: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  }
  return () => lines.join('').split('\n').filter(Boolean);
}

const context = (remainingMs = 120_000) => ({ awsRequestId: randomUUID(), getRemainingTimeInMillis: () => remainingMs });
const scheduled = { 'detail-type': 'Scheduled Event' as const, source: 'aws.events', time: new Date().toISOString(), detail: {} };

describe('the Lambda handler end to end', () => {
  it('runs the hunt from a scheduled event: secret, query, dedupe, SNS, one summary line and EMF metrics', async () => {
    events.push(wmicRow(Date.now() - 30 * 60_000, 'WS-77', 'wmic /node:"fs09" process call create "cmd.exe /c C:\\Users\\Public\\x.exe"'));
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretFor(CANARY_KEY) });
    const out = captureStdout();
    const summary = await buildHandler()(scheduled, context());
    vi.restoreAllMocks();

    expect(summary).toMatchObject({ status: 'completed', newPairs: 1, notified: 1 });
    expect(snsMock).toHaveReceivedCommandTimes(PublishBatchCommand, 1);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'xsiam/api' });
    const docs = out().map((l) => JSON.parse(l) as Record<string, unknown>);
    const summaryLines = docs.filter((d) => d.message === 'run summary');
    expect(summaryLines).toHaveLength(1);
    expect(summaryLines[0]).toMatchObject({ service: SERVICE_NAME, summary: { newPairs: 1, notified: 1 } });
    const emf = docs.find((d) => d._aws !== undefined && d['RunSucceeded'] !== undefined) as Record<string, unknown>;
    expect(docs.find((d) => d['HuntQueryUnits'] !== undefined)).toMatchObject({ huntId: WMIC_REMOTE_EXEC.id });
    expect(emf).toMatchObject({ NewPairs: 1, Notified: 1, RunSucceeded: 1, Rows: 1 });
    expect(out().join('\n')).not.toContain(CANARY_KEY);
  });

  it('re-reads a rotated secret once after XSIAM refuses the cached key', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: secretFor('stale-key') }).resolves({ SecretString: secretFor(CANARY_KEY) });
    captureStdout();
    const summary = await buildHandler()(scheduled, context());
    expect(summary.status).toBe('completed');
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('throws on failure, after logging it and emitting RunFailed, without the secret', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ tenant: xsiam.url, apiKey: CANARY_KEY }) });
    const out = captureStdout();
    await expect(buildHandler()(scheduled, context())).rejects.toThrow(/apiKeyId is missing/);
    vi.restoreAllMocks();
    const text = out().join('\n');
    expect(text).toContain('"RunFailed":1');
    expect(text).toContain('run failed');
    expect(text).not.toContain(CANARY_KEY);
  });
});

describe('configuration from the environment', () => {
  it('names every bad variable at once', () => {
    expect(() => loadConfig({ [ENV.topicArn]: 'topic', [ENV.minSeverity]: 'urgent', [ENV.stormLimit]: '0' })).toThrow(
      `Invalid configuration: ${ENV.tableName} is required; ${ENV.topicArn} must be an SNS topic ARN; ${ENV.secretId} is required; ` +
        `${ENV.minSeverity} must be one of low, medium, high, critical (got "urgent"); ${ENV.stormLimit} must be a whole number from 1 to 1000 (got "0")`,
    );
  });
});
