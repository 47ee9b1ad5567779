import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import * as xsiam from '../../lambda/xsiam/index.js';
import { signAdvanced } from '../../lambda/xsiam/index.js';
import { startLocalXsiam, type Fault, type XqlEndpoint } from '../../local/xsiam/index.js';
import { BASE_TIME, manyRows, seedFixture } from '../fixtures/xsiam/events.js';
import { API_KEY, KEY_ID, credentials, harness, type Harness } from './support.js';

const NONCE = 'n'.repeat(64);
const WINDOW = { from: BASE_TIME - 60_000, to: BASE_TIME + 10_000_000 };
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Scenario = [name: keyof typeof xsiam, endpoint: XqlEndpoint, fault: (echo: string) => Fault, events?: Record<string, unknown>[], retries?: number];

const envelope = (status: number, errMsg: string, errExtra: unknown = null) => ({ status, json: { reply: { err_code: status, err_msg: errMsg, err_extra: errExtra } } });

// Each server reply echoes the API key and the signature the client just sent.
const scenarios: Scenario[] = [
  ['XsiamAuthError', 'start_xql_query', (e) => envelope(401, `bad key ${e}`, e)],
  ['XqlSyntaxError', 'start_xql_query', (e) => envelope(500, e, { parse_err: { line: 1, column: 2, message: `near ${e}` } })],
  ['XqlQueryFailedError', 'get_query_results', (e) => ({ json: { reply: { status: 'FAIL', err_msg: e } } })],
  ['XsiamQuotaExceededError', 'start_xql_query', (e) => envelope(500, `query usage exceeded max daily quota ${e}`)],
  ['XsiamTooManyQueriesError', 'start_xql_query', (e) => envelope(500, `reached max allowed amount of parallel running queries ${e}`)],
  ['XsiamRateLimitedError', 'get_query_results', (e) => envelope(429, `Too many requests. ${e}`)],
  ['XsiamServerError', 'get_query_results', (e) => ({ status: 502, body: `<html>${e}</html>` })],
  ['XsiamRequestError', 'start_xql_query', (e) => envelope(400, e, e)],
  ['XsiamProtocolError', 'start_xql_query', (e) => ({ body: e })],
  ['XsiamProtocolError', 'get_query_results', (e) => ({ json: { reply: { status: 'SUCCESS', results: { data: e } } } })],
  ['XsiamProtocolError', 'get_query_results_stream', (e) => ({ body: gzipSync(`{"k": "${e}`) }), manyRows(1_001)],
  ['XsiamNetworkError', 'get_query_results', () => ({ drop: true })],
  ['DeadlineExceededError', 'get_query_results', (e) => ({ ...envelope(429, `Too many requests. ${e}`), retryAfter: '3600' }), undefined, 1],
];

function leaks(value: unknown, secrets: string[]): string[] {
  const text = inspect(value, { depth: 10, showHidden: true });
  return secrets.filter((s) => text.includes(s));
}

describe('no secret in any error message or log line', () => {
  it.each(scenarios.map((s) => [s[0], s[1], s] as const))('%s from %s carries neither the key nor the signature', async (name, _endpoint, [, endpoint, fault, events, retries]) => {
    const lines: unknown[] = [];
    const log = { debug: (...a: unknown[]) => lines.push(a), warn: (...a: unknown[]) => lines.push(a) };
    h = await harness({ events: events ?? seedFixture(), pendingPolls: 0 }, { nonce: () => NONCE, maxRetries: retries ?? 0, maxTooManyQueriesRetries: 0, log });
    const signature = signAdvanced(API_KEY, NONCE, String(h.time.now));
    h.server.faults.add(endpoint, fault(`${API_KEY} ${signature}`));
    const error = await h.client.query(credentials(h.server.url, 'advanced'), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(xsiam[name] as new (...args: never[]) => Error);
    expect(leaks(error, [API_KEY, signature])).toEqual([]);
    expect(leaks(lines, [API_KEY, signature])).toEqual([]);
    if (name !== 'XsiamNetworkError') expect(inspect(error, { depth: 10 })).toContain('[REDACTED]');
  });

  it('keeps the key and the signature out of the row problems of a malformed row', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0 }, { nonce: () => NONCE });
    const signature = signAdvanced(API_KEY, NONCE, String(h.time.now));
    h.server.faults.add('get_query_results', { json: { reply: { status: 'SUCCESS', number_of_results: 1, results: { data: [{ _time: `${API_KEY} ${signature}` }] } } } });
    const result = await h.client.query(credentials(h.server.url, 'advanced'), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 });
    expect(result.rowProblems).toHaveLength(1);
    expect(leaks(result.rowProblems, [API_KEY, signature])).toEqual([]);
    expect(result.rowProblems[0]).toContain('[REDACTED]');
  });

  it('redacts before truncating, so no key prefix survives at the cut', async () => {
    h = await harness({ events: seedFixture() });
    h.server.faults.add('start_xql_query', { body: `${'x'.repeat(290)}${API_KEY}` });
    const error = await h.client.query(credentials(h.server.url, 'standard'), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(xsiam.XsiamProtocolError);
    expect(leaks(error, [API_KEY.slice(0, 8)])).toEqual([]);
  });

  it('keeps a standard key out of an echoed error message', async () => {
    h = await harness({ events: seedFixture() });
    h.server.faults.add('start_xql_query', envelope(401, `Authorization ${API_KEY} refused`));
    const error = await h.client.query(credentials(h.server.url, 'standard'), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(xsiam.XsiamAuthError);
    expect(leaks(error, [API_KEY])).toEqual([]);
  });

  it('keeps the key out of a refused-connection error', async () => {
    const closed = await startLocalXsiam({ credentials: { keyId: KEY_ID, key: API_KEY } });
    await closed.close();
    h = await harness({}, { maxRetries: 0 });
    const error = await h.client.query(credentials(closed.url, 'standard'), 'x', WINDOW, { deadline: h.time.now + 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(xsiam.XsiamNetworkError);
    expect(leaks(error, [API_KEY])).toEqual([]);
  });
});
