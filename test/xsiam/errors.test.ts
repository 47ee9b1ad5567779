import { afterEach, describe, expect, it } from 'vitest';
import {
  DeadlineExceededError,
  XqlQueryFailedError,
  XqlSyntaxError,
  XsiamAuthError,
  XsiamConfigError,
  XsiamNetworkError,
  XsiamQuotaExceededError,
  XsiamRateLimitedError,
  XsiamRequestError,
  XsiamServerError,
  XsiamTooManyQueriesError,
} from '../../lambda/xsiam/index.js';
import { startLocalXsiam } from '../../local/xsiam/index.js';
import { BASE_TIME, seedFixture } from '../fixtures/xsiam/events.js';
import { API_KEY, KEY_ID, credentials, harness, post, type Harness } from './support.js';

const WINDOW = { from: BASE_TIME - 60_000, to: BASE_TIME + 3_600_000 };
const XQL = 'dataset = xdr_data';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function run(harnessed: Harness, xql = XQL, deadlineMs = 120_000): Promise<unknown> {
  return harnessed.client.query(credentials(harnessed.server.url), xql, WINDOW, { deadline: harnessed.time.now + deadlineMs }).catch((e: unknown) => e);
}

describe('error replies become typed errors', () => {
  it('raises XqlSyntaxError with line and column from err_extra.parse_err, without retrying', async () => {
    h = await harness({ events: seedFixture() });
    const error = await run(h, 'dataset = xdr_data |alter2 x');
    expect(error).toBeInstanceOf(XqlSyntaxError);
    expect(error).toMatchObject({ line: 1, column: 20, status: 500, retryable: false });
    expect((error as Error).message).toContain("line 1, column 20: no viable alternative at input '|alter2'");
    expect(h.server.stats.requests.start_xql_query).toBe(1);
  });

  it('reads the parse position from err_msg when it holds the JSON as a string', async () => {
    h = await harness({ events: seedFixture() });
    h.server.faults.add('start_xql_query', {
      status: 500,
      json: { reply: { err_code: 500, err_msg: '{"line": 2, "column": 5, "message": "mismatched input"}', err_extra: null } },
    });
    const error = await run(h);
    expect(error).toBeInstanceOf(XqlSyntaxError);
    expect(error).toMatchObject({ line: 2, column: 5, parseMessage: 'mismatched input' });
  });

  it('reads a top-level error envelope (no reply wrapper)', async () => {
    h = await harness({ events: seedFixture() });
    h.server.faults.add('start_xql_query', { status: 403, json: { err_code: 403, err_msg: 'Forbidden access', err_extra: 'RBAC' } });
    const error = await run(h);
    expect(error).toBeInstanceOf(XsiamAuthError);
    expect(error).toMatchObject({ status: 403, errCode: 403 });
    expect((error as Error).message).toContain('"Forbidden access"');
  });

  it.each([402, 403])('treats HTTP %i as XsiamAuthError', async (status) => {
    h = await harness({ events: seedFixture() });
    h.server.faults.add('get_query_results', { status });
    expect(await run(h)).toBeInstanceOf(XsiamAuthError);
  });

  it('raises XqlQueryFailedError for status FAIL, quoting the reason', async () => {
    h = await harness({
      events: seedFixture(),
      pendingPolls: 0,
      engine: { parse: (t) => t, run: () => { throw new Error('dataset xdr_data is unavailable'); } },
    });
    const error = await run(h);
    expect(error).toBeInstanceOf(XqlQueryFailedError);
    expect((error as XqlQueryFailedError).queryId).toMatch(/_inv$/);
    expect((error as Error).message).toContain('dataset xdr_data is unavailable');
  });

  it('raises XsiamQuotaExceededError when the daily quota is spent, without retrying', async () => {
    h = await harness({ events: seedFixture(), quota: 0 });
    const error = await run(h);
    expect(error).toBeInstanceOf(XsiamQuotaExceededError);
    expect((error as XsiamQuotaExceededError).retryable).toBe(false);
    expect(h.server.stats.requests.start_xql_query).toBe(1);
  });

  it('raises XsiamRequestError for a wrong base path (404)', async () => {
    h = await harness({ events: seedFixture() });
    const error = await h.client.query(credentials(`${h.server.url}/wrong/`), XQL, WINDOW, { deadline: h.time.now + 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XsiamRequestError);
    expect(error).toMatchObject({ status: 404 });
  });
});

describe('unusable input', () => {
  it.each([
    ['an empty key', { apiKey: '' }, {}, 'XSIAM credentials unusable: apiKey is empty'],
    ['an unknown key type', { keyType: 'fancy' as never }, {}, 'keyType must be "standard" or "advanced", got "fancy"'],
    ['an infinite deadline', {}, { deadline: Number.POSITIVE_INFINITY }, 'query deadline must be a finite epoch-ms number'],
    ['a plain-http remote tenant', { tenant: 'http://xsiam.example.com' }, {}, 'must use https://'],
  ])('refuses %s with XsiamConfigError before any HTTP call', async (_label, over, opts, message) => {
    h = await harness({ events: seedFixture() });
    const error = await h.client.query(credentials(h.server.url, 'advanced', over), XQL, WINDOW, { deadline: h.time.now + 60_000, ...opts }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XsiamConfigError);
    expect((error as Error).message).toContain(message);
    expect(h.server.stats.requests.start_xql_query).toBe(0);
  });

  it('refuses a window whose from is after its to', async () => {
    h = await harness({ events: seedFixture() });
    const error = await h.client.query(credentials(h.server.url), XQL, { from: 2, to: 1 }, { deadline: h.time.now + 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XsiamConfigError);
  });
});

describe('retries', () => {
  it('retries the parallel-query limit with back-off, then gives up after the bound', async () => {
    h = await harness({ events: seedFixture(), maxParallelQueries: 1, pendingPolls: 1_000 }, { maxTooManyQueriesRetries: 2, tooManyQueriesBaseMs: 1_000, tooManyQueriesMaxMs: 10_000 });
    const occupied = await post(h.server.url, '/public_api/v1/xql/start_xql_query', { request_data: { query: XQL } });
    expect(occupied.status).toBe(200);
    const error = await run(h);
    expect(error).toBeInstanceOf(XsiamTooManyQueriesError);
    expect((error as Error).message).toContain('reached max allowed amount of parallel running queries');
    expect(h.server.stats.requests.start_xql_query).toBe(1 + 3);
    expect(h.time.sleeps).toEqual([750, 1_500]);
  });

  it('recognises the other wording of the parallel-query limit and succeeds on retry', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0 });
    h.server.faults.add('start_xql_query', { status: 500, json: { reply: { err_code: 500, err_msg: 'The maximum allowed number of parallel running queries has been reached' } } });
    const result = await h.client.query(credentials(h.server.url), XQL, WINDOW, { deadline: h.time.now + 60_000 });
    expect(result.rows).toHaveLength(7);
    expect(result.httpCalls).toBe(3);
  });

  it('honours Retry-After on 429', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0 });
    h.server.faults.add('get_query_results', { status: 429, retryAfter: '7' });
    const result = await h.client.query(credentials(h.server.url), XQL, WINDOW, { deadline: h.time.now + 60_000 });
    expect(h.time.sleeps).toEqual([7_000]);
    expect(result.httpCalls).toBe(3);
  });

  it('treats "Too many requests" text as rate limiting and stops after maxRetries', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0 }, { maxRetries: 2 });
    h.server.faults.add('start_xql_query', { status: 500, json: { reply: { err_code: 500, err_msg: 'Too many requests.' } }, times: 5 });
    const error = await run(h);
    expect(error).toBeInstanceOf(XsiamRateLimitedError);
    expect(h.server.stats.requests.start_xql_query).toBe(3);
  });

  it('retries 5xx on polls with jittered, growing delays', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0 }, { retryBaseMs: 500 });
    h.server.faults.add('get_query_results', { status: 503, times: 2 });
    const result = await h.client.query(credentials(h.server.url), XQL, WINDOW, { deadline: h.time.now + 60_000 });
    expect(result.rows).toHaveLength(7);
    expect(result.httpCalls).toBe(1 + 3);
    expect(h.time.sleeps).toEqual([375, 750]);
  });

  it('gives up on a poll after maxRetries 5xx replies with XsiamServerError', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0 }, { maxRetries: 3 });
    h.server.faults.add('get_query_results', { status: 502, times: 10 });
    const error = await run(h);
    expect(error).toBeInstanceOf(XsiamServerError);
    expect(error).toMatchObject({ status: 502, retryable: true });
    expect((error as XsiamServerError).queryId).toMatch(/_inv$/);
    expect(h.server.stats.requests.get_query_results).toBe(4);
    expect(h.server.stats.queriesStarted).toBe(1);
  });

  it('retries an ambiguous start failure at most maxStartRetries times (duplicate-query guard)', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0 }, { maxRetries: 5, maxStartRetries: 1 });
    h.server.faults.add('start_xql_query', { status: 503, times: 5 });
    const error = await run(h);
    expect(error).toBeInstanceOf(XsiamServerError);
    expect(h.server.stats.requests.start_xql_query).toBe(2);
  });

  it('retries a dropped connection on a poll', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0 });
    h.server.faults.add('get_query_results', { drop: true });
    const result = await h.client.query(credentials(h.server.url), XQL, WINDOW, { deadline: h.time.now + 60_000 });
    expect(result.rows).toHaveLength(7);
    expect(result.httpCalls).toBe(3);
  });

  it('does not re-send a start whose connection dropped when maxStartRetries is 0', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0 }, { maxStartRetries: 0 });
    h.server.faults.add('start_xql_query', { drop: true });
    const error = await run(h);
    expect(error).toBeInstanceOf(XsiamNetworkError);
    expect((error as XsiamNetworkError).requestSent).toBe(true);
    expect(h.server.stats.requests.start_xql_query).toBe(1);
  });

  it('retries refused connections (nothing was sent) up to maxRetries, then raises XsiamNetworkError', async () => {
    const closed = await startLocalXsiam({ credentials: { keyId: KEY_ID, key: API_KEY } });
    await closed.close();
    h = await harness({}, { maxRetries: 2, maxStartRetries: 0 });
    const error = await h.client.query(credentials(closed.url), XQL, WINDOW, { deadline: h.time.now + 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XsiamNetworkError);
    expect(error).toMatchObject({ requestSent: false, retryable: true, call: 'start_xql_query' });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(h.time.sleeps).toHaveLength(2);
  });
});

