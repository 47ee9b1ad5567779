/**
 * Hostile XSIAM replies, served by the local XSIAM on loopback to the real client inside a whole run:
 * wrong shapes and types, huge or truncated bodies, invalid gzip, invalid NDJSON. A reply that breaks
 * the protocol fails the run with a clear, bounded XsiamProtocolError naming the call and the field;
 * the checkpoint stays, and the next run notifies the window's pairs. Odd but valid replies go through.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow, Fault, XqlEndpoint } from '../../local/xsiam/index.js';
import { StageError } from '../../lambda/run/index.js';
import { MIN, wmicRow } from '../integration/harness.js';
import { ScriptedSns, failureOf, startRig, type Rig } from './rig.js';

const LINE = (target: string) => `wmic /node:"${target}" process call create "powershell.exe -enc SQBFAFgA"`;
const success = (extra: Record<string, unknown>) => ({ reply: { status: 'SUCCESS', number_of_results: 2, query_cost: { t: 0.001 }, remaining_quota: 4, ...extra } });
const ndjson = (rows: readonly EventRow[], eol = '\n') => rows.map((r) => JSON.stringify(r)).join(eol);

let rig: Rig;
const sns = new ScriptedSns();
beforeAll(async () => {
  // Two rows per window and a stream threshold of 1: every run reads its rows from the stream.
  rig = await startRig({ server: { streamThreshold: 1, maxParallelQueries: 100_000, quota: 1_000 } });
  sns.install();
});
afterAll(async () => rig.close());

interface ReplyCase {
  readonly name: string;
  readonly endpoint: XqlEndpoint;
  readonly fault: (rows: readonly EventRow[]) => Fault;
  /** The error and message the run must fail with, or null when the reply is odd but valid. */
  readonly error: { name: string; message: RegExp } | null;
}

const protocol = (message: RegExp) => ({ name: 'XsiamProtocolError', message });
const HUGE = 'x'.repeat(3_000_000);

