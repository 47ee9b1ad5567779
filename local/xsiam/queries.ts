/** Query lifecycle of the local server: start, PENDING polls, completion, quota and the 4-query limit. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../lambda/ports.js';
import type { EventRow } from './types.js';

interface QueryRecord {
  readonly id: string;
  readonly startedAt: number;
  readonly rows: EventRow[];
  /** Set when the engine failed at run time: the query ends with status FAIL. */
  readonly failure: string | null;
  readonly scannedHours: number;
  pendingLeft: number;
  readyAt: number;
  done: boolean;
  cost: number;
}

export interface QueryStoreOptions {
  readonly clock: Clock;
  readonly pendingPolls: number;
  readonly completionDelayMs: number;
  readonly quota: number;
  readonly queryCost: (rows: number, scannedHours: number) => number;
}

/** What a poll sees. */
export type PollView =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'pending' }
  | { readonly kind: 'done'; readonly rows: EventRow[]; readonly failure: string | null; readonly cost: number };

export class QueryStore {
  readonly #queries = new Map<string, QueryRecord>();
  readonly #streams = new Map<string, EventRow[]>();
  #seq = 0;
  usedQuota = 0;
  started = 0;
  /** Most queries running at once so far. */
  peakRunning = 0;

  constructor(private readonly o: QueryStoreOptions) {}

  /** Queries started and not yet complete. */
  get running(): number {
    let n = 0;
    for (const q of this.#queries.values()) if (!q.done) n++;
    return n;
  }

  get remainingQuota(): number {
    return Math.max(0, this.o.quota - this.usedQuota);
  }

  /** Registers a query whose result is already computed; it stays PENDING per the options. */
  start(rows: EventRow[], failure: string | null, scannedHours = 0): string {
    this.#seq += 1;
    this.started += 1;
    const id = `${randomBytes(7).toString('hex')}_${this.#seq}_inv`;
    const now = this.o.clock.now();
    this.#queries.set(id, {
      id,
      startedAt: now,
      rows,
      failure,
      scannedHours,
      pendingLeft: this.o.pendingPolls,
      readyAt: now + this.o.completionDelayMs,
      done: false,
      cost: 0,
    });
    this.peakRunning = Math.max(this.peakRunning, this.running);
    return id;
  }

  /** Time until `id` may complete (ms, ≥ 0); null for an unknown id. */
  waitFor(id: string): number | null {
    const q = this.#queries.get(id);
    if (!q) return null;
    // A blocking poll (pending_flag false) skips the PENDING answers; the caller waits the
    // returned time in real ms, so the query is ready afterwards even under a frozen fake clock.
    const wait = Math.max(0, q.readyAt - this.o.clock.now());
    q.pendingLeft = 0;
    q.readyAt = Number.NEGATIVE_INFINITY;
    return wait;
  }

  poll(id: string): PollView {
    const q = this.#queries.get(id);
    if (!q) return { kind: 'unknown' };
    if (!q.done) {
      if (q.pendingLeft > 0 || this.o.clock.now() < q.readyAt) {
        q.pendingLeft = Math.max(0, q.pendingLeft - 1);
        return { kind: 'pending' };
      }
      q.done = true;
      q.cost = this.o.queryCost(q.rows.length, q.scannedHours);
      this.usedQuota += q.cost;
    }
    return { kind: 'done', rows: q.rows, failure: q.failure, cost: q.cost };
  }

  /** Parks rows behind a new stream id. */
  openStream(rows: EventRow[]): string {
    const id = randomUUID();
    this.#streams.set(id, rows);
    return id;
  }

  stream(id: string): EventRow[] | undefined {
    return this.#streams.get(id);
  }

  /** `current_concurrent_active_queries` of get_quota. */
  active(): Record<string, { xql: string; duration: number }> {
    const out: Record<string, { xql: string; duration: number }> = {};
    for (const q of this.#queries.values()) {
      if (!q.done) out[q.id] = { xql: '', duration: Math.round((this.o.clock.now() - q.startedAt) / 1000) };
    }
    return out;
  }
}
