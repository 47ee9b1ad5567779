/** HTTP for the XQL API: one pooled undici connection set per origin, bounded timeouts and body size. */
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import type { Pool } from 'undici';
import { quote, XsiamError, XsiamNetworkError, XsiamProtocolError, type XsiamCall } from './errors.js';

export interface TransportOptions {
  /** @default 5000 */
  readonly connectTimeoutMs?: number;
  /** Time to the reply headers. @default 20000 */
  readonly headersTimeoutMs?: number;
  /** Longest silence while the body streams. @default 30000 */
  readonly bodyTimeoutMs?: number;
  /** Largest reply body received, in bytes as sent (compressed for a gzip stream). @default 268435456 */
  readonly maxBodyBytes?: number;
  /**
   * Largest decompressed NDJSON a result stream may hold. A gzip body that inflates past it (a
   * gzip bomb, or a result too big for the function's memory) fails the query with an
   * XsiamProtocolError. The default is V8's longest string, the limit the whole-body decoder had.
   * @default 536870888
   */
  readonly maxDecodedBytes?: number;
  /** Connections per origin. @default 4 */
  readonly connections?: number;
}

export interface HttpReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The body; empty when a {@link BodyReader} consumed it. */
  readonly body: Buffer;
}

/**
 * Consumes a 2xx reply body as it arrives instead of buffering it. It is called once per attempt,
 * so it must start from scratch each time; errors it throws end the attempt (XsiamErrors as they
 * are, anything else as a network error).
 */
export type BodyReader = (body: Readable, limits: { readonly maxDecodedBytes: number }) => Promise<void>;

/** Errors that mean the request never left this machine, so a retry cannot duplicate anything. */
const NOT_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

const EMPTY = Buffer.alloc(0);

function codeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'UNKNOWN';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? 'UNKNOWN' : codeOf(cause);
}

/** Passes bytes through and fails once more than `max` have passed. */
function byteCap(max: number, tooLarge: () => Error): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      size += chunk.length;
      done(size > max ? tooLarge() : null, chunk);
    },
  });
}

// undici is most of the bundle; loading it on the first request keeps it out of the cold start
// (esbuild keeps it in the one bundle, only its evaluation waits).
let undici: Promise<typeof import('undici')> | undefined;

export class Transport {
  readonly #pools = new Map<string, Promise<Pool>>();
  readonly #options: Required<TransportOptions>;

  constructor(options: TransportOptions = {}) {
    this.#options = {
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      headersTimeoutMs: options.headersTimeoutMs ?? 20_000,
      bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000,
      maxBodyBytes: options.maxBodyBytes ?? 256 * 1024 * 1024,
      maxDecodedBytes: options.maxDecodedBytes ?? 536_870_888,
      connections: options.connections ?? 4,
    };
  }

  #pool(origin: string): Promise<Pool> {
    let pool = this.#pools.get(origin);
    if (!pool) {
      undici ??= import('undici');
      pool = undici.then(({ Pool }) => new Pool(origin, {
        connections: this.#options.connections,
        connectTimeout: this.#options.connectTimeoutMs,
        headersTimeout: this.#options.headersTimeoutMs,
        bodyTimeout: this.#options.bodyTimeoutMs,
      }));
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /**
   * POSTs `payload` as JSON to `<baseUrl>/public_api/v1/xql/<call>` (`get_endpoint`:
   * `/public_api/v1/endpoints/get_endpoint`); network failures become
   * XsiamNetworkError. A 2xx body goes to `readBody` when one is given, otherwise it is buffered.
   */
  async post(baseUrl: string, call: XsiamCall, headers: Record<string, string>, payload: unknown, signal: AbortSignal, queryId: string | null, readBody?: BodyReader): Promise<HttpReply> {
    const url = new URL(baseUrl);
    const api = call === 'get_endpoint' ? 'endpoints/get_endpoint' : `xql/${call}`;
    const path = `${url.pathname.replace(/\/+$/, '')}/public_api/v1/${api}`;
    try {
      const pool = await this.#pool(url.origin);
      const res = await pool.request({
        method: 'POST',
        path,
        headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(payload),
        signal,
      });
      const max = this.#options.maxBodyBytes;
      const tooLarge = (): XsiamProtocolError => new XsiamProtocolError(`${call}: reply body exceeds ${max} bytes`, { call, status: res.statusCode, queryId });
      // The callback form returns the cap stream; destroying it (a reader that gave up) destroys
      // the socket's body too, and an error of either reaches the reader.
      const body = pipeline(res.body, byteCap(max, tooLarge), () => {});
      if (readBody && res.statusCode >= 200 && res.statusCode < 300) {
        try {
          await readBody(body, { maxDecodedBytes: this.#options.maxDecodedBytes });
        } finally {
          body.destroy();
        }
        return { status: res.statusCode, headers: res.headers, body: EMPTY };
      }
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
    } catch (error) {
      // An aborted signal is the caller's deadline; the client reports that, not a network error.
      if (error instanceof XsiamError || signal.aborted) throw error;
      const code = codeOf(error);
      const sent = !NOT_SENT.has(code);
      const reason = error instanceof Error ? quote(error.message, 120) : 'unknown';
      throw new XsiamNetworkError(`${call}: network error ${code} talking to ${url.host}: ${reason}`, { call, queryId, cause: error }, sent);
    }
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map(async (p) => (await p).close()));
  }
}
