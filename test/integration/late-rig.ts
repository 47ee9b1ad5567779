/**
 * The Lambda handler (makeHandler over buildAwsPorts: DynamoDB Local, the local XSIAM with arrival
 * times, SNS faked at the SDK level) run at chosen times. The process clock is moved with
 * vi.setSystemTime (Date only; timers stay real), so the handler, the XSIAM client and the local
 * XSIAM share one time. Call inside a describe: it registers its own before/after hooks.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, inject, vi } from 'vitest';
import { buildAwsPorts } from '../../lambda/aws-ports.js';
import { ENV, loadConfig } from '../../lambda/config.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { asLog, makeHandler } from '../../lambda/lambda-shell.js';
import type { RunSummary } from '../../lambda/run/index.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/telemetry.js';
import { startLocalXsiam, type EventRow, type LocalXsiam } from '../../local/xsiam/index.js';
import { freshTable, localClient } from '../state/dynamo-support.js';
import { MIN, snsAcceptsAll, snsMock } from './harness.js';

export interface LateRig {
  /** The rows the local XSIAM serves (emptied before each test). */
  readonly events: EventRow[];
  /** One scheduled invocation at `at` (epoch ms), with `env` over the rig's. */
  runAt(at: number, env?: Record<string, string>): Promise<RunSummary>;
  /** The local XSIAM (its faults are cleared before each test). */
  xsiam(): LocalXsiam;
  /** This test's DynamoDB table. */
  tableName(): string;
}

/** `env`: the handler's environment beside the table, topic, secret and loopback (which the rig sets). */
export function lateRig(env: Record<string, string>): LateRig {
  const key = `late-key-${randomUUID()}`;
  const sm = mockClient(SecretsManagerClient);
  const events: EventRow[] = [];
  let xsiam: LocalXsiam | undefined;
  let tableName = '';
  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    xsiam = await startLocalXsiam({ events: () => events, credentials: { keyId: '9', key }, ingestLagMs: 2 * MIN });
  });
  afterAll(async () => {
    vi.useRealTimers();
    await xsiam?.close();
  });
  beforeEach(async () => {
    events.length = 0;
    xsiam?.faults.clear();
    sm.reset();
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ tenant: xsiam?.url, apiKeyId: '9', apiKey: key, keyType: 'advanced' }) });
    snsMock.reset();
    snsAcceptsAll();
    tableName = await freshTable(localClient(inject('dynamoDbEndpoint')), 'late');
  });
  const handler = (extra: Record<string, string>) => {
    const config = loadConfig({
      [ENV.tableName]: tableName, [ENV.topicArn]: 'arn:aws:sns:us-east-1:111122223333:hunt', [ENV.secretId]: 'xsiam/api',
      [ENV.allowLoopback]: 'true', ...env, ...extra,
    });
    const logger = new Logger({ serviceName: SERVICE_NAME, logLevel: 'CRITICAL' });
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
    const ports = buildAwsPorts(config, WMIC_REMOTE_EXEC, asLog(logger), {
      dynamodb: localClient(inject('dynamoDbEndpoint')), sns: new SNSClient({ region: 'us-east-1' }), secrets: new SecretsManagerClient({ region: 'us-east-1' }),
    });
    return makeHandler({ config, hunt: WMIC_REMOTE_EXEC, logger, metrics, ports });
  };
  const scheduled = { 'detail-type': 'Scheduled Event' as const, source: 'aws.events', time: new Date().toISOString(), detail: {} };
  return {
    events,
    xsiam: () => {
      if (xsiam === undefined) throw new Error('the late rig\'s XSIAM is started in beforeAll');
      return xsiam;
    },
    tableName: () => tableName,
    async runAt(at, extra = {}) {
      vi.setSystemTime(at);
      const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        return await handler(extra)(scheduled, { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 120_000 }) as RunSummary;
      } finally {
        write.mockRestore();
      }
    },
  };
}
