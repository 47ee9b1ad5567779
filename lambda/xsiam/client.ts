/** XSIAM XQL client: start → adaptive polling → inline rows or the gzip NDJSON stream. */
import type { XqlSource } from '../ports.js';
import { xsiamBaseUrl } from './base-url.js';
import { callWithRetry, deadlineError, redactor, type QueryContext } from './call.js';
import { fetchEndpoints, type EndpointFilterField, type XsiamEndpoint } from './endpoints.js';
import { quote, XqlQueryFailedError, XsiamConfigError, XsiamError, XsiamProtocolError } from './errors.js';
import { resolveOptions, type ResolvedOptions, type XsiamClientOptions } from './options.js';
import { parsePollReply, parseStartReply, type PollReply } from './replies.js';
import { normaliseRow } from './rows.js';
import { readGzipNdjson, type NdjsonResult } from './stream.js';
import { checkTenantHost, type TenantHostPolicy } from './tenant-host.js';
import { Transport } from './transport.js';
import type { QueryResult, TimeWindow, XqlRow, XsiamCredentials } from './types.js';

function parseJsonBody(body: Buffer, call: 'start_xql_query' | 'get_query_results', queryId: string | null, redact: (t: string) => string): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    const shown = text.trim() === '' ? 'an empty body' : `"${quote(redact(text))}"`;
    throw new XsiamProtocolError(`${call}: expected a JSON body, got ${shown}`, { call, status: 200, queryId });
  }
}

function checkCredentials(c: XsiamCredentials): void {
  const problems: string[] = [];
  if (typeof c.apiKey !== 'string' || c.apiKey === '') problems.push('apiKey is empty');
  if (typeof c.apiKeyId !== 'string' || c.apiKeyId.trim() === '') problems.push('apiKeyId is empty');
  if (c.keyType !== 'standard' && c.keyType !== 'advanced') problems.push(`keyType must be "standard" or "advanced", got ${typeof c.keyType === 'string' ? `"${quote(c.keyType, 20)}"` : typeof c.keyType}`);
  if (problems.length > 0) throw new XsiamConfigError(`XSIAM credentials unusable: ${problems.join('; ')}`);
}

/** The XQL client; one instance per process, it keeps a connection pool per tenant. */
export class XsiamClient implements XqlSource {
  readonly #o: ResolvedOptions;
  readonly #transport: Transport;
  readonly #tenantHosts: TenantHostPolicy;

  constructor(options: XsiamClientOptions = {}) {
    this.#o = resolveOptions(options);
    this.#transport = new Transport(options);
    this.#tenantHosts = { tenantHostPattern: options.tenantHostPattern, allowLoopback: options.allowLoopback };
  }

  /** The API base URL, once the tenant host is one the key may go to (checked before any connection). */
  #baseUrl(credentials: XsiamCredentials): string {
    try {
      const url = xsiamBaseUrl(credentials.tenant);
      checkTenantHost(url, this.#tenantHosts);
      return url;
    } catch (error) {
      // A mistyped secret may hold the key in its tenant field.
      if (error instanceof XsiamError && credentials.apiKey.length >= 4) error.message = error.message.split(credentials.apiKey).join('[REDACTED]');
      throw error;
    }
  }

  /** Runs `xql` over `window` (absolute timeframe); throws DeadlineExceededError rather than run past `deadline`. */
  async query(credentials: XsiamCredentials, xql: string, window: TimeWindow, options: { deadline: number }): Promise<QueryResult> {
    const startedAt = this.#o.clock.now();
    checkCredentials(credentials);
    if (!Number.isFinite(options.deadline)) throw new XsiamConfigError('query deadline must be a finite epoch-ms number');
    if (!Number.isFinite(window.from) || !Number.isFinite(window.to) || window.from > window.to) {
      throw new XsiamConfigError(`query window must be finite epoch ms with from <= to, got from=${String(window.from)} to=${String(window.to)}`);
    }
    const ctx: QueryContext = { credentials, baseUrl: this.#baseUrl(credentials), deadline: options.deadline, httpCalls: 0, queryId: null, signatures: new Set() };
    try {
      const started = await callWithRetry(this.#o, this.#transport, ctx, 'start_xql_query', {
        query: xql,
        timeframe: { from: window.from, to: window.to },
      });
      ctx.queryId = parseStartReply(parseJsonBody(started.body, 'start_xql_query', null, redactor(ctx)));
      const done = await this.#waitForResult(ctx);
      const rowProblems: string[] = [];
      const rows = done.streamId === null
        ? this.#inlineRows(done.data ?? [], ctx, rowProblems)
        : await this.#streamRows(ctx, done.streamId, done.numberOfResults, rowProblems);
      return {
        queryId: ctx.queryId,
        rows,
        rowProblems,
        numberOfResults: done.numberOfResults ?? rows.length,
        queryCost: done.queryCost,
        remainingQuota: done.remainingQuota,
        httpCalls: ctx.httpCalls,
        durationMs: this.#o.clock.now() - startedAt,
      };
    } catch (error) {
      // Last line of defence: whatever path built the message, no secret leaves in it.
      if (error instanceof XsiamError) error.message = redactor(ctx)(error.message);
      throw error;
    }
  }

