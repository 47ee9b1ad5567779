/**
 * Secrets hygiene through the real Lambda shell: canary values for the API key and for a /password:
 * typed on a command line, and a recorded nonce per request so every advanced-key hash actually sent
 * is known. In every scenario (a normal run, an auth failure, a malformed secret, each class of XSIAM
 * error with the server echoing the key and the hash back, a publish failure) none of them appears in
 * a log line, an EMF metric line, the thrown error (message, stack, fields, causes), the run summary,
 * or any PublishBatch entry (Subject, Message, attributes).
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KMSAccessDeniedException, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { buildAwsPorts } from '../../lambda/aws-ports.js';
import { ENV, loadConfig } from '../../lambda/config.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { asLog, makeHandler } from '../../lambda/lambda-shell.js';
import { startLocalXsiam, type EventRow, type Fault, type LocalXsiam, type XqlEndpoint } from '../../local/xsiam/index.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/telemetry.js';
import { createXsiamClient, signAdvanced } from '../../lambda/xsiam/index.js';
import { freshTable, localClient } from '../state/dynamo-support.js';
import { wmicRow } from '../integration/harness.js';
import { ScriptedSns, failureOf } from './rig.js';
import { ScriptedSecrets } from './scripted-secrets.js';

const hex = () => randomUUID().replace(/-/g, '');
const CANARY_KEY = `K${hex()}${hex()}`;
const CANARY_PW = `Pw${hex().slice(0, 16)}`;
const KEY_ID = '9';

let xsiam: LocalXsiam;
const events: EventRow[] = [];
const sns = new ScriptedSns();
const sm = new ScriptedSecrets();
// The client signs with a frozen clock and numbered nonces, so every hash it sends is known.
const frozenNow = Date.now();
let nonceNo = 0;
const usedNonces: string[] = [];
const nonceAt = (i: number) => `n${String(i).padStart(63, '0')}`;
const hashAt = (i: number) => signAdvanced(CANARY_KEY, nonceAt(i), String(frozenNow));
const sentHashes = () => usedNonces.map((n) => signAdvanced(CANARY_KEY, n, String(frozenNow)));

beforeAll(async () => {
  xsiam = await startLocalXsiam({ events: () => events, credentials: { keyId: KEY_ID, key: CANARY_KEY }, streamThreshold: 1, maxParallelQueries: 100_000 });
  sns.install();
  sm.install();
  const t = Date.now() - 30 * 60_000;
  events.push(
    wmicRow(t, 'WS-77', `wmic /node:"fs09" /user:"CORP\\adm" /password:"${CANARY_PW}" process call create "powershell.exe -enc SQBFAFgA -password:${CANARY_PW}"`,
      { actor_process_command_line: `cmd.exe /c deploy.cmd /password:${CANARY_PW}` }),
    wmicRow(t, 'WS-78', `wmic /node:"fs10" /password:${CANARY_PW} process call create "cmd.exe /c C:\\Users\\Public\\x.exe"`),
  );
});
afterAll(async () => xsiam.close());

const goodSecret = () => JSON.stringify({ tenant: xsiam.url, apiKeyId: KEY_ID, apiKey: CANARY_KEY, keyType: 'advanced' });

interface Outcome { lines: string[]; error: unknown; summary: unknown }

/** One invocation of the real handler on a fresh table; returns what it wrote, threw and returned. */
async function invoke(): Promise<Outcome> {
  const ddb = localClient(inject('dynamoDbEndpoint'));
  const tableName = await freshTable(ddb, 'hygiene');
  const config = loadConfig({ [ENV.tableName]: tableName, [ENV.topicArn]: 'arn:aws:sns:us-east-1:111122223333:hunt', [ENV.secretId]: 'xsiam/api', [ENV.initialLookbackMinutes]: '120', [ENV.allowLoopback]: 'true' });
  const logger = new Logger({ serviceName: SERVICE_NAME, logLevel: 'DEBUG' });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  const log = asLog(logger);
  const ports = {
    ...buildAwsPorts(config, WMIC_REMOTE_EXEC, log, { dynamodb: ddb, sns: new SNSClient({ region: 'us-east-1' }), secrets: new SecretsManagerClient({ region: 'us-east-1' }) }),
    xql: createXsiamClient({
      log, allowLoopback: true, clock: { now: () => frozenNow }, sleep: async () => {}, retryBaseMs: 1, retryMaxMs: 2, tooManyQueriesBaseMs: 1, tooManyQueriesMaxMs: 2,
      nonce: () => { const n = nonceAt(nonceNo++); usedNonces.push(n); return n; },
    }),
  };
  const handler = makeHandler({ config, hunt: WMIC_REMOTE_EXEC, logger, metrics, ports });
  const written: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => { written.push(String(chunk)); return true; });
  }
  let error: unknown = null;
  let summary: unknown = null;
  try {
    summary = await handler({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), detail: {} },
      { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 120_000 });
  } catch (err) {
    error = err;
  } finally {
    vi.restoreAllMocks();
    ddb.destroy();
  }
  return { lines: written.join('').split('\n').filter(Boolean), error, summary };
}

