/**
 * The fault matrix: each external call fails in turn at each step of a run (Secrets Manager, XSIAM
 * start / poll / stream, the target-side confirmation's XQL query and get_endpoint, DynamoDB reads
 * and writes, SNS publish) and the process dies between any two
 * steps. After the fault and the next clean run: every finding was notified exactly once (at least
 * once and at most twice where SNS had accepted before the run died), no window was left uncovered,
 * no finding was lost, and every finding is stored NOTIFIED.
 */
import { gzipSync } from 'node:zlib';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KMSAccessDeniedException, KMSThrottlingException, ThrottledException } from '@aws-sdk/client-sns';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretsManagerCredentials } from '../../lambda/credentials/index.js';
import { XQL_ENDPOINTS, type LocalApi } from '../../local/xsiam/index.js';
import { child } from '../confirm/fixture.js';
import { StageError, type RunPorts, type RunSummary, type StageName } from '../../lambda/run/index.js';
import { MIN, T0, wmicRow } from '../integration/harness.js';
import { CRASH_POINTS, crashAt, type CrashPoint } from './crash.js';
import type { DynamoFault } from './dynamo-faults.js';
import { HUNT_ID, KEY, ScriptedSns, failureOf, startRig, type Rig } from './rig.js';
import { ScriptedSecrets, smError } from './scripted-secrets.js';

const PAYLOAD = 'powershell.exe -enc SQBFAFgA';
const ATTACK = (target: string) => `wmic /node:"${target}" /user:"CORP\\svc" /password:"Hunter2!" process call create "${PAYLOAD}"`;
const PAIR_A = 'WS-A→a01';
const PAIRS_NEW = ['WS-B→b01', 'WS-C→c01'];

interface Case {
  readonly step: string;
  readonly fault: string;
  /** Arms the fault; may return port overrides for the faulted run. */
  arm(rig: Rig, sm: ScriptedSecrets, sns: ScriptedSns): Partial<RunPorts> | void;
  /** What the faulted run must do: fail with this error name, complete, or find the lease held. */
  readonly expect: { fails: string } | 'completes' | 'lease-held';
  /** SNS accepted before the run died: the next run may send again (at least once, at most twice). */
  readonly atLeastOnce?: boolean;
  /** Deadline of the faulted run from its start. @default 10 min */
  readonly deadlineMs?: number;
  /** The `confirmation.status` B and C must go out with from the faulted run. */
  readonly confirmation?: string;
}

const xsiamFault = (endpoint: 'start_xql_query' | 'get_query_results' | 'get_query_results_stream', fault: Parameters<Rig['xsiam']['faults']['add']>[1]) =>
  (rig: Rig) => { rig.xsiam.faults.add(endpoint, fault); };
const dynamoFault = (fault: DynamoFault) => (rig: Rig) => { rig.faults.arm(fault); };
const envelope = (status: number, msg: string, extra: unknown = null) => ({ status, json: { reply: { err_code: status, err_msg: msg, err_extra: extra } } });
const snsThrows = (error: () => Error, times = 1) => (_r: Rig, _s: ScriptedSecrets, sns: ScriptedSns) => {
  for (let i = 0; i < times; i++) sns.queue.push(() => { throw error(); });
};
const snsMeta = { $metadata: { httpStatusCode: 400, requestId: 'proof' } };

/**
 * Faults for the confirmation's own calls: queued when the confirm stage starts collecting, so the
 * hunt's query (same endpoints, earlier) cannot consume them. Recorded per rig to check they fired.
 * The faulted window's targets b01 and c01 ran the payload (three WmiPrvSE children, over the
 * server's stream threshold of 2), so a confirmation that worked would say `confirmed`.
 */
const confirmArmed = new WeakMap<Rig, { endpoint: LocalApi; times: number }[]>();
const B01 = { id: 'b0000000000000000000000000000b01', name: 'B01', ip: ['10.9.0.11'] };
const C01 = { id: 'c0000000000000000000000000000c01', name: 'C01', ip: ['10.9.0.12'] };
const confirmFault = (endpoint: LocalApi, fault: Parameters<Rig['xsiam']['faults']['add']>[1]) => (rig: Rig): Partial<RunPorts> => {
  rig.events.push(
    child(B01, T0 + 3 * MIN + 3_000, PAYLOAD), child(B01, T0 + 3 * MIN + 9_000, PAYLOAD), child(C01, T0 + 6 * MIN + 4_000, PAYLOAD),
  );
  const source = rig.ports.targetEvidence;
  if (source === undefined) throw new Error('the rig has no target-side confirmation wired');
  return {
    targetEvidence: {
      collect: (...args) => {
        // Armed once, at the first collect: a retry after a re-read secret meets what is left of it.
        if (!confirmArmed.has(rig)) {
          rig.xsiam.faults.add(endpoint, fault);
          confirmArmed.set(rig, [{ endpoint, times: fault.times ?? 1 }]);
        }
        return source.collect(...args);
      },
    },
  };
};

