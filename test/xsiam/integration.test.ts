import { afterEach, describe, expect, it } from 'vitest';
import { SEED_XQL } from '../../lambda/hunts/index.js';
import { parseXql, runXql } from '../../local/xql/index.js';
import { XqlSyntaxError } from '../../lambda/xsiam/index.js';
import { BASE_TIME, manyRows, seedFixture } from '../fixtures/xsiam/events.js';
import { credentials, harness, passThroughEngine, type Harness } from './support.js';

const WINDOW = { from: BASE_TIME - 60_000, to: BASE_TIME + 3_600_000 };
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Harness on the real local XQL engine (the server's default). */
async function realEngine(options: Parameters<typeof harness>[0]): Promise<Harness> {
  return harness({ engine: undefined, ...options });
}

describe('seed hunt query through the client against the local server (real XQL engine)', () => {
  it('returns exactly the remote wmic process creations in the window, newest first', async () => {
    h = await realEngine({ events: seedFixture(), pendingPolls: 2 });
    const result = await h.client.query(credentials(h.server.url, 'advanced'), SEED_XQL, WINDOW, { deadline: h.time.now + 60_000 });
    expect(result.rows.map((r) => r.event_id)).toEqual(['hit-2', 'hit-3', 'hit-1']);
    expect(result.rows[0]).toMatchObject({
      _time: BASE_TIME + 3_000,
      _product: 'XDR agent',
      _vendor: 'PANW',
      agent_hostname: 'WKS-02',
      action_process_image_command_line: 'WMIC /NODE:10.0.0.5 PROCESS CALL CREATE "rundll32 c:\\perflogs\\a.dll,Start"',
    });
    // `fields` drops what the query does not list.
    expect(result.rows[0]).not.toHaveProperty('event_type');
    expect(result.numberOfResults).toBe(3);
    expect(result.httpCalls).toBe(1 + 3);
  });

  it('gives the same rows as the engine run directly, also through the stream and in realistic mode', async () => {
    const events = manyRows(1_800);
    const window = { from: BASE_TIME, to: BASE_TIME + 10_000_000 };
    const expected = runXql(parseXql(SEED_XQL), events, { window, now: window.to });
    expect(expected.length).toBeGreaterThan(1_000);
    h = await realEngine({ events, pendingPolls: 0, realistic: true });
    const result = await h.client.query(credentials(h.server.url, 'standard'), SEED_XQL, window, { deadline: h.time.now + 60_000 });
    expect(h.server.stats.requests.get_query_results_stream).toBe(1);
    expect(result.rows).toEqual(expected);
  });

  it('turns the engine parse error into XqlSyntaxError with its position', async () => {
    h = await realEngine({ events: seedFixture() });
    const error = await h.client.query(credentials(h.server.url), 'dataset = xdr_data\n| filtr x = 1', WINDOW, { deadline: h.time.now + 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XqlSyntaxError);
    expect(error).toMatchObject({ line: 2, column: 3 });
  });

  it('uses the pass-through engine only where a test injects it', async () => {
    h = await harness({ events: seedFixture(), pendingPolls: 0, engine: passThroughEngine });
    const result = await h.client.query(credentials(h.server.url), SEED_XQL, WINDOW, { deadline: h.time.now + 60_000 });
    expect(result.rows).toHaveLength(7);
  });
});
