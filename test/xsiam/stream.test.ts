import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { XsiamProtocolError } from '../../lambda/xsiam/index.js';
import { NdjsonReader, parseNdjson, readGzipNdjson } from '../../lambda/xsiam/stream.js';
import { BASE_TIME, manyRows } from '../fixtures/xsiam/events.js';
import { credentials, harness, type Harness } from './support.js';

const TEXT = '{"host": "wörk-01", "_time": 1}\n\n  {"host": "🖥-02", "_time": "NULL"}\r\n[3]\n{"host": "c"}';
const WINDOW = { from: BASE_TIME - 60_000, to: BASE_TIME + 10_000_000 };

/** The body cut into pieces of `size` bytes, as a socket might deliver it. */
function chunked(body: Buffer, size: number): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < body.length; i += size) pieces.push(body.subarray(i, i + size));
  return Readable.from(pieces);
}

const read = (body: Readable, problems: string[] = [], max = 1_000_000) => readGzipNdjson(body, 'q-1', problems, (t) => t, max);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('NDJSON read in pieces', () => {
  it('gives the same rows, line numbers and problems wherever the text is cut', () => {
    const wholeProblems: string[] = [];
    const whole = parseNdjson(TEXT, 'q-1', wholeProblems);
    expect(whole.rows).toEqual([{ host: 'wörk-01', _time: 1 }, { host: '🖥-02', _time: null }, { host: 'c' }]);
    expect(whole.lines).toBe(4);
    expect(wholeProblems).toEqual(['get_query_results_stream line 4: expected a JSON object, got array; row left out']);
    for (let a = 0; a <= TEXT.length; a++) {
      for (const b of [a, a + 1, a + 7]) {
        const problems: string[] = [];
        const reader = new NdjsonReader('q-1', problems);
        reader.push(TEXT.slice(0, a));
        reader.push(TEXT.slice(a, b));
        reader.push(TEXT.slice(b));
        expect(reader.end()).toEqual(whole);
        expect(problems).toEqual(wholeProblems);
      }
    }
  });

  it('decodes a gzip body delivered one byte at a time, multi-byte characters split included', async () => {
    const problems: string[] = [];
    const result = await read(chunked(gzipSync(TEXT), 1), problems);
    expect(result).toEqual(parseNdjson(TEXT, 'q-1', []));
    expect(problems).toHaveLength(1);
  });

  it('peels a second gzip layer off a body delivered in small pieces', async () => {
    const result = await read(chunked(gzipSync(gzipSync(TEXT)), 3));
    expect(result.rows).toHaveLength(3);
  });

  it('names the first line that is not JSON, even in the middle of a long stream', async () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => JSON.stringify({ n: i }));
    lines[3_210] = '{"n": ';
    const error = await read(chunked(gzipSync(lines.join('\n')), 4_096)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XsiamProtocolError);
    expect((error as Error).message).toBe('get_query_results_stream: line 3211 of the NDJSON body is not valid JSON: "{"n":"');
  });

  it('refuses a gzip body that inflates past maxDecodedBytes (a gzip bomb), doubly gzipped too', async () => {
    for (const body of [gzipSync(Buffer.alloc(20_000_000, 0x20)), gzipSync(gzipSync(Buffer.alloc(20_000_000, 0x20)))]) {
      const error = await read(chunked(body, 65_536), [], 1_000_000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(XsiamProtocolError);
      expect((error as Error).message).toBe('get_query_results_stream: the gzip body inflates to more than 1000000 bytes (maxDecodedBytes)');
    }
  });

  it('reports a body that is not gzip with its size and start, however it arrives', async () => {
    const error = await read(chunked(Buffer.from('{"a":1}\n'), 1)).catch((e: unknown) => e);
    expect((error as Error).message).toBe('get_query_results_stream: expected a gzip body (is_gzip_compressed: true), got 8 bytes starting "{"a":1}"');
  });

  it('passes an error of the body itself (the network) through unchanged, not as bad gzip', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const gzip = gzipSync(TEXT.repeat(50));
    const body = new Readable({ read() {} });
    body.push(gzip.subarray(0, 100));
    setImmediate(() => body.destroy(reset));
    await expect(read(body)).rejects.toBe(reset);
  });
});

describe('the client streams a result body', () => {
  it('fails the query with XsiamProtocolError when the stream inflates past maxDecodedBytes', async () => {
    h = await harness({ events: manyRows(1_500), pendingPolls: 0 }, { maxDecodedBytes: 10_000 });
    const error = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XsiamProtocolError);
    expect((error as Error).message).toBe('get_query_results_stream: the gzip body inflates to more than 10000 bytes (maxDecodedBytes)');
  });

  it('reads the same 1,500 rows through a streamed body as the engine holds', async () => {
    h = await harness({ events: manyRows(1_500), pendingPolls: 0 });
    const result = await h.client.query(credentials(h.server.url), 'dataset = xdr_data', WINDOW, { deadline: h.time.now + 60_000 });
    expect(result.rows).toHaveLength(1_500);
    expect(result.numberOfResults).toBe(1_500);
    expect(result.rowProblems).toEqual([]);
  });
});