const CASES: ReplyCase[] = [
  // start_xql_query
  { name: 'start: empty object', endpoint: 'start_xql_query', fault: () => ({ json: {} }), error: protocol(/start_xql_query: expected reply to be a non-empty execution id string, got undefined/) },
  { name: 'start: reply null', endpoint: 'start_xql_query', fault: () => ({ json: { reply: null } }), error: protocol(/expected reply to be a non-empty execution id string, got null/) },
  { name: 'start: reply empty string', endpoint: 'start_xql_query', fault: () => ({ json: { reply: '' } }), error: protocol(/got string ""/) },
  { name: 'start: reply an array', endpoint: 'start_xql_query', fault: () => ({ json: { reply: ['q1'] } }), error: protocol(/got array/) },
  { name: 'start: body a JSON array', endpoint: 'start_xql_query', fault: () => ({ json: [{ reply: 'q1' }] }), error: protocol(/expected the reply body to be a JSON object, got array/) },
  { name: 'start: empty body', endpoint: 'start_xql_query', fault: () => ({ body: '' }), error: protocol(/start_xql_query: expected a JSON body, got an empty body/) },
  { name: 'start: 3 MB of non-JSON', endpoint: 'start_xql_query', fault: () => ({ body: HUGE }), error: protocol(/expected a JSON body, got "x+…\(\d+ more chars\)"/) },
  // get_query_results
  { name: 'poll: body null', endpoint: 'get_query_results', fault: () => ({ body: 'null' }), error: protocol(/get_query_results: expected the reply body to be a JSON object, got null/) },
  { name: 'poll: reply a string', endpoint: 'get_query_results', fault: () => ({ json: { reply: 'done' } }), error: protocol(/expected reply to be an object, got string "done"/) },
  { name: 'poll: status missing', endpoint: 'get_query_results', fault: () => ({ json: { reply: {} } }), error: protocol(/expected reply.status to be a string, got undefined/) },
  { name: 'poll: status a number', endpoint: 'get_query_results', fault: () => ({ json: { reply: { status: 7 } } }), error: protocol(/expected reply.status to be a string, got number/) },
  { name: 'poll: results missing', endpoint: 'get_query_results', fault: () => ({ json: success({}) }), error: protocol(/expected reply.results to be an object with data or stream_id/) },
  { name: 'poll: data a string', endpoint: 'get_query_results', fault: () => ({ json: success({ results: { data: 'rows' } }) }), error: protocol(/expected reply.results.data to be an array of rows, got string "rows"/) },
  { name: 'poll: stream_id a number', endpoint: 'get_query_results', fault: () => ({ json: success({ results: { stream_id: 42 } }) }), error: protocol(/expected reply.results.stream_id to be a non-empty string, got number/) },
  { name: 'poll: number_of_results text', endpoint: 'get_query_results', fault: () => ({ json: success({ number_of_results: 'many', results: { data: [] } }) }), error: protocol(/expected reply.number_of_results to be a number/) },
  { name: 'poll: query_cost per tenant text', endpoint: 'get_query_results', fault: () => ({ json: success({ query_cost: { t: 'free' }, results: { data: [] } }) }), error: protocol(/expected reply.query_cost\["t"\] to be a number/) },
  { name: 'poll: remaining_quota an object', endpoint: 'get_query_results', fault: () => ({ json: success({ remaining_quota: {}, results: { data: [] } }) }), error: protocol(/expected reply.remaining_quota to be a number, got object/) },
  { name: 'poll: 3 MB string reply', endpoint: 'get_query_results', fault: () => ({ json: { reply: HUGE } }), error: protocol(/expected reply to be an object, got string "x+…\(\d+ more chars\)"/) },
  { name: 'poll: truncated JSON', endpoint: 'get_query_results', fault: () => ({ body: '{"reply":{"status":"SUCCESS","results":{"data":[{"_time":' }), error: protocol(/get_query_results: expected a JSON body/) },
  { name: 'poll: inline rows carrying a 2 MB unknown field (valid)', endpoint: 'get_query_results', fault: (rows) => ({ json: success({ results: { data: rows.map((r) => ({ ...r, junk: HUGE.slice(0, 2_000_000) })) } }) }), error: null },
  { name: 'poll: execution id as a number, rows inline (valid)', endpoint: 'get_query_results', fault: (rows) => ({ json: success({ number_of_results: '2', query_cost: 0.5, results: { data: rows } }) }), error: null },
  // get_query_results_stream
  { name: 'stream: body not gzip', endpoint: 'get_query_results_stream', fault: () => ({ body: '{"_time":1}' }), error: protocol(/get_query_results_stream: expected a gzip body \(is_gzip_compressed: true\), got \d+ bytes/) },
  { name: 'stream: gzip cut in half', endpoint: 'get_query_results_stream', fault: () => ({ truncateGzip: true }), error: protocol(/get_query_results_stream: body is not valid gzip/) },
  { name: 'stream: gzip header then garbage', endpoint: 'get_query_results_stream', fault: () => ({ body: Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('garbage'.repeat(100))]) }), error: protocol(/body is not valid gzip/) },
  { name: 'stream: an invalid NDJSON line', endpoint: 'get_query_results_stream', fault: (rows) => ({ body: gzipSync(`${ndjson(rows)}\n{"broken": `) }), error: protocol(/line 3 of the NDJSON body is not valid JSON/) },
  { name: 'stream: a 3 MB invalid line', endpoint: 'get_query_results_stream', fault: () => ({ body: gzipSync(`{${HUGE}`) }), error: protocol(/line 1 of the NDJSON body is not valid JSON: "\{x+…\(\d+ more chars\)"/) },
  { name: 'stream: gzip inside gzip (valid)', endpoint: 'get_query_results_stream', fault: (rows) => ({ body: gzipSync(gzipSync(ndjson(rows))) }), error: null },
  { name: 'stream: CRLF, a BOM and blank lines (valid)', endpoint: 'get_query_results_stream', fault: (rows) => ({ body: gzipSync(`\uFEFF${ndjson(rows, '\r\n\r\n')}\r\n\n`) }), error: null },
  { name: 'stream: realistic text values (valid)', endpoint: 'get_query_results_stream', fault: (rows) => ({ body: gzipSync(ndjson(rows.map((r) => ({ ...r, _time: new Date(r._time as number).toISOString().replace('T', ' ').replace('Z', ' UTC'), agent_id: 'NULL' })))) }), error: null },
];

