/** Options and controls of the local XSIAM server. */
import type { Clock } from '../../lambda/ports.js';

export type XqlEndpoint = 'start_xql_query' | 'get_query_results' | 'get_query_results_stream' | 'get_quota';

export const XQL_ENDPOINTS: readonly XqlEndpoint[] = ['start_xql_query', 'get_query_results', 'get_query_results_stream', 'get_quota'];

/**
 * The documented values of get_endpoint's `endpoint_status`
 * (https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR-REST-API/Get-Endpoint).
 */
export const ENDPOINT_STATUSES = ['CONNECTED', 'DISCONNECTED', 'LOST', 'UNINSTALLED'] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

/** Every API the local XSIAM serves: the XQL ones and the endpoints API's `get_endpoint`. */
export type LocalApi = XqlEndpoint | 'get_endpoint';

export type EventRow = Record<string, unknown>;

/** Evaluates XQL. `parse` throws an error with numeric `line` and `column` for bad syntax. */
export interface XqlEngine<Q = unknown> {
  parse(text: string): Q;
  /**
   * Rows of `rows` the query selects. `now` is the query's start: a row is seen only once it has
   * arrived (`_insert_time` ≤ now; without one, `_time` + `ingestLagMs`), see local/xql/arrival.ts.
   */
  run(query: Q, rows: readonly EventRow[], context: { window: { from: number; to: number }; now: number; ingestLagMs: number }): EventRow[];
}

/**
 * One injected misbehaviour for the next request(s) to an endpoint. Applied in this order:
 * `delayMs` (then carry on), `drop`, `body`, `json`, `status`; `truncateGzip` only cuts the stream.
 */
export interface Fault {
  /** Wait this long before answering (with the normal reply unless another field says otherwise). */
  readonly delayMs?: number;
  /** Destroy the socket without a reply. */
  readonly drop?: boolean;
  /** Reply with these raw bytes or text (status `status`, default 200). */
  readonly body?: string | Uint8Array;
  /** Reply with this JSON (status `status`, default 200). */
  readonly json?: unknown;
  /** Reply with the error envelope and this status (429 says "Too many requests."). */
  readonly status?: number;
  /** `Retry-After` header to send with the reply. */
  readonly retryAfter?: string;
  /** Stream endpoint: serve the real gzip body cut in half. */
  readonly truncateGzip?: boolean;
  /** How many requests this fault applies to. @default 1 */
  readonly times?: number;
}

export interface FaultControl {
  /** Queues `fault` for the next request(s) to `endpoint`, after any already queued. */
  add(endpoint: LocalApi, fault: Fault): void;
  /** Faults not yet consumed for `endpoint`. */
  pending(endpoint: LocalApi): number;
  clear(): void;
}

export interface LocalXsiamStats {
  /** Requests received per endpoint (`other` for unknown paths), faults and retries included. */
  readonly requests: Record<XqlEndpoint | 'other', number>;
  /** Requests to the endpoints API (`get_endpoint`), faults and retries included. */
  readonly endpointRequests: number;
  readonly queriesStarted: number;
  /** Starts refused because 4 queries were running. */
  readonly parallelRejections: number;
  readonly authFailures: number;
  /** Queries currently running (started, not yet complete). */
  readonly running: number;
  /** Quota units spent so far. */
  readonly usedQuota: number;
  /** Most queries that were running at once since the server started. */
  readonly peakRunning: number;
}

export interface LocalXsiamOptions {
  /** xdr_data rows the queries run over, or a function giving them per query. @default [] */
  readonly events?: readonly EventRow[] | (() => readonly EventRow[] | Promise<readonly EventRow[]>);
  /** The one API key accepted, as standard (raw key) or advanced (signed) key. */
  readonly credentials: { readonly keyId: string; readonly key: string };
  /** Which auth form the key accepts. @default 'either' */
  readonly keyType?: 'standard' | 'advanced' | 'either';
  /** Largest |now − x-xdr-timestamp| accepted for advanced keys (UNVERIFIED in the docs). @default 300000 */
  readonly maxClockSkewMs?: number;
  /** Refuse a nonce seen before (UNVERIFIED whether XSIAM does). @default false */
  readonly rejectReplayedNonces?: boolean;
  /** @default the local XQL engine (local/xql) */
  readonly engine?: XqlEngine;
  /** PENDING answers a query gives before it completes. @default 1 */
  readonly pendingPolls?: number;
  /** Also keep the query running until this long after its start (by `clock`). @default 0 */
  readonly completionDelayMs?: number;
  /** Daily quota in query units. @default 5 */
  readonly quota?: number;
  /**
   * Cost of one query in units, from its row count and the hours of `_time` it scanned (XSIAM
   * bills by the data a query scans, so a wider timeframe costs more).
   * @default 0.001 + rows × 0.00001 + hours × `scanUnitsPerHour`
   */
  readonly queryCost?: (rows: number, scannedHours: number) => number;
  /** Query units per hour of `_time` a query scans, in the default cost. @default 0 */
  readonly scanUnitsPerHour?: number;
  /**
   * A row without `_insert_time` arrives this long after its `_time`; a query sees only rows
   * that have arrived by its start. @default 0
   */
  readonly ingestLagMs?: number;
  /** @default 4 */
  readonly maxParallelQueries?: number;
  /** Result sets larger than this go to the stream. @default 1000 */
  readonly streamThreshold?: number;
  /**
   * Realistic values: "NULL"/"TRUE"/"FALSE" strings; stream rows with `_time` as
   * "YYYY-MM-DD HH:MM:SS.mmm UTC" and numbers as strings. @default false
   */
  readonly realistic?: boolean;
  /** Tenant id used as the `query_cost` key. @default '1098781949' */
  readonly tenantId?: string;
  /** @default Date.now */
  readonly clock?: Clock;
  /** get_endpoint's `endpoint_status` per agent_id, where not CONNECTED. @default every agent CONNECTED */
  readonly endpointStatuses?: Readonly<Record<string, EndpointStatus>>;
}

export interface LocalXsiam {
  /** Base URL to give the client as `tenant` (http://127.0.0.1:<port>). */
  readonly url: string;
  readonly faults: FaultControl;
  readonly stats: LocalXsiamStats;
  /** Sets the `endpoint_status` get_endpoint answers for `agentId` from now on (an agent disconnecting or reconnecting). */
  setEndpointStatus(agentId: string, status: EndpointStatus): void;
  close(): Promise<void>;
}
