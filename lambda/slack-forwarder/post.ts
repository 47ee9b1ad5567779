/**
 * POST one message to the webhook with bounded retries: 429 waits at least Retry-After, 5xx and
 * network failures back off exponentially with jitter, other 4xx are final (the same payload
 * would be refused again). No wait or request runs past the caller's deadline. Errors carry the
 * status, Slack's error code or the network error code, never the URL.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { SlackDeliveryError, SlackRejectedError } from './errors.js';

export interface PostOptions {
  /** @default 5 */
  readonly maxAttempts?: number;
  /** First backoff step for 5xx and network errors. @default 500 */
  readonly baseDelayMs?: number;
  /** Largest backoff step (Retry-After may ask for more, and is honoured while time allows). @default 8000 */
  readonly maxDelayMs?: number;
  /** One request's timeout (connect to end of body). @default 10000 */
  readonly requestTimeoutMs?: number;
  /** Do not start a request with less than this left before the deadline. @default 1000 */
  readonly minRequestMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default a keep-alive undici Agent */
  readonly dispatcher?: Dispatcher;
}

export interface PostResult {
  readonly attempts: number;
  readonly status: number;
  /** Every wait between attempts, in ms (for the log line and the tests). */
  readonly waits: number[];
}

/** Slack's reply bodies are short error codes (`invalid_blocks`, `no_text`, …); nothing else is kept. */
const SLACK_CODE = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_REPLY_BYTES = 4_096;

let agent: Agent | undefined;
const defaultDispatcher = (): Agent => (agent ??= new Agent({ connect: { timeout: 5_000 }, keepAliveTimeout: 4_000 }));

const defaultSleep = (ms: number): Promise<void> => new Promise((ok) => { setTimeout(ok, ms); });

/** Seconds (Slack sends an integer) or an HTTP date, as milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  // Stryker disable next-line MethodExpression,StringLiteral,ConditionalExpression: a blank value fails the number pattern and Date.parse as well, so it gives undefined with or without this check
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function errorCode(err: unknown): string {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,64}$/.test(code)) return code;
    if ((e as { name?: unknown }).name === 'TimeoutError' || (e as { name?: unknown }).name === 'AbortError') return 'TIMEOUT';
    e = (e as { cause?: unknown }).cause;
  }
  return 'NETWORK_ERROR';
}

async function readReply(body: Dispatcher.ResponseData['body']): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    if (text.length < MAX_REPLY_BYTES) text += (chunk as Buffer).toString('utf8');
  }
  return text.trim();
}

/** Posts `json` to `url`; resolves on 2xx, throws SlackRejectedError or SlackDeliveryError. */
export async function postToSlack(url: URL, json: string, deadline: number, options: PostOptions = {}): Promise<PostResult> {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 8_000;
  const timeout = options.requestTimeoutMs ?? 10_000;
  const minRequest = options.minRequestMs ?? 1_000;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const waits: number[] = [];
  let last = 'not sent';

  for (let attempt = 1; ; attempt++) {
    const left = deadline - now();
    if (left < minRequest) {
      throw new SlackDeliveryError(attempt - 1, last, "the function's remaining time ran out before another attempt");
    }
    let wait: number;
    try {
      const signal = AbortSignal.timeout(Math.min(timeout, left));
      const { res, reply } = await untilAborted(signal, async () => {
        const res = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: json,
          dispatcher: options.dispatcher ?? defaultDispatcher(),
          signal,
        });
        return { res, reply: await readReply(res.body) };
      });
      // Stryker disable next-line ConditionalExpression: undici never hands over a final status below 200 (1xx are interim; even its MockAgent fails a 199 reply as a network error), so `>= 200` is always true here
      if (res.statusCode >= 200 && res.statusCode < 300) return { attempts: attempt, status: res.statusCode, waits };
      const code = SLACK_CODE.test(reply) ? reply : 'no_error_code';
      last = `HTTP ${res.statusCode} ${code}`;
      if (res.statusCode === 429) {
        // Slack: "a Retry-After header containing the number of seconds until you can retry".
        const asked = retryAfterMs(res.headers['retry-after'], now());
        wait = asked === undefined ? Math.min(cap, base * 2 ** (attempt - 1)) : asked + Math.floor(random() * 250);
      } else if (res.statusCode >= 500) {
        wait = backoff(attempt, base, cap, random);
      } else {
        throw new SlackRejectedError(res.statusCode, code);
      }
    } catch (err) {
      if (err instanceof SlackRejectedError) throw err;
      last = errorCode(err);
      wait = backoff(attempt, base, cap, random);
    }
    if (attempt >= maxAttempts) throw new SlackDeliveryError(attempt, last, `gave up after ${maxAttempts} attempts`);
    if (now() + wait + minRequest > deadline) {
      throw new SlackDeliveryError(attempt, last, `the next attempt (after ${wait} ms) would run past the function's remaining time`);
    }
    waits.push(wait);
    await sleep(wait);
  }
}

/**
 * `work()`, or the signal's reason as soon as the signal aborts. undici ends a request on its signal
 * except while the TLS handshake runs: that ends only at the agent's connect timeout (5 s), so an
 * attempt started with 1 s left ran 4 s past the deadline. The abandoned attempt still ends at the
 * connect timeout; its outcome is dropped.
 */
function untilAborted<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((ok, fail) => {
    const onAbort = (): void => fail(signal.reason);
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: an AbortSignal dispatches 'abort' at most once, and the listener is removed in finally either way
    signal.addEventListener('abort', onAbort, { once: true });
    work().then(ok, fail).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Exponential backoff with "equal jitter": half the step fixed, half random. */
function backoff(attempt: number, base: number, cap: number, random: () => number): number {
  const step = Math.min(cap, base * 2 ** (attempt - 1));
  return Math.floor(step / 2 + random() * (step / 2));
}