let n = 0;
/**
 * A window with two fresh pairs `agoMin` minutes before the run (the runs are 20 minutes apart, so
 * 30 is inside this run's window but outside the next run's overlap); returns the rows and pairs.
 */
function freshWindow(agoMin = 10): { rows: EventRow[]; pairs: string[] } {
  n += 1;
  rig.clock.now += 20 * MIN;
  const t = rig.clock.now - agoMin * MIN;
  const rows = [wmicRow(t, `R${n}`, LINE(`r${n}a`)), wmicRow(t + 1, `R${n}`, LINE(`r${n}b`))];
  rig.events.push(...rows);
  return { rows, pairs: [`R${n}→r${n}a`, `R${n}→r${n}b`] };
}

describe('hostile XSIAM replies inside a run', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.error ? 'a clear protocol error; the next run notifies the window' : 'goes through'}`, async () => {
      const { rows, pairs } = freshWindow();
      const before = await rig.checkpoint();
      if (c.endpoint === 'get_query_results_stream' && c.error === null) {
        // A valid stream carries as many rows as the poll announced (a short one is an error).
        rig.xsiam.faults.add('get_query_results', { json: { reply: { status: 'SUCCESS', number_of_results: rows.length, query_cost: { t: 0.001 }, remaining_quota: 100, results: { stream_id: 'stream-proof' } } } });
      }
      rig.xsiam.faults.add(c.endpoint, c.fault(rows));
      const result = await rig.run().catch((e: unknown) => e as Error);
      rig.xsiam.faults.clear();
      if (c.error) {
        expect(result).toBeInstanceOf(StageError);
        expect((result as StageError).stage).toBe('query');
        const err = failureOf(result);
        expect(err.name).toBe(c.error.name);
        expect(err.message).toMatch(c.error.message);
        expect(err.message.length).toBeLessThan(1_000);
        expect(await rig.checkpoint()).toEqual(before);
        rig.clock.now += MIN;
        expect((await rig.run()).status).toBe('completed');
      } else {
        expect(result).toMatchObject({ status: 'completed', rows: 2 });
      }
      const sent = sns.perPair();
      for (const pair of pairs) expect(sent.get(pair), pair).toBe(1);
    });
  }

  // Found by this suite and fixed: a stream that ended cleanly but early (a proxy cutting the body
  // at a line boundary) used to be taken as complete, moving the checkpoint past the lost rows.
  it('stream: valid gzip holding fewer rows than number_of_results fails the run; the next run notifies the window', async () => {
    const { rows, pairs } = freshWindow(30);
    const before = await rig.checkpoint();
    rig.xsiam.faults.add('get_query_results_stream', { body: gzipSync(ndjson(rows.slice(0, 1))) });
    const first = await rig.run().catch((e: unknown) => failureOf(e));
    expect(first).toMatchObject({ name: 'XsiamProtocolError', message: expect.stringContaining('the stream held 1 rows') });
    expect(await rig.checkpoint()).toEqual(before);
    rig.xsiam.faults.clear();
    rig.clock.now += MIN;
    expect((await rig.run()).status).toBe('completed');
    const sent = sns.perPair();
    for (const pair of pairs) expect(sent.get(pair), pair).toBe(1);
  });
});