const CASES: Case[] = [
  // Secrets Manager
  { step: 'credentials', fault: 'Secrets Manager ThrottlingException', arm: (_r, sm) => { sm.queue.push(() => { throw smError('ThrottlingException', 400, 'Rate exceeded'); }); }, expect: { fails: 'SecretFetchError' } },
  { step: 'credentials', fault: 'Secrets Manager AccessDeniedException', arm: (_r, sm) => { sm.queue.push(() => { throw smError('AccessDeniedException', 400, 'not authorized'); }); }, expect: { fails: 'SecretFetchError' } },
  { step: 'credentials', fault: 'Secrets Manager DecryptionFailure (KMS)', arm: (_r, sm) => { sm.queue.push(() => { throw smError('DecryptionFailure', 400, 'KMS key disabled'); }); }, expect: { fails: 'SecretFetchError' } },
  { step: 'credentials', fault: 'Secrets Manager InternalServiceError (500)', arm: (_r, sm) => { sm.queue.push(() => { throw smError('InternalServiceError', 500, 'oops'); }); }, expect: { fails: 'SecretFetchError' } },
  { step: 'credentials', fault: 'secret value malformed (no apiKeyId)', arm: (r, sm) => { sm.queue.push(() => ({ SecretString: JSON.stringify({ tenant: r.xsiam.url, apiKey: KEY.key }) })); }, expect: { fails: 'SecretFormatError' } },
  // XSIAM start
  { step: 'XSIAM start', fault: '503 on every attempt', arm: xsiamFault('start_xql_query', { status: 503, times: 20 }), expect: { fails: 'XsiamServerError' } },
  { step: 'XSIAM start', fault: '429 on every attempt (Retry-After: 1)', arm: xsiamFault('start_xql_query', { status: 429, retryAfter: '1', times: 20 }), expect: { fails: 'XsiamRateLimitedError' } },
  { step: 'XSIAM start', fault: '429 once, then normal', arm: xsiamFault('start_xql_query', { status: 429 }), expect: 'completes' },
  { step: 'XSIAM start', fault: 'daily quota exhausted', arm: xsiamFault('start_xql_query', envelope(500, 'query usage exceeded max daily quota', { error_type: 'QUOTA_EXCEEDED' })), expect: { fails: 'XsiamQuotaExceededError' } },
  { step: 'XSIAM start', fault: 'too many parallel queries, every attempt', arm: xsiamFault('start_xql_query', { ...envelope(500, 'reached max allowed amount of parallel running queries'), times: 20 }), expect: { fails: 'XsiamTooManyQueriesError' } },
  { step: 'XSIAM start', fault: 'too many parallel queries twice, then normal', arm: xsiamFault('start_xql_query', { ...envelope(500, 'reached max allowed amount of parallel running queries'), times: 2 }), expect: 'completes' },
  { step: 'XSIAM start', fault: 'no reply headers in time (timeout)', arm: xsiamFault('start_xql_query', { delayMs: 1500, times: 20 }), expect: { fails: 'XsiamNetworkError' } },
  { step: 'XSIAM start', fault: 'connection dropped', arm: xsiamFault('start_xql_query', { drop: true, times: 20 }), expect: { fails: 'XsiamNetworkError' } },
  { step: 'XSIAM start', fault: 'malformed body (not JSON)', arm: xsiamFault('start_xql_query', { body: '<html>gateway</html>' }), expect: { fails: 'XsiamProtocolError' } },
  { step: 'XSIAM start', fault: '401 once (rotated key): secret re-read', arm: xsiamFault('start_xql_query', { status: 401 }), expect: 'completes' },
  // XSIAM poll
  { step: 'XSIAM poll', fault: '500 on every attempt', arm: xsiamFault('get_query_results', { status: 500, times: 20 }), expect: { fails: 'XsiamServerError' } },
  { step: 'XSIAM poll', fault: '429 on every attempt', arm: xsiamFault('get_query_results', { status: 429, times: 20 }), expect: { fails: 'XsiamRateLimitedError' } },
  { step: 'XSIAM poll', fault: '502 twice, then normal', arm: xsiamFault('get_query_results', { status: 502, times: 2 }), expect: 'completes' },
  { step: 'XSIAM poll', fault: 'no reply headers in time (timeout)', arm: xsiamFault('get_query_results', { delayMs: 1500, times: 20 }), expect: { fails: 'XsiamNetworkError' } },
  { step: 'XSIAM poll', fault: 'connection dropped', arm: xsiamFault('get_query_results', { drop: true, times: 20 }), expect: { fails: 'XsiamNetworkError' } },
  { step: 'XSIAM poll', fault: 'malformed reply (unknown status)', arm: xsiamFault('get_query_results', { json: { reply: { status: 'DONE' } } }), expect: { fails: 'XsiamProtocolError' } },
  { step: 'XSIAM poll', fault: 'malformed body (truncated JSON)', arm: xsiamFault('get_query_results', { body: '{"reply": {"status": "SUCC' }), expect: { fails: 'XsiamProtocolError' } },
  { step: 'XSIAM poll', fault: 'query ended with status FAIL', arm: xsiamFault('get_query_results', { json: { reply: { status: 'FAIL', err_msg: 'engine error' } } }), expect: { fails: 'XqlQueryFailedError' } },
  { step: 'XSIAM poll', fault: 'PENDING past the run deadline', arm: xsiamFault('get_query_results', { json: { reply: { status: 'PENDING' } }, times: 5000 }), deadlineMs: 25_000, expect: { fails: 'DeadlineExceededError' } },
  // XSIAM stream (the faulted window holds 3 rows, over the server's stream threshold of 2)
  { step: 'XSIAM stream', fault: '500 on every attempt', arm: xsiamFault('get_query_results_stream', { status: 500, times: 20 }), expect: { fails: 'XsiamServerError' } },
  { step: 'XSIAM stream', fault: '503 once, then normal', arm: xsiamFault('get_query_results_stream', { status: 503 }), expect: 'completes' },
  { step: 'XSIAM stream', fault: 'connection dropped', arm: xsiamFault('get_query_results_stream', { drop: true, times: 20 }), expect: { fails: 'XsiamNetworkError' } },
  { step: 'XSIAM stream', fault: 'no reply headers in time (timeout)', arm: xsiamFault('get_query_results_stream', { delayMs: 1500, times: 20 }), expect: { fails: 'XsiamNetworkError' } },
  { step: 'XSIAM stream', fault: 'gzip body cut in half', arm: xsiamFault('get_query_results_stream', { truncateGzip: true }), expect: { fails: 'XsiamProtocolError' } },
  { step: 'XSIAM stream', fault: 'body is not gzip', arm: xsiamFault('get_query_results_stream', { body: '{"not":"gzip"}' }), expect: { fails: 'XsiamProtocolError' } },
  { step: 'XSIAM stream', fault: 'invalid NDJSON line', arm: xsiamFault('get_query_results_stream', { body: gzipSync('{"_time": 1}\n{"broken": \n') }), expect: { fails: 'XsiamProtocolError' } },
  // DynamoDB
  { step: 'DynamoDB lease', fault: 'ProvisionedThroughputExceeded on acquire', arm: dynamoFault({ phase: 'acquireLease', kind: 'provisioned' }), expect: { fails: 'StateThrottledError' } },
  { step: 'DynamoDB lease', fault: 'conditional failure on acquire', arm: dynamoFault({ phase: 'acquireLease', kind: 'conditional' }), expect: 'lease-held' },
  { step: 'DynamoDB lease', fault: 'ThrottlingException on release', arm: dynamoFault({ phase: 'releaseLease', kind: 'throttling' }), expect: 'completes' },
  { step: 'DynamoDB checkpoint read', fault: 'ThrottlingException', arm: dynamoFault({ phase: 'readCheckpoint', kind: 'throttling' }), expect: { fails: 'StateThrottledError' } },
  { step: 'DynamoDB checkpoint read', fault: 'InternalServerError (500)', arm: dynamoFault({ phase: 'readCheckpoint', kind: 'server' }), expect: { fails: 'StateBackendError' } },
  { step: 'DynamoDB dedupe read', fault: 'BatchGetItem ProvisionedThroughputExceeded', arm: dynamoFault({ phase: 'recordFindings', operation: 'BatchGetItem', kind: 'provisioned' }), expect: { fails: 'StateThrottledError' } },
  { step: 'DynamoDB dedupe read', fault: 'UnprocessedKeys that never drain', arm: dynamoFault({ phase: 'recordFindings', kind: 'unprocessed' }), expect: { fails: 'UnprocessedKeysError' } },
  { step: 'DynamoDB dedupe read', fault: 'UnprocessedKeys once, then drained', arm: dynamoFault({ phase: 'recordFindings', kind: 'unprocessed-once' }), expect: 'completes' },
  { step: 'DynamoDB claim', fault: 'first write throttled (ThrottlingException)', arm: dynamoFault({ phase: 'recordFindings', writesOnly: true, kind: 'throttling' }), expect: { fails: 'StateThrottledError' } },
  { step: 'DynamoDB claim', fault: 'claim transaction cancelled by throttling once', arm: dynamoFault({ phase: 'recordFindings', operation: 'TransactWriteItems', kind: 'cancelled-throttling' }), expect: 'completes' },
  { step: 'DynamoDB claim', fault: 'claim lost a race (condition failed, no item)', arm: dynamoFault({ phase: 'recordFindings', writesOnly: true, kind: 'conditional' }), expect: 'completes' },
  { step: 'DynamoDB claim', fault: 'InternalServerError on the first write', arm: dynamoFault({ phase: 'recordFindings', writesOnly: true, kind: 'server' }), expect: { fails: 'StateBackendError' } },
  { step: 'DynamoDB incidents read', fault: 'BatchGetItem ProvisionedThroughputExceeded', arm: dynamoFault({ phase: 'readIncidents', operation: 'BatchGetItem', kind: 'provisioned' }), expect: { fails: 'StateThrottledError' } },
  { step: 'DynamoDB incidents write', fault: 'InternalServerError on the first write', arm: dynamoFault({ phase: 'writeIncidents', writesOnly: true, kind: 'server' }), expect: { fails: 'StateBackendError' } },
  { step: 'DynamoDB incidents write', fault: 'transaction cancelled by throttling once', arm: dynamoFault({ phase: 'writeIncidents', operation: 'TransactWriteItems', kind: 'cancelled-throttling' }), expect: 'completes' },
  { step: 'DynamoDB markNotified', fault: 'ThrottlingException (SNS already accepted)', arm: dynamoFault({ phase: 'markNotified', kind: 'throttling' }), expect: { fails: 'StateThrottledError' }, atLeastOnce: true },
  { step: 'DynamoDB markNotified', fault: 'InternalServerError (SNS already accepted)', arm: dynamoFault({ phase: 'markNotified', kind: 'server' }), expect: { fails: 'StateBackendError' }, atLeastOnce: true },
  { step: 'DynamoDB markNotified', fault: 'transaction cancelled by throttling once', arm: dynamoFault({ phase: 'markNotified', operation: 'TransactWriteItems', kind: 'cancelled-throttling' }), expect: 'completes' },
  // History: a read that fails judges the chunk without history (the hunt keeps alerting); a write
  // that fails leaves the checkpoint, and the next run hunts the chunk again (repeats, not re-sent).
  { step: 'DynamoDB history read', fault: 'BatchGetItem ThrottlingException (judged without history)', arm: dynamoFault({ phase: 'readHistory', operation: 'BatchGetItem', kind: 'throttling' }), expect: 'completes' },
  { step: 'DynamoDB history read', fault: 'UnprocessedKeys that never drain (judged without history)', arm: dynamoFault({ phase: 'readHistory', kind: 'unprocessed' }), expect: 'completes' },
  { step: 'DynamoDB history write', fault: 'first write throttled (ThrottlingException)', arm: dynamoFault({ phase: 'recordHistory', writesOnly: true, kind: 'throttling' }), expect: { fails: 'StateThrottledError' } },
  { step: 'DynamoDB history write', fault: 'InternalServerError on the history read-before-write', arm: dynamoFault({ phase: 'recordHistory', operation: 'BatchGetItem', kind: 'server' }), expect: { fails: 'StateBackendError' } },
  { step: 'DynamoDB history write', fault: 'transaction cancelled by throttling once', arm: dynamoFault({ phase: 'recordHistory', operation: 'TransactWriteItems', kind: 'cancelled-throttling' }), expect: 'completes' },
  { step: 'DynamoDB history write', fault: 'guard lost a race (condition failed, no item)', arm: dynamoFault({ phase: 'recordHistory', writesOnly: true, kind: 'conditional' }), expect: 'completes' },
  { step: 'DynamoDB checkpoint write', fault: 'ProvisionedThroughputExceeded', arm: dynamoFault({ phase: 'writeCheckpoint', kind: 'provisioned' }), expect: { fails: 'StateThrottledError' } },
  { step: 'DynamoDB checkpoint write', fault: 'conditional failure (moved underneath)', arm: dynamoFault({ phase: 'writeCheckpoint', kind: 'conditional' }), expect: { fails: 'CheckpointConflictError' } },
  // SNS
  { step: 'SNS publish', fault: 'partial batch failure (1 of 2 entries InternalError)', arm: (_r, _s, sns) => { sns.queue.push((input) => { const [first, ...rest] = input.PublishBatchRequestEntries ?? []; return { Successful: first ? [{ Id: first.Id, MessageId: 'm-1' }] : [], Failed: rest.map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false, Message: 'internal' })) }; }); }, expect: { fails: 'PublishFailedError' } },
  { step: 'SNS publish', fault: 'ThrottledException on every attempt', arm: snsThrows(() => new ThrottledException({ message: 'Rate exceeded', ...snsMeta }), 3), expect: { fails: 'PublishFailedError' } },
  { step: 'SNS publish', fault: 'ThrottledException once, then accepted', arm: snsThrows(() => new ThrottledException({ message: 'Rate exceeded', ...snsMeta })), expect: 'completes' },
  { step: 'SNS publish', fault: 'entries throttled once inside a 200, then accepted', arm: (_r, _s, sns) => { sns.queue.push((input) => ({ Successful: [], Failed: (input.PublishBatchRequestEntries ?? []).map((e) => ({ Id: e.Id, Code: 'Throttling', SenderFault: false })) })); }, expect: 'completes' },
  { step: 'SNS publish', fault: 'KMSAccessDeniedException', arm: snsThrows(() => new KMSAccessDeniedException({ message: 'KMS access denied', ...snsMeta })), expect: { fails: 'PublishFailedError' } },
  { step: 'SNS publish', fault: 'KMSThrottlingException on every attempt', arm: snsThrows(() => new KMSThrottlingException({ message: 'KMS throttled', ...snsMeta }), 3), expect: { fails: 'PublishFailedError' } },
  { step: 'SNS publish', fault: 'entries failed KMSDisabled', arm: (_r, _s, sns) => { sns.queue.push((input) => ({ Successful: [], Failed: (input.PublishBatchRequestEntries ?? []).map((e) => ({ Id: e.Id, Code: 'KMSDisabled', SenderFault: true, Message: 'disabled' })) })); }, expect: { fails: 'PublishFailedError' } },
  { step: 'SNS publish', fault: 'network reset (call rejected, nothing accepted)', arm: snsThrows(() => Object.assign(new Error('socket hang up'), { name: 'ECONNRESET', code: 'ECONNRESET' })), expect: { fails: 'PublishFailedError' } },
  { step: 'SNS publish', fault: 'reply lists no entry at all', arm: (_r, _s, sns) => { sns.queue.push(() => ({ Successful: [], Failed: [] })); }, expect: { fails: 'PublishFailedError' } },
  // Target-side confirmation (its own XQL query and get_endpoint): never holds back, delays or doubles a notification.
  { step: 'confirmation', fault: 'XQL start 503 on every attempt', arm: confirmFault('start_xql_query', { status: 503, times: 20 }), expect: 'completes', confirmation: 'unavailable' },
  { step: 'confirmation', fault: 'XQL start: daily quota exhausted', arm: confirmFault('start_xql_query', envelope(500, 'query usage exceeded max daily quota', { error_type: 'QUOTA_EXCEEDED' })), expect: 'completes', confirmation: 'unavailable' },
  { step: 'confirmation', fault: 'XQL start 401 once (rotated key): secret re-read', arm: confirmFault('start_xql_query', { status: 401 }), expect: 'completes', confirmation: 'confirmed' },
  { step: 'confirmation', fault: 'XQL poll 500 on every attempt', arm: confirmFault('get_query_results', { status: 500, times: 20 }), expect: 'completes', confirmation: 'unavailable' },
  { step: 'confirmation', fault: 'XQL poll: query ended with status FAIL', arm: confirmFault('get_query_results', { json: { reply: { status: 'FAIL', err_msg: 'engine error' } } }), expect: 'completes', confirmation: 'unavailable' },
  { step: 'confirmation', fault: 'XQL poll PENDING past its budget', arm: confirmFault('get_query_results', { json: { reply: { status: 'PENDING' } }, times: 5000 }), expect: 'completes', confirmation: 'unavailable' },
  { step: 'confirmation', fault: 'XQL stream connection dropped', arm: confirmFault('get_query_results_stream', { drop: true, times: 20 }), expect: 'completes', confirmation: 'unavailable' },
  { step: 'confirmation', fault: 'XQL stream gzip body cut in half', arm: confirmFault('get_query_results_stream', { truncateGzip: true }), expect: 'completes', confirmation: 'unavailable' },
  { step: 'confirmation', fault: 'get_endpoint 500 on every attempt (rows still confirm)', arm: confirmFault('get_endpoint', { status: 500, times: 20 }), expect: 'completes', confirmation: 'confirmed' },
  { step: 'confirmation', fault: 'get_endpoint 403 (role lacks Endpoint Administration)', arm: confirmFault('get_endpoint', { status: 403, times: 20 }), expect: 'completes', confirmation: 'confirmed' },
  { step: 'confirmation', fault: 'get_endpoint connection dropped', arm: confirmFault('get_endpoint', { drop: true, times: 20 }), expect: 'completes', confirmation: 'confirmed' },
  // The process dies between two steps (Lambda deadline): nothing released, nothing cleaned up.
  ...CRASH_POINTS.map((point): Case => ({
    step: 'crash', fault: `process dies ${point}`, arm: (rig) => crashAt(rig.ports, point), expect: { fails: 'CrashError' }, atLeastOnce: point === 'after publish',
  })),
];

