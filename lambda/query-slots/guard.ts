/**
 * Every XQL query the product starts (hunt, confirmation, late sweep, backfill chunk) first takes
 * one of the tenant's query slots (QuerySlots, a lease-based semaphore), and gives it back when
 * its results are read or it failed. While every slot is held it waits, with a jittered back-off,
 * until the query's deadline less a reserve; then it gives up with a QuerySlotUnavailableError.
 * The lease runs until the query's own deadline (the client gives up there) plus a margin, so a
 * Lambda that dies mid-query frees its slot by itself.
 */
import { randomUUID } from 'node:crypto';
import type { Log, XqlSource } from '../ports.js';
import type { QuerySlotLease, QuerySlots } from '../state-ports.js';
import { QuerySlotUnavailableError } from './errors.js';

export interface QuerySlotGuardOptions {
  readonly slots: QuerySlots;
  /** @default 'default' (one tenant per deployment) */
  readonly tenant?: string;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log?: Log;
  /** A fresh owner id per query. @default randomUUID */
  readonly owner?: () => string;
  /** First pause while every slot is held; it doubles up to `maxPollMs`, each jittered ±50 %. @default 250 */
  readonly pollMs?: number;
  /** @default 2000 */
  readonly maxPollMs?: number;
  /** The wait ends this long before the query's deadline, so a slot taken late still leaves the query time. @default 5000 */
  readonly queryReserveMs?: number;
  /** Added to the query's deadline for the lease: the release after a timed-out query still lands in it. @default 10000 */
  readonly leaseMarginMs?: number;
}

/** Waits for a slot until `waitUntil`; null when none freed up in time. */
export async function acquireSlot(o: QuerySlotGuardOptions, leaseUntil: number, waitUntil: number): Promise<QuerySlotLease | { waitedMs: number; attempts: number }> {
  const tenant = o.tenant ?? 'default';
  const owner = (o.owner ?? randomUUID)();
  const started = o.now();
  let pause = o.pollMs ?? 250;
  for (let attempts = 1; ; attempts += 1) {
    const now = o.now();
    const lease = await o.slots.tryAcquire(tenant, owner, now, Math.max(leaseUntil, now + 1));
    if (lease !== null) return lease;
    const jittered = Math.round(pause * (0.5 + Math.random()));
    if (now + jittered > waitUntil) return { waitedMs: now - started, attempts };
    await o.sleep(jittered);
    pause = Math.min(pause * 2, o.maxPollMs ?? 2_000);
  }
}

/**
 * `client` with its `query` behind the tenant's query slots; every other method (get_endpoint,
 * which starts no query) passes through unchanged.
 */
export function withQuerySlots<T extends XqlSource>(client: T, o: QuerySlotGuardOptions): T {
  const query: XqlSource['query'] = async (credentials, xql, window, options) => {
    const got = await acquireSlot(o, options.deadline + (o.leaseMarginMs ?? 10_000), options.deadline - (o.queryReserveMs ?? 5_000));
    if (!('slot' in got)) throw new QuerySlotUnavailableError(got.waitedMs, got.attempts);
    try {
      return await client.query(credentials, xql, window, options);
    } finally {
      await o.slots.release(got).catch((err: unknown) => {
        // The lease runs out on its own; a failed release must not hide the query's outcome.
        o.log?.warn('could not release the XSIAM query slot; it frees itself when its lease runs out', { slot: got.slot, error: err instanceof Error ? err.name : 'UnknownError' });
      });
    }
  };
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'query') return query;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
