/** Maps an error reply (`{reply: {err_code, err_msg, err_extra}}` or top-level `err_*`) to a typed error. */
import {
  quote,
  XqlSyntaxError,
  XsiamAuthError,
  XsiamQuotaExceededError,
  XsiamRateLimitedError,
  XsiamRequestError,
  XsiamServerError,
  XsiamTooManyQueriesError,
  type XsiamCall,
  type XsiamError,
  type XsiamErrorDetails,
} from './errors.js';

/** What the server said about an error, as plain strings. */
export interface ErrorEnvelope {
  readonly errCode: string | number | null;
  readonly errMsg: string;
  readonly errExtra: unknown;
}

export interface ErrorReplyContext {
  readonly call: XsiamCall;
  readonly status: number;
  readonly body: unknown;
  /** Raw body text, quoted when the body is not an envelope. */
  readonly text: string;
  readonly retryAfter: string | null;
  readonly nowMs: number;
  readonly queryId: string | null;
  /** Removes secrets from server text before it is quoted. */
  readonly redact: (text: string) => string;
}

const TOO_MANY_QUERIES = /(reached max allowed amount of parallel running queries|maximum allowed number of parallel running queries)/i;
const QUOTA = /quota/i;
const QUOTA_SPENT = /(exceed|exhaust|insufficient|not enough|no remaining|used up)/i;
const RATE = /too many requests/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Reads `err_*` under `reply` or at the top level; null when the body holds none. On an error
 * status a bare string `reply` counts as the message too.
 */
export function readEnvelope(body: unknown, errorStatus = true): ErrorEnvelope | null {
  if (!isObject(body)) return null;
  const holders = [body.reply, body];
  for (const holder of holders) {
    // On 2xx a poll reply with a status (FAIL carries err_msg too) is a result, not an error.
    if (!errorStatus && isObject(holder) && 'status' in holder) continue;
    if (isObject(holder) && ('err_code' in holder || 'err_msg' in holder || 'err_extra' in holder)) {
      const code = holder.err_code;
      return {
        errCode: typeof code === 'number' || typeof code === 'string' ? code : null,
        errMsg: asText(holder.err_msg),
        errExtra: holder.err_extra,
      };
    }
  }
  if (errorStatus && typeof body.reply === 'string') return { errCode: null, errMsg: body.reply, errExtra: null };
  return null;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface ParsePosition {
  readonly line: number | null;
  readonly column: number | null;
  readonly message: string | null;
}

function positionOf(value: unknown): ParsePosition | null {
  if (!isObject(value)) return null;
  const line = typeof value.line === 'number' ? value.line : null;
  const column = typeof value.column === 'number' ? value.column : null;
  if (line === null && column === null) return null;
  return { line, column, message: typeof value.message === 'string' ? value.message : null };
}

/** `parse_err` in err_extra (object or JSON string), or the same JSON held as a string in err_msg. */
export function findParseError(envelope: ErrorEnvelope): ParsePosition | null {
  const extra = typeof envelope.errExtra === 'string' ? tryJson(envelope.errExtra) : envelope.errExtra;
  if (isObject(extra)) {
    const found = positionOf(extra.parse_err) ?? positionOf(extra);
    if (found) return found;
  }
  const msg = tryJson(envelope.errMsg.trim());
  if (isObject(msg)) return positionOf(msg.parse_err) ?? positionOf(msg);
  return null;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** The typed error for a non-2xx reply (or a 2xx carrying an error envelope). */
export function errorFromReply(ctx: ErrorReplyContext): XsiamError {
  const envelope = readEnvelope(ctx.body);
  const details: XsiamErrorDetails = {
    call: ctx.call,
    status: ctx.status,
    errCode: envelope?.errCode ?? null,
    queryId: ctx.queryId,
  };
  const said = envelope
    ? `${envelope.errCode === null ? '' : `err_code ${String(envelope.errCode)}: `}"${quote(ctx.redact(envelope.errMsg))}"` +
      (envelope.errExtra === undefined || envelope.errExtra === null || envelope.errExtra === ''
        ? ''
        : ` (err_extra: ${quote(ctx.redact(asText(envelope.errExtra)), 200)})`)
    : ctx.text.trim() === ''
      ? 'empty body'
      : `body "${quote(ctx.redact(ctx.text))}"`;
  const prefix = `${ctx.call}: HTTP ${ctx.status}`;
  const haystack = envelope ? `${envelope.errMsg} ${asText(envelope.errExtra)}` : ctx.text;

  const parse = envelope ? findParseError(envelope) : null;
  if (parse) {
    const where = `line ${parse.line ?? '?'}, column ${parse.column ?? '?'}`;
    const what = parse.message === null ? '' : `: ${quote(ctx.redact(parse.message), 200)}`;
    return new XqlSyntaxError(`${prefix}: XQL syntax error at ${where}${what}`, details, parse.line, parse.column, parse.message === null ? null : ctx.redact(parse.message));
  }
  if (TOO_MANY_QUERIES.test(haystack)) {
    return new XsiamTooManyQueriesError(`${prefix}: tenant is at its limit of parallel XQL queries: ${said}`, details);
  }
  if (QUOTA.test(haystack) && QUOTA_SPENT.test(haystack)) {
    return new XsiamQuotaExceededError(`${prefix}: XQL query quota exhausted: ${said}`, details);
  }
  if (ctx.status === 429 || RATE.test(haystack)) {
    const retryAfterMs = parseRetryAfter(ctx.retryAfter, ctx.nowMs);
    return new XsiamRateLimitedError(`${prefix}: rate limited${retryAfterMs === null ? '' : ` (retry after ${retryAfterMs} ms)`}: ${said}`, details, retryAfterMs);
  }
  if (ctx.status === 401 || ctx.status === 402 || ctx.status === 403) {
    const kind = ctx.status === 401 ? 'authentication failed (key, key id, signature or timestamp)' : ctx.status === 402 ? 'license does not allow this API' : 'API key lacks the required role';
    return new XsiamAuthError(`${prefix}: ${kind}: ${said}`, details);
  }
  if (ctx.status >= 500) return new XsiamServerError(`${prefix}: server error: ${said}`, details);
  return new XsiamRequestError(`${prefix}: request refused: ${said}`, details);
}
