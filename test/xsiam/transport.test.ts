import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { XsiamNetworkError, XsiamProtocolError } from '../../lambda/xsiam/index.js';
import { readGzipNdjson } from '../../lambda/xsiam/stream.js';
import { Transport } from '../../lambda/xsiam/transport.js';

let server: Server | undefined;
let transport: Transport | undefined;
const held: ServerResponse[] = [];
afterEach(async () => {
  await transport?.close();
  for (const res of held.splice(0)) res.destroy();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  transport = undefined;
});

/** A loopback server answering every request with `reply`; returns its base URL. */
async function serve(reply: (res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.once('end', () => reply(res));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = (t: Transport, url: string, readBody?: Parameters<Transport['post']>[6]) =>
  t.post(url, 'get_query_results_stream', { authorization: 'k' }, { request_data: {} }, AbortSignal.timeout(10_000), 'q-1', readBody);

describe('Transport', () => {
  it('gives up on a reply whose headers do not come in time, as a network error that may have been sent', async () => {
    const url = await serve((res) => held.push(res));
    transport = new Transport({ headersTimeoutMs: 200 });
    const error = await post(transport, url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XsiamNetworkError);
    expect((error as XsiamNetworkError).message).toContain('HEADERS_TIMEOUT');
    expect((error as XsiamNetworkError).requestSent).toBe(true);
  });

  it('gives up on a body that stalls, buffered or streamed to a reader', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write('partial');
      held.push(res);
    });
    transport = new Transport({ bodyTimeoutMs: 200 });
    for (const reader of [undefined, async (body: NodeJS.ReadableStream) => { for await (const _ of body) { /* drain */ } }]) {
      const error = await post(transport, url, reader).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(XsiamNetworkError);
      expect((error as Error).message).toContain('BODY_TIMEOUT');
    }
  });

  it('stops a body that keeps trickling in once the caller\'s deadline signal fires', async () => {
    const url = await serve((res) => {
      res.writeHead(200);
      const drip = setInterval(() => res.write('x'), 20);
      res.once('close', () => clearInterval(drip));
      held.push(res);
    });
    transport = new Transport();
    const signal = AbortSignal.timeout(300);
    let bytes = 0;
    const error = await transport.post(url, 'get_query_results_stream', {}, {}, signal, 'q-1', async (body) => {
      for await (const chunk of body) bytes += (chunk as Buffer).length;
    }).catch((e: unknown) => e);
    expect(signal.aborted).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect(bytes).toBeGreaterThan(0);
  });

  it('reports a connection reset in the middle of a gzip stream as a network error (retried), not as bad gzip', async () => {
    const gzip = gzipSync('{"_time": 1}\n'.repeat(20_000));
    const url = await serve((res) => {
      res.writeHead(200);
      res.write(gzip.subarray(0, 2_000), () => setTimeout(() => res.socket?.destroy(), 50));
    });
    transport = new Transport();
    const error = await post(transport, url, async (body, limits) => {
      await readGzipNdjson(body, 'q-1', [], (t) => t, limits.maxDecodedBytes);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XsiamNetworkError);
    expect((error as XsiamNetworkError).retryable).toBe(true);
  });

  it('stops reading a body past maxBodyBytes, streamed to a reader too', async () => {
    const url = await serve((res) => {
      res.writeHead(200);
      res.end(Buffer.alloc(50_000, 0x61));
    });
    transport = new Transport({ maxBodyBytes: 10_000 });
    const error = await post(transport, url, async (body) => { for await (const _ of body) { /* drain */ } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XsiamProtocolError);
    expect((error as Error).message).toBe('get_query_results_stream: reply body exceeds 10000 bytes');
  });

  it('keeps the connection alive between requests and buffers a non-2xx body even when a reader is given', async () => {
    const sockets = new Set<unknown>();
    const url = await serve((res) => {
      sockets.add(res.socket);
      res.writeHead(503);
      res.end('busy');
    });
    transport = new Transport();
    let read = false;
    for (let i = 0; i < 3; i++) {
      const reply = await post(transport, url, async () => { read = true; });
      expect(reply.status).toBe(503);
      expect(reply.body.toString()).toBe('busy');
    }
    expect(read).toBe(false);
    // Pooled keep-alive connections: the three requests did not each open a new one.
    expect(sockets.size).toBeLessThan(3);
  });
});