/** The run step a failure at each fault point is reported from (StageError.stage). */
const STAGE_OF_STEP: Record<string, StageName> = {
  credentials: 'query', 'XSIAM start': 'query', 'XSIAM poll': 'query', 'XSIAM stream': 'query',
  'DynamoDB lease': 'lease', 'DynamoDB checkpoint read': 'plan', 'DynamoDB dedupe read': 'dedupe', 'DynamoDB claim': 'dedupe',
  'DynamoDB markNotified': 'mark', 'DynamoDB checkpoint write': 'commit',
  'DynamoDB incidents read': 'incidents', 'DynamoDB incidents write': 'incidents',
  'DynamoDB history read': 'history', 'DynamoDB history write': 'record-history',
};
const STAGE_OF_CRASH: Record<CrashPoint, StageName> = {
  'after lease': 'lease', 'after checkpoint read': 'plan', 'after query': 'query', 'after detect': 'detect',
  'after record': 'dedupe', 'after incident write': 'incidents', 'after publish': 'publish', 'after markNotified': 'mark',
  'after history write': 'record-history', 'before checkpoint write': 'commit',
};
const stageOf = (c: Case): StageName | undefined =>
  c.step === 'crash' ? STAGE_OF_CRASH[c.fault.replace('process dies ', '') as CrashPoint] : STAGE_OF_STEP[c.step];

