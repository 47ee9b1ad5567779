/**
 * One XQL API call with its retry policy. Retrying is safe for polls and stream fetches (reads of
 * an existing query). For `start_xql_query` a lost reply may already have started a query, so a
 * retry after 5xx / reset / timeout can leave an orphan that spends quota and holds one of the 4
 * parallel slots until it ends; those retries are bounded separately (`maxStartRetries`). Refused
 * connections, 429 and the parallel-query limit mean nothing started, so they retry freely (bounded).
 */
import { authHeaders } from './auth.js';
import { errorFromReply, readEnvelope } from './envelope.js';
import {
  DeadlineExceededError,
  XsiamNetworkError,
  XsiamRateLimitedError,
  XsiamServerError,
  XsiamTooManyQueriesError,
  XsiamError,
  type XsiamCall,
} from './errors.js';
import { backoff, type ResolvedOptions } from './options.js';
import type { BodyReader, HttpReply, Transport } from './transport.js';
import type { XsiamCredentials } from './types.js';

/** Per-query state shared by its calls. */
export interface QueryContext {
  readonly credentials: XsiamCredentials;
  readonly baseUrl: string;
  readonly deadline: number;
  httpCalls: number;
  queryId: string | null;
  /** Authorization values sent so far, scrubbed from any quoted server text. */
  readonly signatures: Set<string>;
}

/** Replaces the API key and every signature sent with `[REDACTED]`. */
export function redactor(ctx: QueryContext): (text: string) => string {
  return (text) => {
    let out = text;
    for (const secret of [ctx.credentials.apiKey, ...ctx.signatures]) {
      if (secret.length >= 4) out = out.split(secret).join('[REDACTED]');
    }
    return out;
  };
}

export function deadlineError(ctx: QueryContext, what: string, cause?: unknown): DeadlineExceededError {
  const last = cause instanceof Error ? ` (last error: ${cause.name})` : '';
  return new DeadlineExceededError(
    `deadline reached ${what}${ctx.queryId === null ? '' : ` for query ${ctx.queryId}`} after ${ctx.httpCalls} HTTP calls${last}`,
    { queryId: ctx.queryId, cause },
    ctx.httpCalls,
  );
}

/** Sleeps `ms` unless that would end at or past the deadline, in which case it gives up now. */
export async function sleepWithin(o: ResolvedOptions, ctx: QueryContext, ms: number, what: string, cause?: unknown): Promise<void> {
  if (o.clock.now() + ms >= ctx.deadline) throw deadlineError(ctx, what, cause);
  await o.sleep(ms);
}

/** Delay before the next attempt, or null when `error` is final for this call. */
function retryDelay(o: ResolvedOptions, call: XsiamCall, error: XsiamError, counts: Record<'transient' | 'start' | 'busy', number>): number | null {
  if (error instanceof XsiamTooManyQueriesError) {
    return counts.busy < o.maxTooManyQueriesRetries ? backoff(counts.busy++, o.tooManyQueriesBaseMs, o.tooManyQueriesMaxMs, o.random) : null;
  }
  if (!(error instanceof XsiamRateLimitedError || error instanceof XsiamServerError || error instanceof XsiamNetworkError)) return null;
  if (counts.transient >= o.maxRetries) return null;
  const ambiguous = call === 'start_xql_query' && !(error instanceof XsiamRateLimitedError) && !(error instanceof XsiamNetworkError && !error.requestSent);
  if (ambiguous && counts.start++ >= o.maxStartRetries) return null;
  const delay = backoff(counts.transient++, o.retryBaseMs, o.retryMaxMs, o.random);
  return error instanceof XsiamRateLimitedError && error.retryAfterMs !== null ? Math.max(error.retryAfterMs, 0) : delay;
}

function header(reply: HttpReply, name: string): string | null {
  const value = reply.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Sends one call, retrying as the policy allows, and returns a 2xx reply that carries no error
 * envelope. Throws the typed error when retries run out, or DeadlineExceededError. A 2xx body
 * goes to `readBody` (once per attempt) when given, so a network error mid-body is retried too.
 */
export async function callWithRetry(o: ResolvedOptions, transport: Transport, ctx: QueryContext, call: XsiamCall, requestData: Record<string, unknown>, readBody?: BodyReader): Promise<HttpReply> {
  const counts = { transient: 0, start: 0, busy: 0 };
  const redact = redactor(ctx);
  for (;;) {
    const remaining = ctx.deadline - o.clock.now();
    if (remaining <= 0) throw deadlineError(ctx, `before ${call}`);
    const headers = authHeaders(ctx.credentials, o.clock.now(), o.nonce);
    if (headers.authorization !== undefined && ctx.credentials.keyType === 'advanced') ctx.signatures.add(headers.authorization);
    ctx.httpCalls++;
    let error: XsiamError;
    const signal = AbortSignal.timeout(remaining);
    try {
      const reply = await transport.post(ctx.baseUrl, call, headers, { request_data: requestData }, signal, ctx.queryId, readBody);
      const text = reply.status >= 200 && reply.status < 300 && call === 'get_query_results_stream' ? '' : reply.body.toString('utf8');
      const body = text === '' ? undefined : parseJson(text);
      const failed = reply.status < 200 || reply.status >= 300;
      if (!failed && (call === 'get_query_results_stream' || readEnvelope(body, false) === null)) return reply;
      error = errorFromReply({ call, status: reply.status, body, text, retryAfter: header(reply, 'retry-after'), nowMs: o.clock.now(), queryId: ctx.queryId, redact });
    } catch (thrown) {
      if (signal.aborted) throw deadlineError(ctx, `during ${call}`, thrown);
      if (!(thrown instanceof XsiamError)) throw thrown;
      error = thrown;
    }
    const delay = retryDelay(o, call, error, counts);
    if (delay === null) throw error;
    o.log?.debug('XSIAM call failed; retrying', { call, errorName: error.name, status: error.status, delayMs: delay, queryId: ctx.queryId });
    await sleepWithin(o, ctx, delay, `waiting to retry ${call}`, error);
  }
}
