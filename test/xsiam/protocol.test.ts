import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { XsiamProtocolError } from '../../lambda/xsiam/index.js';
import type { XqlEndpoint } from '../../local/xsiam/index.js';
import { BASE_TIME, manyRows, seedFixture } from '../fixtures/xsiam/events.js';
import { credentials, harness, type Harness } from './support.js';

const WINDOW = { from: BASE_TIME - 60_000, to: BASE_TIME + 10_000_000 };
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function protocolError(endpoint: XqlEndpoint, fault: { body?: string | Uint8Array; json?: unknown; truncateGzip?: boolean }, events = seedFixture()): Promise<XsiamProtocolError> {
  h = await harness({ events, pendingPolls: 0 });
  h.server.faults.add(endpoint, fault);
  const error = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(XsiamProtocolError);
  return error as XsiamProtocolError;
}

const poll = (reply: unknown) => ({ reply });
const ok = { status: 'SUCCESS', number_of_results: 1, query_cost: { t: 0.1 }, remaining_quota: 4, results: { data: [] } };

/** The next poll answers SUCCESS with a stream of `count` rows (the stream body is another fault). */
function announceStream(harness: Harness, count: number): void {
  harness.server.faults.add('get_query_results', { json: poll({ ...ok, number_of_results: count, results: { stream_id: 'stream-1' } }) });
}

describe('malformed rows are reported one by one; the query keeps its other rows', () => {
  it('leaves out an inline row that is not an object, and one whose _time is unreadable', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0 });
    h.server.faults.add('get_query_results', { json: poll({ ...ok, number_of_results: 3, results: { data: [{ _time: 1, event_id: 'a' }, 'row', { _time: 'yesterday', event_id: 'c' }] } }) });
    const result = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 });
    expect(result.rows).toEqual([{ _time: 1, event_id: 'a' }]);
    expect(result.rowProblems).toEqual([
      'get_query_results reply.results.data[1]: expected a JSON object, got string; row left out',
      'get_query_results reply.results.data[2]._time: expected epoch ms or a UTC date-time from 1970 to 9999, got "yesterday"; row left out',
    ]);
  });

  it('leaves out an NDJSON line that is not an object', async () => {
    h = await harness({ events: manyRows(1_001), pendingPolls: 0 });
    announceStream(h, 2);
    h.server.faults.add('get_query_results_stream', { body: gzipSync('{"_time": 1}\n[1]\n') });
    const result = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 });
    expect(result.rows).toEqual([{ _time: 1 }]);
    expect(result.rowProblems).toEqual(['get_query_results_stream line 2: expected a JSON object, got array; row left out']);
  });
});

