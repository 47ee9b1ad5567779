/**
 * Typed errors of the XSIAM client. Messages are tenant-safe: they quote at most
 * {@link MAX_QUOTED} characters of server text and never carry the API key or a computed hash.
 */
import type { CredentialsRefused } from '../ports.js';

/** Longest piece of server text quoted in an error message. */
export const MAX_QUOTED = 300;

/** The API call an error came from (or `client` for local checks); `get_endpoint` is the endpoints API. */
export type XsiamCall = 'start_xql_query' | 'get_query_results' | 'get_query_results_stream' | 'get_quota' | 'get_endpoint' | 'client';

export interface XsiamErrorDetails {
  readonly call?: XsiamCall;
  readonly status?: number | null;
  readonly errCode?: string | number | null;
  readonly queryId?: string | null;
  readonly cause?: unknown;
}

/** Quotes server text: one line, truncated. */
export function quote(text: string, max = MAX_QUOTED): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…(${flat.length - max} more chars)` : flat;
}

/** Base class: every failure of the client is one of its subclasses. */
export class XsiamError extends Error {
  override readonly name: string = 'XsiamError';
  /** True when trying again later may succeed. */
  readonly retryable: boolean = false;
  readonly call: XsiamCall;
  /** HTTP status of the reply, null when there was none. */
  readonly status: number | null;
  /** `err_code` of the reply's error envelope, when it had one. */
  readonly errCode: string | number | null;
  /** Execution id of the query, once `start_xql_query` gave one. */
  readonly queryId: string | null;

  constructor(message: string, details: XsiamErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.call = details.call ?? 'client';
    this.status = details.status ?? null;
    this.errCode = details.errCode ?? null;
    this.queryId = details.queryId ?? null;
  }
}

/** 401 / 402 / 403: wrong key, key id, signature, timestamp, license or RBAC role. */
export class XsiamAuthError extends XsiamError implements CredentialsRefused {
  override readonly name = 'XsiamAuthError';
  /** The port's mark: the run re-reads the secret once (it may have been rotated). */
  readonly credentialsRefused = true as const;
}

/** The XQL text does not parse; `line` / `column` point into it (1-based) when the server said. */
export class XqlSyntaxError extends XsiamError {
  override readonly name = 'XqlSyntaxError';
  constructor(
    message: string,
    details: XsiamErrorDetails,
    readonly line: number | null,
    readonly column: number | null,
    readonly parseMessage: string | null,
  ) {
    super(message, details);
  }
}

/** The query ran and ended with status FAIL. */
export class XqlQueryFailedError extends XsiamError {
  override readonly name = 'XqlQueryFailedError';
}

/** The tenant's daily query quota is used up: retrying today does not help. */
export class XsiamQuotaExceededError extends XsiamError {
  override readonly name = 'XsiamQuotaExceededError';
}

/** The tenant already runs the maximum number of parallel queries (4). */
export class XsiamTooManyQueriesError extends XsiamError {
  override readonly name = 'XsiamTooManyQueriesError';
  override readonly retryable = true;
}

/** 429 / "Too many requests": the per-tenant request rate was exceeded. */
export class XsiamRateLimitedError extends XsiamError {
  override readonly name = 'XsiamRateLimitedError';
  override readonly retryable = true;
  constructor(message: string, details: XsiamErrorDetails, readonly retryAfterMs: number | null) {
    super(message, details);
  }
}

/** 5xx that is not one of the documented application errors. */
export class XsiamServerError extends XsiamError {
  override readonly name = 'XsiamServerError';
  override readonly retryable = true;
}

/** No usable HTTP reply: refused, reset, timed out. */
export class XsiamNetworkError extends XsiamError {
  override readonly name = 'XsiamNetworkError';
  override readonly retryable = true;
  constructor(
    message: string,
    details: XsiamErrorDetails,
    /** False when the request certainly never reached the server (connection refused / connect timeout). */
    readonly requestSent: boolean,
  ) {
    super(message, details);
  }
}

/** The caller's deadline came before the query finished; `cause` holds the last error, if any. */
export class DeadlineExceededError extends XsiamError {
  override readonly name = 'DeadlineExceededError';
  override readonly retryable = true;
  constructor(message: string, details: XsiamErrorDetails, readonly httpCalls: number) {
    super(message, details);
  }
}

/** A reply that is not the documented shape (wrong types, not JSON, bad gzip, bad NDJSON). */
export class XsiamProtocolError extends XsiamError {
  override readonly name = 'XsiamProtocolError';
}

/** The client was given something it cannot use (bad base URL, missing credentials). */
export class XsiamConfigError extends XsiamError {
  override readonly name = 'XsiamConfigError';
}

/** Any other 4xx (400 bad request, 404 wrong base URL): our request or configuration is wrong. */
export class XsiamRequestError extends XsiamError {
  override readonly name = 'XsiamRequestError';
}