describe('deadline', () => {
  it('raises DeadlineExceededError for a query that stays PENDING, never sleeping past the deadline', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 1_000_000 }, { pollInitialMs: 200, pollMaxMs: 2_000, pollReserveMs: 100 });
    const deadline = h.time.now + 10_000;
    const error = await h.client.query(credentials(h.server.url), XQL, WINDOW, { deadline }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(h.time.now).toBeLessThanOrEqual(deadline);
    expect(h.time.now).toBeGreaterThanOrEqual(deadline - 100);
    const polls = h.server.stats.requests.get_query_results;
    expect((error as DeadlineExceededError).httpCalls).toBe(1 + polls);
    expect((error as DeadlineExceededError).queryId).toMatch(/_inv$/);
    expect(polls).toBeGreaterThan(5);
    expect(polls).toBeLessThan(20);
  });

  it('gives up instead of waiting out a Retry-After that ends past the deadline', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0 });
    h.server.faults.add('get_query_results', { status: 429, retryAfter: '60' });
    const deadline = h.time.now + 10_000;
    const error = await h.client.query(credentials(h.server.url), XQL, WINDOW, { deadline }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).cause).toBeInstanceOf(XsiamRateLimitedError);
    expect(h.time.sleeps).toEqual([]);
  });

  it('makes no HTTP call when the deadline has already passed', async () => {
    h = await harness({ events: seedFixture() });
    const error = await h.client.query(credentials(h.server.url), XQL, WINDOW, { deadline: h.time.now - 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as DeadlineExceededError).httpCalls).toBe(0);
    expect(h.server.stats.requests.start_xql_query).toBe(0);
  });

  it('aborts a request still in flight at the deadline', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0 });
    h.server.faults.add('get_query_results', { delayMs: 3_000 });
    const error = await h.client.query(credentials(h.server.url), XQL, WINDOW, { deadline: h.time.now + 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).message).toContain('during get_query_results');
  });
});