describe('malformed replies become clear XsiamProtocolError messages', () => {
  it.each([
    ['start_xql_query', { body: '<html>gateway</html>' }, 'start_xql_query: expected a JSON body, got "<html>gateway</html>"'],
    ['start_xql_query', { body: '' }, 'start_xql_query: expected a JSON body, got an empty body'],
    ['start_xql_query', { json: { reply: 12.5e400 } }, 'start_xql_query: expected reply to be a non-empty execution id string, got null'],
    ['start_xql_query', { json: { reply: { id: 'x' } } }, 'start_xql_query: expected reply to be a non-empty execution id string, got object'],
    ['start_xql_query', { json: [1, 2] }, 'start_xql_query: expected the reply body to be a JSON object, got array'],
    ['get_query_results', { body: 'not json' }, 'get_query_results: expected a JSON body, got "not json"'],
    ['get_query_results', { json: poll('SUCCESS') }, 'get_query_results: expected reply to be an object, got string'],
    ['get_query_results', { json: poll({ ...ok, status: 3 }) }, 'get_query_results: expected reply.status to be a string, got number'],
    ['get_query_results', { json: poll({ ...ok, status: 'DONE' }) }, 'get_query_results: expected reply.status to be one of PENDING, SUCCESS, PARTIAL_SUCCESS, FAIL, got string "DONE"'],
    ['get_query_results', { json: poll({ ...ok, results: null }) }, 'get_query_results: expected reply.results to be an object with data or stream_id, got null'],
    ['get_query_results', { json: poll({ ...ok, results: { data: 'rows' } }) }, 'get_query_results: expected reply.results.data to be an array of rows, got string "rows"'],
    ['get_query_results', { json: poll({ ...ok, results: { stream_id: 7 } }) }, 'get_query_results: expected reply.results.stream_id to be a non-empty string, got number'],
    ['get_query_results', { json: poll({ ...ok, query_cost: { t: 'cheap' } }) }, 'get_query_results: expected reply.query_cost["t"] to be a number, got string "cheap"'],
    ['get_query_results', { json: poll({ ...ok, remaining_quota: [] }) }, 'get_query_results: expected reply.remaining_quota to be a number, got array'],
  ] as const)('%s %j', async (endpoint, fault, message) => {
    const error = await protocolError(endpoint, fault);
    expect(error.message).toContain(message);
  });

  it('reports a stream body that is not gzip', async () => {
    const error = await protocolError('get_query_results_stream', { body: '{"a":1}\n' }, manyRows(1_001));
    expect(error.message).toContain('get_query_results_stream: expected a gzip body (is_gzip_compressed: true), got 8 bytes starting "{"a":1}"');
  });

  it('reports a truncated gzip stream', async () => {
    const error = await protocolError('get_query_results_stream', { truncateGzip: true }, manyRows(1_001));
    expect(error.message).toMatch(/^get_query_results_stream: body is not valid gzip \(/);
  });

  it('names the NDJSON line that does not parse', async () => {
    const body = gzipSync('{"_time": 1}\n\n{"_time": 2}\n{"_time": 3,\n');
    const error = await protocolError('get_query_results_stream', { body }, manyRows(1_001));
    expect(error.message).toBe('get_query_results_stream: line 4 of the NDJSON body is not valid JSON: "{"_time": 3,"');
  });

  it('fails a stream that ends cleanly with fewer rows than announced, so the window is read again', async () => {
    const error = await protocolError('get_query_results_stream', { body: gzipSync('{"_time": 1}\n') }, manyRows(1_001));
    expect(error.message).toBe('get_query_results_stream: the stream held 1 rows but get_query_results announced 1001');
  });

  it('accepts a doubly gzipped stream and tolerates blank lines', async () => {
    h = await harness({ events: manyRows(1_001), pendingPolls: 0 });
    announceStream(h, 2);
    h.server.faults.add('get_query_results_stream', { body: gzipSync(gzipSync('\n{"_time": "2021-10-14 03:59:09.793 UTC", "insert_timestamp": "2021-10-14 04:02:12.883114 UTC"}\n\n{"_time": "1634183949793"}\n')) });
    const result = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 });
    expect(result.rows).toEqual([
      { _time: Date.UTC(2021, 9, 14, 3, 59, 9, 793), insert_timestamp: Date.UTC(2021, 9, 14, 4, 2, 12, 883) },
      { _time: 1634183949793 },
    ]);
    expect(result.numberOfResults).toBe(2);
    expect(result.rowProblems).toEqual([]);
  });

  it('refuses a reply body larger than maxBodyBytes', async () => {
    h = await harness({ events: manyRows(1_500), pendingPolls: 0 }, { maxBodyBytes: 4_096 });
    const error = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XsiamProtocolError);
    expect((error as Error).message).toBe('get_query_results_stream: reply body exceeds 4096 bytes');
  });
});

describe('reply variants', () => {
  it('sums query_cost over tenants and accepts PARTIAL_SUCCESS with a warning', async () => {
    const warnings: string[] = [];
    h = await harness({ events: seedFixture(), pendingPolls: 0 }, { log: { debug: () => {}, warn: (m: string) => warnings.push(m) } });
    h.server.faults.add('get_query_results', {
      json: { reply: { status: 'PARTIAL_SUCCESS', number_of_results: 1, query_cost: { a: 0.25, b: 0.5 }, remaining_quota: '3.5', results: { data: [{ _time: 5, x: 'NULL' }] } } },
    });
    const result = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 });
    expect(result).toMatchObject({ rows: [{ _time: 5, x: null }], queryCost: 0.75, remainingQuota: 3.5, numberOfResults: 1 });
    expect(warnings).toEqual(['XQL query returned PARTIAL_SUCCESS: some tenants failed']);
  });

  it('accepts a numeric execution id and a reply without cost or quota', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0 });
    h.server.faults.add('start_xql_query', { json: { reply: 2743 } });
    h.server.faults.add('get_query_results', { json: { reply: { status: 'SUCCESS', results: { data: [] } } } });
    const result = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 });
    expect(result).toMatchObject({ queryId: '2743', rows: [], queryCost: 0, remainingQuota: null, numberOfResults: 0 });
  });
});