  /**
   * The endpoints (agents) whose `field` (`hostname` or `ip_list`) is one of `values`, through
   * the endpoints API, all pages. Same auth, retries, deadline and typed errors as queries.
   */
  async getEndpoints(
    credentials: XsiamCredentials, field: EndpointFilterField, values: readonly string[], options: { deadline: number },
  ): Promise<{ endpoints: XsiamEndpoint[]; problems: string[]; httpCalls: number }> {
    checkCredentials(credentials);
    if (!Number.isFinite(options.deadline)) throw new XsiamConfigError('endpoints deadline must be a finite epoch-ms number');
    const ctx: QueryContext = { credentials, baseUrl: this.#baseUrl(credentials), deadline: options.deadline, httpCalls: 0, queryId: null, signatures: new Set() };
    const problems: string[] = [];
    try {
      const endpoints = values.length === 0 ? [] : await fetchEndpoints(this.#o, this.#transport, ctx, field, values, problems);
      return { endpoints, problems, httpCalls: ctx.httpCalls };
    } catch (error) {
      if (error instanceof XsiamError) error.message = redactor(ctx)(error.message);
      throw error;
    }
  }

  /** Closes pooled connections (tests, CLI exit). */
  async close(): Promise<void> {
    await this.#transport.close();
  }

  async #waitForResult(ctx: QueryContext): Promise<PollReply> {
    const queryId = ctx.queryId ?? '';
    const redact = redactor(ctx);
    let delay = this.#o.pollInitialMs;
    for (;;) {
      const reply = await callWithRetry(this.#o, this.#transport, ctx, 'get_query_results', { query_id: queryId, pending_flag: true, format: 'json' });
      const poll = parsePollReply(parseJsonBody(reply.body, 'get_query_results', queryId, redact), queryId);
      if (poll.status === 'FAIL') {
        const said = poll.failure === '' ? 'no reason given' : `"${quote(redact(poll.failure))}"`;
        throw new XqlQueryFailedError(`get_query_results: query ${queryId} ended with status FAIL: ${said}`, { call: 'get_query_results', status: reply.status, queryId });
      }
      if (poll.status !== 'PENDING') {
        if (poll.status === 'PARTIAL_SUCCESS') this.#o.log?.warn('XQL query returned PARTIAL_SUCCESS: some tenants failed', { queryId });
        return poll;
      }
      // Sleep at most up to the reserve before the deadline, so the last poll can still answer.
      const remaining = ctx.deadline - this.#o.clock.now() - this.#o.pollReserveMs;
      if (remaining <= 0) throw deadlineError(ctx, 'while the query was PENDING');
      await this.#o.sleep(Math.min(delay, remaining));
      delay = Math.min(this.#o.pollMaxMs, Math.round(delay * this.#o.pollFactor));
    }
  }

  #inlineRows(data: readonly unknown[], ctx: QueryContext, problems: string[]): XqlRow[] {
    const redact = redactor(ctx);
    const rows: XqlRow[] = [];
    data.forEach((raw, i) => {
      const row = normaliseRow(raw, `get_query_results reply.results.data[${i}]`, problems, redact);
      if (row !== null) rows.push(row);
    });
    return rows;
  }

  async #streamRows(ctx: QueryContext, streamId: string, announced: number | null, problems: string[]): Promise<XqlRow[]> {
    let decoded: NdjsonResult = { rows: [], lines: 0 };
    let attemptProblems: string[] = [];
    // Rows are parsed as the body arrives; each attempt starts over, so a retried stream
    // reports its problems once.
    const reply = await callWithRetry(this.#o, this.#transport, ctx, 'get_query_results_stream', { stream_id: streamId, is_gzip_compressed: true }, async (body, limits) => {
      attemptProblems = [];
      decoded = await readGzipNdjson(body, ctx.queryId, attemptProblems, redactor(ctx), limits.maxDecodedBytes);
    });
    for (const problem of attemptProblems) problems.push(problem);
    const { rows, lines } = decoded;
    // A stream that ends cleanly but early would silently lose rows, and the checkpoint would
    // move past them: fail the query instead, so the window is read again.
    if (announced !== null && lines < announced) {
      throw new XsiamProtocolError(
        `get_query_results_stream: the stream held ${lines} rows but get_query_results announced ${announced}`,
        { call: 'get_query_results_stream', status: reply.status, queryId: ctx.queryId },
      );
    }
    return rows;
  }
}

/** Builds a client with production defaults unless told otherwise. */
export function createXsiamClient(options: XsiamClientOptions = {}): XsiamClient {
  return new XsiamClient(options);
}
