/**
 * The deployed function's wiring (loadConfig → buildAwsPorts → makeHandler) never sends its key to
 * a host outside XSIAM's documented form. Proof that no request leaves the process: a loopback
 * capture server that must receive nothing, and undici's `undici:client:beforeConnect`
 * diagnostics channel (the XSIAM transport is undici; the AWS SDK's clients are not), which must
 * see no connection attempt. A control run with XSIAM_ALLOW_LOOPBACK=true shows both observers
 * do see one when it happens.
 */
import { randomUUID } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { buildAwsPorts } from '../../lambda/aws-ports.js';
import { ENV, loadConfig } from '../../lambda/config.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { asLog, makeHandler } from '../../lambda/lambda-shell.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/telemetry.js';
import { freshTable, localClient } from '../state/dynamo-support.js';

const KEY = `CANARY${randomUUID().replace(/-/g, '')}`;
const sm = mockClient(SecretsManagerClient);
let tableName: string;
let capture: Server;
let captureUrl: string;
const received: IncomingHttpHeaders[] = [];
let connections = 0;
const attempts: string[] = [];
const onConnect = (message: unknown): void => {
  const params = (message as { connectParams?: { hostname?: string } }).connectParams;
  attempts.push(params?.hostname ?? '?');
};

beforeAll(async () => {
  tableName = await freshTable(localClient(inject('dynamoDbEndpoint')), 'pinned');
  // What the capture server did: answer like a tenant refusing the key, keep what came in.
  capture = createServer((req, res) => {
    received.push(req.headers);
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"reply":{"err_code":401,"err_msg":"Public API request unauthorized"}}');
  });
  capture.on('connection', () => { connections++; });
  await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
  captureUrl = `http://127.0.0.1:${(capture.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => capture.close(() => resolve())));
beforeEach(() => {
  sm.reset();
  received.length = 0;
  connections = 0;
  attempts.length = 0;
  diagnostics.subscribe('undici:client:beforeConnect', onConnect);
});
afterEach(() => {
  diagnostics.unsubscribe('undici:client:beforeConnect', onConnect);
  vi.restoreAllMocks();
});

/** The handler as deployed, with the given extra environment (the stack sets no XSIAM_ALLOW_LOOPBACK). */
function handlerWith(env: Record<string, string> = {}) {
  const config = loadConfig({
    [ENV.tableName]: tableName, [ENV.topicArn]: 'arn:aws:sns:us-east-1:111122223333:hunt', [ENV.secretId]: 'xsiam/api', ...env,
  });
  const logger = new Logger({ serviceName: SERVICE_NAME });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  const ports = buildAwsPorts(config, WMIC_REMOTE_EXEC, asLog(logger), {
    dynamodb: localClient(inject('dynamoDbEndpoint')), sns: new SNSClient({ region: 'us-east-1' }), secrets: new SecretsManagerClient({ region: 'us-east-1' }),
  });
  return makeHandler({ config, hunt: WMIC_REMOTE_EXEC, logger, metrics, ports });
}

/** Runs the handler once with `tenant` in the secret; returns its error and everything it wrote. */
async function runWith(tenant: string, env: Record<string, string> = {}): Promise<{ error: Error; written: string }> {
  sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ tenant, apiKeyId: '9', apiKey: KEY, keyType: 'advanced' }) });
  const handler = handlerWith(env);
  const lines: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => { lines.push(String(chunk)); return true; });
  }
  const error = await handler(
    { 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), detail: {} },
    { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 60_000 },
  ).then(() => new Error('the run completed'), (e: unknown) => e as Error);
  vi.restoreAllMocks();
  return { error, written: lines.join('') };
}

describe('the deployed function pins its tenant host', () => {
  it.each([
    ['a look-alike host', 'acme.xdr.us.paloaltonetworks.com.evil.example', /"api-acme\.xdr\.us\.paloaltonetworks\.com\.evil\.example" is not api-<tenant FQDN>/],
    ['a look-alike https URL', 'https://api-acme.xdr.us.paloaltonetworks.com.evil.example', /is not api-<tenant FQDN>/],
    ['the instance-metadata IP', 'https://169.254.169.254', /"169\.254\.169\.254" is an IP address/],
    ['a key-bearing tenant name', `${KEY}.evil.example`, /is not api-<tenant FQDN>/],
  ])('refuses %s before any connection, saying why and never echoing the key', async (_label, tenant, why) => {
    const { error, written } = await runWith(tenant);
    expect((error.cause as Error).name).toBe('XsiamConfigError');
    expect((error.cause as Error).message).toMatch(/^XSIAM tenant host refused: /);
    expect(error.message).toMatch(why);
    expect(error.message).not.toContain(KEY);
    expect(written).toContain('XSIAM tenant host refused');
    expect(written).not.toContain(KEY);
    expect(attempts).toEqual([]);
    expect(connections).toBe(0);
  });

  it('refuses plain-http loopback without XSIAM_ALLOW_LOOPBACK: the capture server receives nothing', async () => {
    const { error, written } = await runWith(captureUrl);
    expect(error.message).toMatch(/"127\.0\.0\.1" is a loopback address/);
    expect(written).not.toContain(KEY);
    expect(connections).toBe(0);
    expect(received).toEqual([]);
    expect(attempts).toEqual([]);
  });

  it('refuses plain-http loopback when XSIAM_ALLOW_LOOPBACK is anything but true', async () => {
    const { error } = await runWith(captureUrl, { [ENV.allowLoopback]: 'false' });
    expect(error.message).toMatch(/is a loopback address/);
    expect(connections).toBe(0);
  });

  it('control: with XSIAM_ALLOW_LOOPBACK=true the same secret reaches the capture server, and the observers see it', async () => {
    const { error } = await runWith(captureUrl, { [ENV.allowLoopback]: 'true' });
    expect((error.cause as Error).name).toBe('XsiamAuthError');
    expect(connections).toBeGreaterThan(0);
    expect(received[0]?.['x-xdr-auth-id']).toBe('9');
    expect(attempts).toContain('127.0.0.1');
  });
});
