/** HTTP for the XQL API: one pooled undici connection set per origin, bounded timeouts and body size. */
import { Pool } from 'undici';
import { quote, XsiamNetworkError, XsiamProtocolError, type XsiamCall } from './errors.js';

export interface TransportOptions {
  /** @default 5000 */
  readonly connectTimeoutMs?: number;
  /** Time to the reply headers. @default 20000 */
  readonly headersTimeoutMs?: number;
  /** Longest silence while the body streams. @default 30000 */
  readonly bodyTimeoutMs?: number;
  /** Largest reply body read into memory (a stream of a million rows is a few hundred MB). @default 268435456 */
  readonly maxBodyBytes?: number;
  /** Connections per origin. @default 4 */
  readonly connections?: number;
}

export interface HttpReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** Errors that mean the request never left this machine, so a retry cannot duplicate anything. */
const NOT_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function codeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'UNKNOWN';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? 'UNKNOWN' : codeOf(cause);
}

export class Transport {
  readonly #pools = new Map<string, Pool>();
  readonly #options: Required<TransportOptions>;

  constructor(options: TransportOptions = {}) {
    this.#options = {
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      headersTimeoutMs: options.headersTimeoutMs ?? 20_000,
      bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000,
      maxBodyBytes: options.maxBodyBytes ?? 256 * 1024 * 1024,
      connections: options.connections ?? 4,
    };
  }

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.#options.connections,
        connectTimeout: this.#options.connectTimeoutMs,
        headersTimeout: this.#options.headersTimeoutMs,
        bodyTimeout: this.#options.bodyTimeoutMs,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /** POSTs `payload` as JSON to `<baseUrl>/public_api/v1/xql/<call>`; network failures become XsiamNetworkError. */
  async post(baseUrl: string, call: XsiamCall, headers: Record<string, string>, payload: unknown, signal: AbortSignal, queryId: string | null): Promise<HttpReply> {
    const url = new URL(baseUrl);
    const path = `${url.pathname.replace(/\/+$/, '')}/public_api/v1/xql/${call}`;
    try {
      const res = await this.#pool(url.origin).request({
        method: 'POST',
        path,
        headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(payload),
        signal,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        size += buf.length;
        if (size > this.#options.maxBodyBytes) {
          res.body.destroy();
          throw new XsiamProtocolError(`${call}: reply body exceeds ${this.#options.maxBodyBytes} bytes`, { call, status: res.statusCode, queryId });
        }
        chunks.push(buf);
      }
      return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
    } catch (error) {
      // An aborted signal is the caller's deadline; the client reports that, not a network error.
      if (error instanceof XsiamProtocolError || signal.aborted) throw error;
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
    await Promise.all(pools.map((p) => p.close()));
  }
}