/** Every text an error carries: name, message, stack, string and nested fields, and its causes. */
function errorText(err: unknown, depth = 0): string {
  if (depth > 6 || err === null || err === undefined) return '';
  if (!(err instanceof Error)) return safeStringify(err);
  const parts = [err.name, err.message, err.stack ?? ''];
  for (const [key, value] of Object.entries(err)) {
    if (key === '$response') continue; // the SDK's raw HTTP response object, not a text anyone reads
    parts.push(value instanceof Error ? errorText(value, depth + 1) : safeStringify(value));
  }
  parts.push(errorText(err.cause, depth + 1));
  return parts.join('\n');
}

function safeStringify(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[circular]';
        seen.add(v);
      }
      return v;
    }) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Asserts no canary and no sent hash anywhere the outside world can see. */
function assertClean(outcome: Outcome, acceptedBefore: number): void {
  const places: [string, string][] = [
    ['log and EMF lines', outcome.lines.join('\n')],
    ['thrown error', errorText(outcome.error)],
    ['run summary', safeStringify(outcome.summary)],
    ['SNS entries', safeStringify(sns.accepted.slice(acceptedBefore))],
    ['SNS calls, accepted or not', safeStringify(sns.calls())],
  ];
  const secrets: [string, string][] = [['API key', CANARY_KEY], ['command-line password', CANARY_PW], ...sentHashes().map((h, i): [string, string] => [`advanced-key hash #${i}`, h])];
  for (const [where, text] of places) {
    for (const [what, value] of secrets) expect(text.includes(value), `${what} found in ${where}`).toBe(false);
  }
  expect(outcome.lines.some((l) => l.includes('"_aws"')), 'an EMF line was written').toBe(true);
}

/**
 * A server reply that echoes the API key and the hash of the request it answers: the request that
 * takes the next nonce, or `ahead` requests later.
 */
const echo = (ahead = 0) => `refused key ${CANARY_KEY} signature ${hashAt(nonceNo + ahead)} auth=${CANARY_KEY}`;
const envelope = (status: number, msg: string, extra: unknown = null): Fault => ({ status, json: { reply: { err_code: status, err_msg: msg, err_extra: extra } } });

interface Scenario {
  readonly name: string;
  /** Queues faults and secret answers for this invocation. */
  arrange(): void;
  /** How the invocation ends: the error name it throws, or 'completed'. */
  readonly outcome: string;
}

const xsiamFault = (endpoint: XqlEndpoint, fault: () => Fault) => () => { sm.secretString = goodSecret(); xsiam.faults.add(endpoint, fault()); };