interface MatrixRow { point: string; faulted: string; afterClean: string }
const matrix: MatrixRow[] = [];

afterAll(() => {
  const widths = [48, 58, 64];
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 10)).join(' | ')} |`;
  console.log([
    `Fault matrix (${matrix.length} rows): fault point → faulted run → after the next clean run`,
    line(['fault point', 'faulted run', 'after clean run']),
    line(widths.map((w) => '-'.repeat(w))),
    ...matrix.map((r) => line([r.point, r.faulted, r.afterClean])),
  ].join('\n'));
});

describe('fault matrix: each external call fails at each step, then a clean run', () => {
  for (const c of CASES) {
    it(`${c.step}: ${c.fault} — every finding notified ${c.atLeastOnce ? 'at least once, at most twice' : 'exactly once'}, no gap`, async () => {
      const rig = await startRig({ server: { streamThreshold: 2 }, confirm: true });
      const sns = new ScriptedSns();
      const sm = new ScriptedSecrets();
      sns.install();
      sm.install();
      sm.secretString = JSON.stringify({ tenant: rig.xsiam.url, apiKeyId: KEY.keyId, apiKey: KEY.key, keyType: 'advanced' });
      // Fetched every run, as a cold start would: the fault must meet the real adapter.
      const credentials = new SecretsManagerCredentials({ secretId: 'xsiam/api', client: new SecretsManagerClient({ region: 'us-east-1' }), maxAgeMs: 0 });
      const run = (overrides: Partial<RunPorts> = {}, deadlineMs?: number) =>
        rig.run({ credentials, ...overrides }, deadlineMs === undefined ? {} : { deadline: rig.clock.now + deadlineMs });
      try {
        // A clean first run notifies pair A and sets the checkpoint.
        rig.events.push(wmicRow(T0 - 30 * MIN, 'WS-A', ATTACK('a01')));
        const first = await run();
        expect(first).toMatchObject({ status: 'completed', notified: 1 });
        const cp0 = await rig.checkpoint();

        // Two new pairs and a repeat of A land in the next window; that run meets the fault.
        rig.events.push(wmicRow(T0 + 3 * MIN, 'WS-B', ATTACK('b01')), wmicRow(T0 + 6 * MIN, 'WS-C', ATTACK('c01')), wmicRow(T0 + 1 * MIN, 'WS-A', ATTACK('a01')));
        rig.clock.now = T0 + 15 * MIN;
        const overrides = c.arm(rig, sm, sns) ?? {};
        const armed = queuedFaults(rig, sm, sns);
        const faulted: RunSummary | Error = await run(overrides, c.deadlineMs).catch((e: unknown) => e as Error);
        const cp1 = await rig.checkpoint();
        // The armed fault really met a request (a fault that never fires proves nothing).
        if (c.step.startsWith('DynamoDB')) expect(rig.faults.fired, [...rig.faults.seen.keys()].join(' ')).toHaveLength(1);
        else if (c.step === 'confirmation') expectConfirmFaultsHit(rig);
        else if (c.step !== 'crash') expectFaultsHit(armed, queuedFaults(rig, sm, sns), c.expect === 'completes');
        const sentByFaulted = sns.perPair();
        if (c.confirmation !== undefined) {
          const statuses = sns.entries().filter(({ doc }) => doc.kind === 'finding' && doc.targetHost !== 'a01')
            .map(({ doc }) => `${String(doc.targetHost)}: ${String((doc.confirmation as { status?: string } | null)?.status)}`);
          expect(statuses.sort()).toEqual([`b01: ${c.confirmation}`, `c01: ${c.confirmation}`]);
          expect(cp1?.coveredUntil).toBe(T0 + 10 * MIN);
        }

        if (c.expect === 'completes' || c.expect === 'lease-held') {
          expect(faulted, (faulted as Error).stack).not.toBeInstanceOf(Error);
          expect((faulted as RunSummary).status).toBe(c.expect === 'completes' ? 'completed' : 'lease-held');
        } else {
          expect(faulted).toBeInstanceOf(Error);
          expect(failureOf(faulted).name).toBe(c.expect.fails);
          // A port's error comes out naming the step and the window it failed in; the run's own is thrown as it is.
          if (c.expect.fails === 'PublishFailedError') expect(faulted).not.toBeInstanceOf(StageError);
          else expect(faulted).toMatchObject({ name: 'StageError', stage: stageOf(c) });
          // A failed run leaves the checkpoint where it was: its window is covered again.
          expect(cp1).toEqual(cp0);
        }

        // The fault is gone; the next scheduled run (after any lease the dead run left has expired).
        rig.xsiam.faults.clear();
        rig.faults.clear();
        sns.queue.length = 0;
        sm.queue.length = 0;
        rig.clock.now = T0 + 40 * MIN;
        const clean = await run();
        expect(clean.status).toBe('completed');

        // No gap: each window starts at or before the end of the time covered before it.
        let coveredTo = first.window!.to;
        for (const s of [faulted, clean]) {
          if (s instanceof Error || s.window === null) continue;
          expect(s.window.from).toBeLessThanOrEqual(coveredTo);
          coveredTo = Math.max(coveredTo, s.window.to);
        }
        expect(coveredTo).toBe(T0 + 35 * MIN);
        expect((await rig.checkpoint())?.coveredUntil).toBe(T0 + 35 * MIN);

        // Every finding notified (exactly once, or at least once for the at-least-once rows), none lost.
        const sent = sns.perPair();
        expect(sent.get(PAIR_A)).toBe(1);
        for (const pair of PAIRS_NEW) {
          if (c.atLeastOnce) {
            expect(sent.get(pair) ?? 0).toBeGreaterThanOrEqual(1);
            expect(sent.get(pair) ?? 0).toBeLessThanOrEqual(2);
          } else {
            expect(sent.get(pair), pair).toBe(1);
          }
        }
        expect([...sent.keys()].sort()).toEqual([PAIR_A, ...PAIRS_NEW].sort());
        const items = await rig.findingItems();
        expect(items).toHaveLength(3);
        expect(items.map((i) => i.status)).toEqual(['NOTIFIED', 'NOTIFIED', 'NOTIFIED']);
        // History caught up too: every source recorded, and the covered day counted.
        const history = await rig.ports.state.readHistory(HUNT_ID, { hosts: ['WS-A', 'WS-B', 'WS-C'], users: [] }, rig.clock.now);
        expect([...history.hosts.keys()].sort()).toEqual(['ws-a', 'ws-b', 'ws-c']);
        expect(history.coveredDays).toContain(Math.floor(T0 / 86_400_000));

        const faultedText = faulted instanceof Error
          ? `threw ${faulted instanceof StageError ? `${faulted.name}(${faulted.stage}) ← ` : ''}${failureOf(faulted).name}; checkpoint kept; ${countSent(sentByFaulted)} sent`
          : `${faulted.status}; ${countSent(sentByFaulted)} sent; checkpoint ${cp1?.coveredUntil === T0 + 10 * MIN ? 'advanced' : 'kept'}${c.confirmation ? `; B,C ${c.confirmation}` : ''}`;
        const resends = PAIRS_NEW.filter((p) => (sent.get(p) ?? 0) > 1).length;
        matrix.push({
          point: `${c.step}: ${c.fault}`,
          faulted: faultedText,
          afterClean: `B,C notified ${c.atLeastOnce ? `≥1 ≤2 (${resends} re-sent, at-least-once)` : 'once'}; A once; no gap; 3 NOTIFIED`,
        });
      } finally {
        await rig.close();
      }
    });
  }
});

/** Faults still queued per source: each XSIAM endpoint, SNS and Secrets Manager. */
function queuedFaults(rig: Rig, sm: ScriptedSecrets, sns: ScriptedSns): Map<string, number> {
  const queued = new Map<string, number>(XQL_ENDPOINTS.map((e) => [`XSIAM ${e}`, rig.xsiam.faults.pending(e)]));
  queued.set('SNS', sns.queue.length);
  queued.set('Secrets Manager', sm.queue.length);
  return queued;
}

/**
 * Some fault was armed and every armed source was hit at least once. A run that completes must have
 * gone through all of its transient faults (e.g. both of "twice, then normal"), or it proves nothing.
 */
function expectFaultsHit(armed: Map<string, number>, left: Map<string, number>, completes: boolean): void {
  const sources = [...armed].filter(([, n]) => n > 0).map(([source]) => source);
  expect(sources, 'no fault armed').not.toHaveLength(0);
  for (const source of sources) {
    expect(left.get(source), `${source}: the fault never fired`).toBeLessThan(armed.get(source)!);
    if (completes) expect(left.get(source), `${source}: a transient fault was left unused`).toBe(0);
  }
}

/** The confirmation's lazily queued faults were armed (the stage ran) and each fired at least once. */
function expectConfirmFaultsHit(rig: Rig): void {
  const armed = confirmArmed.get(rig) ?? [];
  expect(armed, 'the confirmation never started collecting').not.toHaveLength(0);
  for (const { endpoint, times } of armed) expect(rig.xsiam.faults.pending(endpoint), `${endpoint}: the fault never fired`).toBeLessThan(times);
}

/** Notifications of the new pairs accepted so far, as "n of 2". */
function countSent(sent: Map<string, number>): string {
  return `${PAIRS_NEW.filter((p) => sent.has(p)).length}/2 new pairs`;
}
