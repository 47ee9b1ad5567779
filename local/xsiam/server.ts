/** A local XSIAM XQL API on 127.0.0.1, faithful to the public protocol (reference §7), with fault injection. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseXql, runXql, type XqlQuery } from '../xql/index.js';
import { checkAuth, type AuthPolicy } from './auth.js';
import { getEndpoint } from './endpoints.js';
import { FaultQueue } from './faults.js';
import { envelope, queryResults, queryStream, quota, startQuery, type HandlerContext, type Reply } from './handlers.js';
import { QueryStore } from './queries.js';
import { XQL_ENDPOINTS, type EndpointStatus, type EventRow, type Fault, type LocalApi, type LocalXsiam, type LocalXsiamOptions, type XqlEndpoint, type XqlEngine } from './types.js';

const ROUTE = /^\/public_api\/v1\/xql\/([a-z_]+)\/?$/;
/** The endpoints API; the docs show it with and without a trailing slash. */
const ENDPOINTS_ROUTE = /^\/public_api\/v1\/endpoints\/get_endpoint\/?$/;
const MAX_REQUEST_BYTES = 1024 * 1024;
/** Longest a blocking poll (pending_flag false) waits, so a test cannot hang. */
const MAX_BLOCK_MS = 30_000;

/** The real local engine (local/xql). */
export const localXqlEngine: XqlEngine<XqlQuery> = {
  parse: (text) => parseXql(text),
  run: (query, rows, { window, now, ingestLagMs }) => runXql(query, rows, { window, now, arrivedBy: now, ingestLagMs }),
};

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_REQUEST_BYTES ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const body = reply.bytes ?? Buffer.from(JSON.stringify(reply.json ?? null), 'utf8');
  const type = reply.bytes ? 'application/octet-stream' : 'application/json';
  res.writeHead(reply.status, { 'content-type': type, ...reply.headers, 'content-length': String(body.length) });
  res.end(body);
}

/** What a fault replies with, or null to carry on normally. */
function faultReply(fault: Fault): Reply | null {
  const headers = fault.retryAfter === undefined ? undefined : { 'retry-after': fault.retryAfter };
  if (fault.body !== undefined) return { status: fault.status ?? 200, bytes: typeof fault.body === 'string' ? Buffer.from(fault.body, 'utf8') : Buffer.from(fault.body), headers: { 'content-type': 'text/plain', ...headers } };
  if (fault.json !== undefined) return { status: fault.status ?? 200, json: fault.json, headers };
  if (fault.status !== undefined) {
    const msg = fault.status === 429 ? 'Too many requests.' : fault.status >= 500 ? 'Internal server error' : 'Request failed';
    const base = envelope(fault.status, msg, 'injected fault');
    return headers ? { ...base, headers } : base;
  }
  return null;
}

/** Starts the server on 127.0.0.1 with a free port. */
export async function startLocalXsiam(options: LocalXsiamOptions): Promise<LocalXsiam> {
  const clock = options.clock ?? { now: () => Date.now() };
  const events = options.events ?? [];
  const quotaTotal = options.quota ?? 5;
  const store = new QueryStore({
    clock,
    pendingPolls: Math.max(0, options.pendingPolls ?? 1),
    completionDelayMs: options.completionDelayMs ?? 0,
    quota: quotaTotal,
    queryCost: options.queryCost ?? ((rows, hours) => 0.001 + rows * 0.00001 + hours * (options.scanUnitsPerHour ?? 0)),
  });
  const ctx: HandlerContext = {
    store,
    engine: options.engine ?? (localXqlEngine as XqlEngine),
    events: async (): Promise<readonly EventRow[]> => (typeof events === 'function' ? await events() : events),
    now: () => clock.now(),
    maxParallel: options.maxParallelQueries ?? 4,
    streamThreshold: options.streamThreshold ?? 1000,
    realistic: options.realistic ?? false,
    ingestLagMs: options.ingestLagMs ?? 0,
    tenantId: options.tenantId ?? '1098781949',
    parallelRejections: 0,
  };
  const policy: AuthPolicy = {
    keyId: options.credentials.keyId,
    key: options.credentials.key,
    keyType: options.keyType ?? 'either',
    maxClockSkewMs: options.maxClockSkewMs ?? 300_000,
    rejectReplayedNonces: options.rejectReplayedNonces ?? false,
  };
  const faults = new FaultQueue();
  const nonces = new Set<string>();
  const requests: Record<XqlEndpoint | 'other', number> = { start_xql_query: 0, get_query_results: 0, get_query_results_stream: 0, get_quota: 0, other: 0 };
  let authFailures = 0;
  let endpointRequests = 0;
  const statuses = new Map<string, EndpointStatus>(Object.entries(options.endpointStatuses ?? {}));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const name = ROUTE.exec(path)?.[1];
    const xql = XQL_ENDPOINTS.find((e) => e === name);
    const endpoint: LocalApi | undefined = ENDPOINTS_ROUTE.test(path) ? 'get_endpoint' : xql;
    const raw = await readBody(req);
    if (endpoint === undefined) {
      requests.other += 1;
      return send(res, envelope(404, 'Not Found', `no API at ${path.slice(0, 100)}`));
    }
    if (endpoint === 'get_endpoint') endpointRequests += 1;
    else requests[endpoint] += 1;
    if (req.method !== 'POST') return send(res, envelope(405, 'Method Not Allowed', 'use POST'));
    const fault = faults.take(endpoint);
    if (fault?.delayMs) await delay(fault.delayMs);
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }
    const injected = fault ? faultReply(fault) : null;
    if (injected) return send(res, injected);
    const denied = checkAuth(req.headers, policy, clock.now(), nonces);
    if (denied !== null) {
      authFailures += 1;
      return send(res, envelope(401, 'Public API request unauthorized', denied));
    }
    if (raw === null) return send(res, envelope(413, 'Request body too large', `limit ${MAX_REQUEST_BYTES} bytes`));
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return send(res, envelope(400, 'Bad Request. Got an invalid JSON.', 'request body is not JSON'));
    }
    const data = typeof body === 'object' && body !== null ? (body as { request_data?: unknown }).request_data : undefined;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return send(res, envelope(400, 'Bad Request', 'request_data must be an object'));
    }
    const input = data as Record<string, unknown>;
    switch (endpoint) {
      case 'start_xql_query':
        return send(res, await startQuery(ctx, input));
      case 'get_query_results': {
        if (input.pending_flag === false && typeof input.query_id === 'string') {
          const wait = store.waitFor(input.query_id);
          if (wait !== null && wait > 0) await delay(Math.min(wait, MAX_BLOCK_MS));
        }
        return send(res, queryResults(ctx, input));
      }
      case 'get_query_results_stream':
        return send(res, queryStream(ctx, input, fault?.truncateGzip === true));
      case 'get_quota':
        return send(res, quota(ctx, quotaTotal));
      case 'get_endpoint':
        return send(res, getEndpoint(await ctx.events(), input, (id) => statuses.get(id) ?? 'CONNECTED'));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, envelope(500, 'Internal server error', 'local server failure'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    setEndpointStatus: (agentId, status) => {
      statuses.set(agentId, status);
    },
    stats: {
      requests,
      get queriesStarted() { return store.started; },
      get parallelRejections() { return ctx.parallelRejections; },
      get authFailures() { return authFailures; },
      get endpointRequests() { return endpointRequests; },
      get running() { return store.running; },
      get peakRunning() { return store.peakRunning; },
      get usedQuota() { return store.usedQuota; },
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
