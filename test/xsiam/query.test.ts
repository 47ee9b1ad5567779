import { afterEach, describe, expect, it } from 'vitest';
import { XsiamAuthError, createXsiamClient } from '../../lambda/xsiam/index.js';
import { BASE_TIME, manyRows, seedFixture } from '../fixtures/xsiam/events.js';
import { credentials, harness, type Harness } from './support.js';

const WINDOW = { from: BASE_TIME - 60_000, to: BASE_TIME + 3_600_000 };
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('XsiamClient.query against the local server', () => {
  it.each(['standard', 'advanced'] as const)('authenticates with a %s key and returns normalised rows', async (keyType) => {
    h = await harness({ events: seedFixture(), pendingPolls: 0 });
    const result = await h.client.query(credentials(h.server.url, keyType), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 });
    expect(result.rows.map((r) => r.event_id)).toEqual(['hit-1', 'hit-2', 'hit-3', 'local-1', 'query-1', 'linux-1', 'stop-1']);
    expect(result.rows[0]).toMatchObject({ _time: BASE_TIME + 1_000, event_type: 'PROCESS', _vendor: 'PANW' });
    expect(result.queryId).toMatch(/^[0-9a-f]{14}_\d+_inv$/);
    expect(result.numberOfResults).toBe(7);
    expect(result.queryCost).toBeCloseTo(0.001 + 7 * 0.00001, 10);
    expect(result.remainingQuota).toBeCloseTo(5 - result.queryCost, 10);
    expect(result.httpCalls).toBe(2);
    expect(h.server.stats.authFailures).toBe(0);
  });

  it.each([
    ['a wrong key', { apiKey: 'wrong-key-0000' }, 'advanced'],
    ['a wrong key (standard)', { apiKey: 'wrong-key-0000' }, 'standard'],
    ['a wrong key id', { apiKeyId: '43' }, 'advanced'],
  ] as const)('refuses %s with XsiamAuthError and does not retry', async (_label, over, keyType) => {
    h = await harness({ events: seedFixture() });
    const error = await h.client.query(credentials(h.server.url, keyType, over), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XsiamAuthError);
    expect((error as XsiamAuthError).status).toBe(401);
    expect((error as XsiamAuthError).retryable).toBe(false);
    expect(h.server.stats.requests.start_xql_query).toBe(1);
    expect(h.server.stats.authFailures).toBe(1);
  });

  it('refuses a signature whose timestamp is outside the skew window', async () => {
    h = await harness({ events: seedFixture(), maxClockSkewMs: 300_000 });
    // The client's clock is 6 minutes behind the server's.
    const stale = { now: () => h!.time.now - 360_000 };
    const client = createXsiamClient({ allowLoopback: true, clock: stale, sleep: h.time.sleep });
    try {
      const error = await client.query(credentials(h.server.url), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(XsiamAuthError);
      expect((error as Error).message).toContain('clock skew');
    } finally {
      await client.close();
    }
  });

  it('polls through PENDING with growing, capped delays until SUCCESS', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 6 }, { pollInitialMs: 200, pollFactor: 2, pollMaxMs: 1_000 });
    const result = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 });
    expect(result.rows).toHaveLength(7);
    expect(h.time.sleeps).toEqual([200, 400, 800, 1_000, 1_000, 1_000]);
    expect(result.httpCalls).toBe(1 + 7);
    expect(result.durationMs).toBe(4_400);
    expect(h.server.stats.requests.get_query_results).toBe(7);
  });

  it('fetches more than 1000 rows through the gzip NDJSON stream', async () => {
    h = await harness({ events: manyRows(2_500), pendingPolls: 1 });
    const result = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', { from: BASE_TIME, to: BASE_TIME + 10_000_000 }, { deadline: h.time.now + 60_000 });
    expect(result.rows).toHaveLength(2_500);
    expect(result.numberOfResults).toBe(2_500);
    expect(result.rows[2_499]).toMatchObject({ event_id: 'row-2499', _time: BASE_TIME + 2_499_000 });
    expect(h.server.stats.requests.get_query_results_stream).toBe(1);
    expect(result.httpCalls).toBe(4);
  });

  it('keeps exactly 1000 rows inline', async () => {
    h = await harness({ events: manyRows(1_000), pendingPolls: 0 });
    const result = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', { from: BASE_TIME, to: BASE_TIME + 10_000_000 }, { deadline: h.time.now + 60_000 });
    expect(result.rows).toHaveLength(1_000);
    expect(h.server.stats.requests.get_query_results_stream).toBe(0);
  });

  it('normalises realistic stream rows: string times, NULL, TRUE/FALSE', async () => {
    h = await harness({ events: manyRows(1_200), pendingPolls: 0, realistic: true });
    const result = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', { from: BASE_TIME, to: BASE_TIME + 10_000_000 }, { deadline: h.time.now + 60_000 });
    const row = result.rows[1];
    expect(row).toMatchObject({ _time: BASE_TIME + 1_000, insert_timestamp: BASE_TIME + 3_000, action_process_is_signed: true, remote_host: null });
    // Non-time numbers arrive as strings on the stream and stay strings.
    expect(row?.parent_pid).toBe('4');
  });

  it('normalises realistic inline rows: NULL and TRUE/FALSE', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0, realistic: true });
    const result = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 });
    expect(result.rows[0]).toMatchObject({ _time: BASE_TIME + 1_000, action_process_is_signed: true, remote_host: null, parent_pid: 4 });
  });

  it('sends the absolute timeframe as numbers', async () => {
    let seen: unknown;
    h = await harness({
      events: seedFixture(),
      pendingPolls: 0,
      engine: { parse: (t) => t, run: (_q, _rows, c) => { seen = c.window; return []; } },
    });
    await h.client.query(credentials(h.server.url), 'dataset = xdr_data', { from: 1, to: 2 }, { deadline: h.time.now + 60_000 });
    expect(seen).toEqual({ from: 1, to: 2 });
  });
});
