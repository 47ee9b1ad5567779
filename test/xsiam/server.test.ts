import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEventsJsonl, parseEventsJsonl, startLocalXsiam, type LocalXsiam, type LocalXsiamOptions } from '../../local/xsiam/index.js';
import { BASE_TIME, manyRows, seedFixture } from '../fixtures/xsiam/events.js';
import { API_KEY, KEY_ID, fakeTime, post } from './support.js';

const START = '/public_api/v1/xql/start_xql_query';
const RESULTS = '/public_api/v1/xql/get_query_results';
const STREAM = '/public_api/v1/xql/get_query_results_stream';
const QUOTA = '/public_api/v1/xql/get_quota';
const TIMEFRAME = { from: BASE_TIME - 60_000, to: BASE_TIME + 10_000_000 };

let server: LocalXsiam | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<LocalXsiamOptions> = {}): Promise<LocalXsiam> {
  server = await startLocalXsiam({ credentials: { keyId: KEY_ID, key: API_KEY }, events: seedFixture(), ...options });
  return server;
}

describe('local XSIAM server', () => {
  it('accepts the reference advanced-key vector', async () => {
    const s = await start({ credentials: { keyId: '1', key: 'test_api_key' }, clock: { now: () => 1700000000000 } });
    const headers = { authorization: '7f6e06f901159bb5f2592d49ea2d83c70b639a1cf8564286029dcaaabb4669c8', 'x-xdr-auth-id': '1', 'x-xdr-nonce': 'A'.repeat(64), 'x-xdr-timestamp': '1700000000000' };
    expect((await post(s.url, QUOTA, { request_data: {} }, headers)).status).toBe(200);
    expect((await post(s.url, QUOTA, { request_data: {} }, { ...headers, authorization: headers.authorization.replace('7f', '8f') })).status).toBe(401);
  });

  it('accepts the second vector and refuses it 5 minutes and 1 ms later', async () => {
    const time = fakeTime(1599080399000);
    const s = await start({ credentials: { keyId: '1', key: 'my-secret-key' }, clock: time.clock });
    const headers = { authorization: 'fb887ec6172f9ce723577266fea9e3969dc0fb3225db269ecfca2d9a95069de5', 'x-xdr-auth-id': '1', 'x-xdr-nonce': '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01', 'x-xdr-timestamp': '1599080399000' };
    expect((await post(s.url, QUOTA, { request_data: {} }, headers)).status).toBe(200);
    time.advance(300_001);
    const refused = await post(s.url, QUOTA, { request_data: {} }, headers);
    expect(refused.status).toBe(401);
    expect(refused.json.reply).toMatchObject({ err_code: 401, err_extra: 'x-xdr-timestamp outside the allowed clock skew' });
  });

  it('refuses a replayed nonce when asked to', async () => {
    const s = await start({ credentials: { keyId: '1', key: 'test_api_key' }, clock: { now: () => 1700000000000 }, rejectReplayedNonces: true });
    const headers = { authorization: '7f6e06f901159bb5f2592d49ea2d83c70b639a1cf8564286029dcaaabb4669c8', 'x-xdr-auth-id': '1', 'x-xdr-nonce': 'A'.repeat(64), 'x-xdr-timestamp': '1700000000000' };
    expect((await post(s.url, QUOTA, { request_data: {} }, headers)).status).toBe(200);
    expect((await post(s.url, QUOTA, { request_data: {} }, headers)).json.reply.err_extra).toBe('nonce already used');
  });

  it.each([
    ['no headers', {}, 'missing Authorization header'],
    ['a wrong key id', { authorization: API_KEY, 'x-xdr-auth-id': '9' }, 'unknown API key id'],
    ['a wrong standard key', { authorization: 'nope', 'x-xdr-auth-id': KEY_ID }, 'invalid API key'],
  ])('answers 401 with the error envelope for %s', async (_label, headers, reason) => {
    const s = await start();
    const res = await post(s.url, START, { request_data: { query: 'x' } }, headers);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ reply: { err_code: 401, err_msg: 'Public API request unauthorized', err_extra: reason } });
    expect(s.stats.authFailures).toBe(1);
  });

  it('serves every route with and without a trailing slash, 404 elsewhere', async () => {
    const s = await start();
    expect((await post(s.url, `${QUOTA}/`, { request_data: {} })).status).toBe(200);
    expect((await post(s.url, QUOTA, { request_data: {} })).status).toBe(200);
    const missing = await post(s.url, '/public_api/v1/xql/get_everything', { request_data: {} });
    expect(missing.status).toBe(404);
    expect(missing.json.reply.err_code).toBe(404);
    expect(s.stats.requests).toEqual({ start_xql_query: 0, get_query_results: 0, get_query_results_stream: 0, get_quota: 2, other: 1 });
  });

  it('answers 400 for invalid JSON and for a missing request_data', async () => {
    const s = await start();
    const bad = await post(s.url, START, '{"request_data": ');
    expect(bad.status).toBe(400);
    expect(bad.json.reply.err_msg).toContain('invalid JSON');
    expect((await post(s.url, START, { query: 'x' })).status).toBe(400);
    expect((await post(s.url, START, { request_data: { query: 'x', timeframe: { from: 'a', to: 2 } } })).status).toBe(400);
  });

  it('reports a syntax error as 500 with err_extra.parse_err from the real engine', async () => {
    const s = await start();
    const res = await post(s.url, START, { request_data: { query: 'dataset = xdr_data |alter2 x' } });
    expect(res.status).toBe(500);
    expect(res.json.reply.err_extra.parse_err).toMatchObject({ line: 1, column: 21 });
    expect(res.json.reply.err_extra.parse_err.message).toContain('alter2');
  });

  it('runs a query: PENDING first, then SUCCESS with cost, quota and rows; string timeframes accepted', async () => {
    const s = await start({ pendingPolls: 2 });
    const started = await post(s.url, START, { request_data: { query: 'dataset = xdr_data | limit 2', timeframe: { from: String(TIMEFRAME.from), to: String(TIMEFRAME.to) } } });
    const id = started.json.reply as string;
    expect(id).toMatch(/^[0-9a-f]{14}_1_inv$/);
    const body = { request_data: { query_id: id, pending_flag: true, format: 'json' } };
    expect((await post(s.url, RESULTS, body)).json).toEqual({ reply: { status: 'PENDING' } });
    expect(s.stats.running).toBe(1);
    expect((await post(s.url, RESULTS, body)).json.reply.status).toBe('PENDING');
    const done = (await post(s.url, RESULTS, body)).json.reply;
    expect(done).toMatchObject({ status: 'SUCCESS', number_of_results: 2, query_cost: { '1098781949': 0.00102 }, remaining_quota: 5 - 0.00102 });
    expect(done.results.data[0]).toMatchObject({ _time: expect.any(Number), _vendor: 'PANW', _product: 'XDR agent', event_type: 'PROCESS' });
    expect(s.stats.running).toBe(0);
  });

  it('blocks on pending_flag false until the query completes, even on a frozen clock', async () => {
    const s = await start({ pendingPolls: 5, completionDelayMs: 50, clock: { now: () => BASE_TIME } });
    const id = (await post(s.url, START, { request_data: { query: 'dataset = xdr_data', timeframe: TIMEFRAME } })).json.reply as string;
    const res = await post(s.url, RESULTS, { request_data: { query_id: id, pending_flag: false } });
    expect(res.json.reply.status).toBe('SUCCESS');
  });

  it('answers an unknown query id or stream id with a 500 envelope', async () => {
    const s = await start();
    expect((await post(s.url, RESULTS, { request_data: { query_id: 'nope_1_inv' } })).json.reply.err_extra).toContain('not found');
    expect((await post(s.url, STREAM, { request_data: { stream_id: 'nope' } })).status).toBe(500);
  });

  it('refuses a fifth parallel query', async () => {
    const s = await start({ pendingPolls: 10 });
    for (let i = 0; i < 4; i++) expect((await post(s.url, START, { request_data: { query: 'dataset = xdr_data' } })).status).toBe(200);
    const fifth = await post(s.url, START, { request_data: { query: 'dataset = xdr_data' } });
    expect(fifth.status).toBe(500);
    expect(fifth.json.reply.err_msg).toBe('reached max allowed amount of parallel running queries');
    const quota = (await post(s.url, QUOTA, { request_data: {} })).json.reply;
    expect(quota).toMatchObject({ current_concurrent_active_queries_count: 4, total_daily_concurrent_rejected_queries: 1, total_daily_running_queries: 4 });
    expect(s.stats.peakRunning).toBe(4);
  });

  it('refuses queries once the quota is spent (assumed: HTTP 500, QUOTA_EXCEEDED)', async () => {
    const s = await start({ quota: 0.001, pendingPolls: 0 });
    const id = (await post(s.url, START, { request_data: { query: 'dataset = xdr_data', timeframe: TIMEFRAME } })).json.reply as string;
    expect((await post(s.url, RESULTS, { request_data: { query_id: id } })).json.reply.remaining_quota).toBe(0);
    const refused = await post(s.url, START, { request_data: { query: 'dataset = xdr_data' } });
    expect(refused.status).toBe(500);
    expect(refused.json.reply).toMatchObject({ err_msg: 'query usage exceeded max daily quota', err_extra: { error_type: 'QUOTA_EXCEEDED' } });
  });

  it('moves more than 1000 rows to a stream: gzip NDJSON without Content-Encoding, or plain', async () => {
    const s = await start({ events: manyRows(1_500), pendingPolls: 0, realistic: true });
    const id = (await post(s.url, START, { request_data: { query: 'dataset = xdr_data', timeframe: TIMEFRAME } })).json.reply as string;
    const reply = (await post(s.url, RESULTS, { request_data: { query_id: id } })).json.reply;
    expect(reply).toMatchObject({ status: 'SUCCESS', number_of_results: 1_500, results: { stream_id: expect.any(String) } });
    const gz = await post(s.url, STREAM, { request_data: { stream_id: reply.results.stream_id, is_gzip_compressed: true } });
    expect(gz.headers.get('content-encoding')).toBeNull();
    const lines = gunzipSync(gz.bytes).toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(1_500);
    const first = JSON.parse(lines[0] ?? '{}');
    expect(first).toMatchObject({ _time: '2026-11-28 12:00:00.000 UTC', insert_timestamp: '2026-11-28 12:00:02.000000 UTC', action_process_is_signed: 'TRUE', remote_host: 'NULL', parent_pid: '4' });
    const plain = await post(s.url, STREAM, { request_data: { stream_id: reply.results.stream_id, is_gzip_compressed: false } });
    expect(plain.bytes.toString('utf8').trim().split('\n')).toHaveLength(1_500);
  });

  it('returns at most `limit` rows inline when limit ≤ 1000', async () => {
    const s = await start({ events: manyRows(1_500), pendingPolls: 0 });
    const id = (await post(s.url, START, { request_data: { query: 'dataset = xdr_data', timeframe: TIMEFRAME } })).json.reply as string;
    const reply = (await post(s.url, RESULTS, { request_data: { query_id: id, limit: 10 } })).json.reply;
    expect(reply.results.data).toHaveLength(10);
  });

  it('consumes queued faults in order, each the given number of times', async () => {
    const s = await start();
    s.faults.add('get_quota', { status: 503, times: 2 });
    s.faults.add('get_quota', { json: { hello: 1 } });
    expect(s.faults.pending('get_quota')).toBe(3);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(s.url, QUOTA, { request_data: {} })).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    expect(s.faults.pending('get_quota')).toBe(0);
    s.faults.add('get_quota', { status: 429, retryAfter: '3' });
    const limited = await post(s.url, QUOTA, { request_data: {} });
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.json.reply.err_msg).toBe('Too many requests.');
    expect(() => s.faults.add('get_quota', { times: 0 })).toThrow(RangeError);
  });

  it('drops the connection on a drop fault', async () => {
    const s = await start();
    s.faults.add('get_quota', { drop: true });
    await expect(post(s.url, QUOTA, { request_data: {} })).rejects.toThrow();
    expect(s.stats.requests.get_quota).toBe(1);
  });

  it('takes events from a function for each query', async () => {
    let calls = 0;
    const s = await start({ events: () => { calls += 1; return seedFixture().slice(0, 1); }, pendingPolls: 0 });
    const id = (await post(s.url, START, { request_data: { query: 'dataset = xdr_data', timeframe: TIMEFRAME } })).json.reply as string;
    expect((await post(s.url, RESULTS, { request_data: { query_id: id } })).json.reply.number_of_results).toBe(1);
    expect(calls).toBe(1);
  });
});

describe('loadEventsJsonl', () => {
  it('keeps good rows and reports bad lines by number', async () => {
    const { rows, problems } = await loadEventsJsonl(new URL('../fixtures/xsiam/events-with-bad-lines.jsonl', import.meta.url).pathname);
    expect(rows.map((r) => r.event_id)).toEqual(['e1', 'e3']);
    expect(problems.map((p) => p.line)).toEqual([3, 4]);
    expect(problems[0]?.problem).toMatch(/^not valid JSON/);
    expect(problems[1]?.problem).toBe('expected a JSON object, got array');
  });

  it('handles CRLF and empty input', () => {
    expect(parseEventsJsonl('{"a":1}\r\n{"a":2}\r\n').rows).toHaveLength(2);
    expect(parseEventsJsonl('')).toEqual({ rows: [], problems: [] });
  });
});
