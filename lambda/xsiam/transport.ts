/**
 * HTTP for the XQL API: keep-alive connections (a few per origin), bounded timeouts and body size.
 * Node's own http/https: the AWS SDK loads them anyway, so the client adds nothing to the cold
 * start (undici was half the bundle and a tenth of a second of import).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
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
const NOT_SENT = new Set(['ECONNREFUSED', 'CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

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

function timeoutError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

export class Transport {
  readonly #options: Required<TransportOptions>;
  #agents: { readonly http: HttpAgent; readonly https: HttpsAgent } | null = null;

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

  #agentsFor(): { readonly http: HttpAgent; readonly https: HttpsAgent } {
    // An idle connection is closed after 4 s (undici's default), so one the tenant dropped while
    // the function was frozen between runs is not reused (a reset start_xql_query is ambiguous).
    const o = { keepAlive: true, maxSockets: this.#options.connections, timeout: 4_000 };
    this.#agents ??= { http: new HttpAgent(o), https: new HttpsAgent(o) };
    return this.#agents;
  }

  /** Sends the request; resolves with the reply once its headers are in. */
  #send(url: URL, path: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<IncomingMessage> {
    const { connectTimeoutMs, headersTimeoutMs, bodyTimeoutMs } = this.#options;
    const https = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)({
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: https ? this.#agentsFor().https : this.#agentsFor().http,
        signal,
      });
      let connecting: NodeJS.Timeout | undefined;
      let waiting: NodeJS.Timeout | undefined;
      const after = (ms: number, code: string, what: string): NodeJS.Timeout =>
        setTimeout(() => req.destroy(timeoutError(code, `${what} within ${ms} ms`)), ms);
      const clear = (): void => {
        clearTimeout(connecting);
        clearTimeout(waiting);
      };
      req.once('socket', (socket) => {
        // A reused keep-alive socket is connected already; a new one gets connect (and TLS) time.
        if (!socket.connecting) return;
        connecting = after(connectTimeoutMs, 'CONNECT_TIMEOUT', 'no connection');
        socket.once(https ? 'secureConnect' : 'connect', () => clearTimeout(connecting));
      });
      req.once('finish', () => {
        waiting = after(headersTimeoutMs, 'HEADERS_TIMEOUT', 'no reply headers');
      });
      req.once('response', (res) => {
        clear();
        res.setTimeout(bodyTimeoutMs, () => res.destroy(timeoutError('BODY_TIMEOUT', `no reply body data for ${bodyTimeoutMs} ms`)));
        resolve(res);
      });
      // `on`, not `once`: the socket may fail again after the reply started (the body sees that).
      req.on('error', (error) => {
        clear();
        reject(error);
      });
      req.end(body);
    });
  }

  /**
   * POSTs `payload` as JSON to `<baseUrl>/public_api/v1/xql/<call>`; network failures become
   * XsiamNetworkError. A 2xx body goes to `readBody` when one is given, otherwise it is buffered.
   */
  async post(baseUrl: string, call: XsiamCall, headers: Record<string, string>, payload: unknown, signal: AbortSignal, queryId: string | null, readBody?: BodyReader): Promise<HttpReply> {
    const url = new URL(baseUrl);
    const path = `${url.pathname.replace(/\/+$/, '')}/public_api/v1/xql/${call}`;
    try {
      const res = await this.#send(url, path, { ...headers, 'content-type': 'application/json', accept: 'application/json' }, JSON.stringify(payload), signal);
      const status = res.statusCode ?? 0;
      const max = this.#options.maxBodyBytes;
      const tooLarge = (): XsiamProtocolError => new XsiamProtocolError(`${call}: reply body exceeds ${max} bytes`, { call, status, queryId });
      // The callback form returns the cap stream; destroying it (a reader that gave up) destroys
      // the socket's body too, and an error of either reaches the reader.
      const body = pipeline(res, byteCap(max, tooLarge), () => {});
      if (readBody && status >= 200 && status < 300) {
        try {
          await readBody(body, { maxDecodedBytes: this.#options.maxDecodedBytes });
        } finally {
          body.destroy();
        }
        return { status, headers: res.headers, body: EMPTY };
      }
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      return { status, headers: res.headers, body: Buffer.concat(chunks) };
    } catch (error) {
      // An aborted signal is the caller's deadline; the client reports that, not a network error.
      if (error instanceof XsiamError || signal.aborted) throw error;
      const code = codeOf(error);
      const sent = !NOT_SENT.has(code);
      const reason = error instanceof Error ? quote(error.message, 120) : 'unknown';
      throw new XsiamNetworkError(`${call}: network error ${code} talking to ${url.host}: ${reason}`, { call, queryId, cause: error }, sent);
    }
  }

  /** Closes every kept-alive connection. */
  async close(): Promise<void> {
    const agents = this.#agents;
    this.#agents = null;
    agents?.http.destroy();
    agents?.https.destroy();
  }
}
