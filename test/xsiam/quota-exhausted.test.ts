/**
 * XSIAM's daily query quota spent: the handler fails fast, once, with its own metric, never as
 * throttling. A scheduled run returns `quota-exhausted` (Lambda's async retries would only spend
 * the next minutes on the same refusal); a backfill chunk fails with ChunkQuotaExhaustedError,
 * which is not among the errors the state machine retries. The local XSIAM answers as the docs
 * describe a query "called without enough quota" (local/xsiam/handlers.ts).
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { CHUNK_RETRY_ERRORS, chunkFailure } from '../../lambda/action-handlers.js';
import { buildAwsPorts } from '../../lambda/aws-ports.js';
import { ENV, loadConfig } from '../../lambda/config.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { asLog, makeHandler } from '../../lambda/lambda-shell.js';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/telemetry.js';
import { XsiamQuotaExceededError, XsiamTooManyQueriesError } from '../../lambda/xsiam/index.js';
import { startLocalXsiam, type LocalXsiam } from '../../local/xsiam/index.js';
import { freshTable, localClient } from '../state/dynamo-support.js';

const KEY = { keyId: '3', key: `quota-key-${randomUUID()}` };
const sm = mockClient(SecretsManagerClient);
let xsiam: LocalXsiam;
let tableName: string;

beforeAll(async () => {
  // A licence quota of 0 query units: the first start_xql_query is refused for quota.
  xsiam = await startLocalXsiam({ events: [], credentials: KEY, quota: 0 });
  tableName = await freshTable(localClient(inject('dynamoDbEndpoint')), 'quota');
  sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ tenant: xsiam.url, apiKeyId: KEY.keyId, apiKey: KEY.key, keyType: 'advanced' }) });
});
afterAll(async () => xsiam.close());
afterEach(() => vi.restoreAllMocks());

function handler() {
  const config = loadConfig({ [ENV.tableName]: tableName, [ENV.topicArn]: 'arn:aws:sns:us-east-1:111122223333:hunt', [ENV.secretId]: 'xsiam/api', [ENV.allowLoopback]: 'true' });
  const logger = new Logger({ serviceName: SERVICE_NAME });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  const ports = buildAwsPorts(config, WMIC_REMOTE_EXEC, asLog(logger), {
    dynamodb: localClient(inject('dynamoDbEndpoint')), sns: new SNSClient({ region: 'us-east-1' }), secrets: new SecretsManagerClient({ region: 'us-east-1' }),
  });
  return makeHandler({ config, hunt: WMIC_REMOTE_EXEC, logger, metrics, ports });
}

function captureStdout(): () => string {
  const lines: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => { lines.push(String(chunk)); return true; });
  }
  return () => lines.join('');
}

const context = () => ({ awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 120_000 });

describe('XSIAM daily quota exhausted', () => {
  it('ends a scheduled run at the first refusal with its own metric, without throwing for a retry', async () => {
    const before = xsiam.stats.requests.start_xql_query;
    const out = captureStdout();
    const result = await handler()({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), detail: {} }, context());
    vi.restoreAllMocks();
    expect(result).toMatchObject({ status: 'quota-exhausted' });
    expect(xsiam.stats.requests.start_xql_query - before).toBe(1);
    const emf = out().split('\n').filter((l) => l.includes('"_aws"')).join('\n');
    expect(emf).toContain(`"${METRIC.xsiamQuotaExhausted}":1`);
    expect(emf).toContain(`"${METRIC.runFailed}":1`);
  });

  it('fails a backfill chunk with ChunkQuotaExhaustedError, which the state machine does not retry', async () => {
    const before = xsiam.stats.requests.start_xql_query;
    const out = captureStdout();
    const now = Date.now();
    const err = await handler()({ action: 'hunt-window', window: { from: now - 3_600_000, to: now - 600_000 }, shadow: false }, context()).catch((e: unknown) => e);
    vi.restoreAllMocks();
    expect((err as Error).name).toBe('ChunkQuotaExhaustedError');
    expect(CHUNK_RETRY_ERRORS as readonly string[]).not.toContain('ChunkQuotaExhaustedError');
    expect(xsiam.stats.requests.start_xql_query - before).toBe(1);
    expect(out()).toContain(`"${METRIC.xsiamQuotaExhausted}":1`);
  });

  it('still maps real throttling to the retried ChunkThrottledError, and quota never to it', () => {
    const details = { call: 'start_xql_query' as const, status: 500, errCode: 500, queryId: null };
    expect((chunkFailure(new XsiamTooManyQueriesError('busy', details)) as Error).name).toBe('ChunkThrottledError');
    expect((chunkFailure(new XsiamQuotaExceededError('spent', details)) as Error).name).toBe('ChunkQuotaExhaustedError');
  });
});
