/**
 * Checks successful replies against the documented shapes. Anything else becomes an
 * XsiamProtocolError that says what was expected, where, and what came instead.
 */
import { quote, XsiamProtocolError, type XsiamCall } from './errors.js';

export type PollStatus = 'PENDING' | 'SUCCESS' | 'PARTIAL_SUCCESS' | 'FAIL';

export interface PollReply {
  readonly status: PollStatus;
  readonly numberOfResults: number | null;
  readonly queryCost: number;
  readonly remainingQuota: number | null;
  /** Rows inline (≤ 1000), or null when the rows are behind `streamId`. */
  readonly data: readonly unknown[] | null;
  readonly streamId: string | null;
  /** For FAIL: what the server said about the failure, as text (may be empty). */
  readonly failure: string;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `string`, `number`, `null`, `array`, `object`… for messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function expected(call: XsiamCall, where: string, what: string, got: unknown, queryId: string | null = null): XsiamProtocolError {
  const shown = typeof got === 'string' ? `string "${quote(got, 80)}"` : describe(got);
  return new XsiamProtocolError(`${call}: expected ${where} to be ${what}, got ${shown}`, { call, status: 200, queryId });
}

/** `{"reply": "<execution id>"}` → the id. */
export function parseStartReply(body: unknown): string {
  if (!isObject(body)) throw expected('start_xql_query', 'the reply body', 'a JSON object', body);
  const id = body.reply;
  // The docs call the id an integer while every example is a string; accept both.
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  if (typeof id !== 'string' || id.trim() === '') throw expected('start_xql_query', 'reply', 'a non-empty execution id string', id);
  return id;
}

const STATUSES: ReadonlySet<string> = new Set(['PENDING', 'SUCCESS', 'PARTIAL_SUCCESS', 'FAIL']);

function optionalNumber(call: XsiamCall, reply: Record<string, unknown>, field: string, queryId: string): number | null {
  const value = reply[field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw expected(call, `reply.${field}`, 'a number', value, queryId);
}

function sumCost(reply: Record<string, unknown>, queryId: string): number {
  const cost = reply.query_cost;
  if (cost === undefined || cost === null) return 0;
  if (typeof cost === 'number' && Number.isFinite(cost)) return cost;
  if (!isObject(cost)) throw expected('get_query_results', 'reply.query_cost', 'an object of per-tenant numbers', cost, queryId);
  let total = 0;
  for (const [tenant, units] of Object.entries(cost)) {
    if (typeof units !== 'number' || !Number.isFinite(units)) {
      throw expected('get_query_results', `reply.query_cost["${quote(tenant, 40)}"]`, 'a number', units, queryId);
    }
    total += units;
  }
  return total;
}

/** A `get_query_results` reply: `{"reply": {status, number_of_results, query_cost, remaining_quota, results}}`. */
export function parsePollReply(body: unknown, queryId: string): PollReply {
  const call = 'get_query_results';
  if (!isObject(body)) throw expected(call, 'the reply body', 'a JSON object', body, queryId);
  const reply = body.reply;
  if (!isObject(reply)) throw expected(call, 'reply', 'an object', reply, queryId);
  const status = reply.status;
  if (typeof status !== 'string') throw expected(call, 'reply.status', 'a string', status, queryId);
  if (!STATUSES.has(status)) throw expected(call, 'reply.status', 'one of PENDING, SUCCESS, PARTIAL_SUCCESS, FAIL', status, queryId);
  const base = {
    status: status as PollStatus,
    numberOfResults: optionalNumber(call, reply, 'number_of_results', queryId),
    queryCost: sumCost(reply, queryId),
    remainingQuota: optionalNumber(call, reply, 'remaining_quota', queryId),
  };
  if (status === 'PENDING') return { ...base, data: null, streamId: null, failure: '' };
  if (status === 'FAIL') {
    // The FAIL shape is undocumented: gather whatever error text the reply carries.
    const parts = ['err_msg', 'error', 'err_extra', 'message']
      .map((key) => reply[key])
      .filter((v) => v !== undefined && v !== null && v !== '')
      .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    return { ...base, data: null, streamId: null, failure: parts.join('; ') };
  }
  const results = reply.results;
  if (!isObject(results)) throw expected(call, 'reply.results', 'an object with data or stream_id', results, queryId);
  const streamId = results.stream_id;
  if (streamId !== undefined && streamId !== null) {
    if (typeof streamId !== 'string' || streamId === '') throw expected(call, 'reply.results.stream_id', 'a non-empty string', streamId, queryId);
    return { ...base, data: null, streamId, failure: '' };
  }
  const data = results.data;
  if (!Array.isArray(data)) throw expected(call, 'reply.results.data', 'an array of rows', data, queryId);
  return { ...base, data, streamId: null, failure: '' };
}