const SCENARIOS: Scenario[] = [
  { name: 'a normal run (passwords typed on the command lines)', arrange: () => { sm.secretString = goodSecret(); }, outcome: 'completed' },
  {
    name: 'an auth failure (XSIAM refuses the key, also after re-reading the secret)',
    arrange: () => {
      sm.secretString = goodSecret();
      // One start per query (401 is not retried), a second query after the secret is re-read.
      xsiam.faults.add('start_xql_query', envelope(401, echo(0), echo(0)));
      xsiam.faults.add('start_xql_query', envelope(401, echo(1), echo(1)));
    },
    outcome: 'XsiamAuthError',
  },
  { name: 'a wrong key in the secret', arrange: () => { sm.secretString = JSON.stringify({ tenant: xsiam.url, apiKeyId: KEY_ID, apiKey: `${CANARY_KEY}x`, keyType: 'advanced' }); }, outcome: 'XsiamAuthError' },
  { name: 'a malformed secret (the key typed into apiKeyId)', arrange: () => { sm.secretString = JSON.stringify({ tenant: xsiam.url, apiKeyId: CANARY_KEY, apikey: CANARY_KEY }); }, outcome: 'SecretFormatError' },
  { name: 'a malformed secret (not JSON, the key inside)', arrange: () => { sm.secretString = `apiKey=${CANARY_KEY}`; }, outcome: 'SecretFormatError' },
  { name: 'an XSIAM 5xx echoing the key', arrange: xsiamFault('start_xql_query', () => ({ ...envelope(500, echo(), echo()), times: 20 })), outcome: 'XsiamServerError' },
  { name: 'an XSIAM 429 echoing the key', arrange: xsiamFault('get_query_results', () => ({ ...envelope(429, `Too many requests. ${echo()}`), times: 20 })), outcome: 'XsiamRateLimitedError' },
  { name: 'an XSIAM quota error echoing the key', arrange: xsiamFault('start_xql_query', () => envelope(500, `query usage exceeded max daily quota ${echo()}`)), outcome: 'quota-exhausted' },
  { name: 'XSIAM at its parallel-query limit, echoing the key', arrange: xsiamFault('start_xql_query', () => ({ ...envelope(500, `reached max allowed amount of parallel running queries ${echo()}`), times: 20 })), outcome: 'XsiamTooManyQueriesError' },
  { name: 'an XQL syntax error quoting the key', arrange: xsiamFault('start_xql_query', () => envelope(500, echo(), { parse_err: { line: 1, column: 3, message: echo() } })), outcome: 'XqlSyntaxError' },
  { name: 'a 400 request error echoing the key', arrange: xsiamFault('start_xql_query', () => envelope(400, echo(), echo())), outcome: 'XsiamRequestError' },
  { name: 'a query ending FAIL with the key in its reason', arrange: xsiamFault('get_query_results', () => ({ json: { reply: { status: 'FAIL', err_msg: echo(), error: echo() } } })), outcome: 'XqlQueryFailedError' },
  { name: 'a non-JSON poll body holding the key', arrange: xsiamFault('get_query_results', () => ({ body: `<html>${echo()}</html>` })), outcome: 'XsiamProtocolError' },
  { name: 'a bad NDJSON line holding the key', arrange: xsiamFault('get_query_results_stream', () => ({ body: gzipSync(`{${echo()}`) })), outcome: 'XsiamProtocolError' },
  { name: 'dropped connections', arrange: xsiamFault('get_query_results', () => ({ drop: true, times: 20 })), outcome: 'XsiamNetworkError' },
  {
    name: 'a publish failure (KMS access denied)',
    arrange: () => { sm.secretString = goodSecret(); sns.queue.push(() => { throw new KMSAccessDeniedException({ message: 'User is not authorized to use the key', $metadata: { httpStatusCode: 400 } }); }); },
    outcome: 'PublishFailedError',
  },
];

describe('no secret leaves the run, whatever happens', () => {
  for (const s of SCENARIOS) {
    it(`${s.name}: ends ${s.outcome}; no canary or sent hash in logs, EMF, error, summary or notifications`, async () => {
      xsiam.faults.clear();
      sns.queue.length = 0;
      s.arrange();
      const before = sns.accepted.length;
      const outcome = await invoke();
      if (s.outcome === 'completed') {
        expect(outcome.error).toBeNull();
        expect(outcome.summary).toMatchObject({ status: 'completed', notified: 2 });
        expect(sns.accepted.length - before).toBe(2);
      } else if (s.outcome === 'quota-exhausted') {
        // A spent daily quota is reported, not thrown for a retry (lambda-shell.ts).
        expect(outcome.error).toBeNull();
        expect(outcome.summary).toMatchObject({ status: 'quota-exhausted' });
        expect(outcome.lines.join('\n')).toContain('"XsiamQuotaExhausted":1');
      } else {
        expect(failureOf(outcome.error).name).toBe(s.outcome);
        expect(outcome.lines.join('\n')).toContain('"RunFailed":1');
      }
      assertClean(outcome, before);
    });
  }

  it('the checks can fail: a canary written to a log line is caught', () => {
    expect(() => assertClean({ lines: [`{"message":"x ${CANARY_KEY}"}`, '{"_aws":{}}'], error: null, summary: null }, sns.accepted.length)).toThrow(/API key found in log and EMF lines/);
  });
});
