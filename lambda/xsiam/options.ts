/** Client options with production defaults; tests pass fast clocks, sleeps and small bounds. */
import type { Clock, Log } from '../ports.js';
import { randomNonce } from './auth.js';
import type { TenantHostPolicy } from './tenant-host.js';
import type { TransportOptions } from './transport.js';

export interface XsiamClientOptions extends TransportOptions, TenantHostPolicy {
  /** @default Date.now */
  readonly clock?: Clock;
  /** @default a setTimeout promise */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
  /** Nonce for advanced keys. @default 64 random hex characters */
  readonly nonce?: () => string;
  /** Debug lines on retries; never given a secret. @default none */
  readonly log?: Pick<Log, 'debug' | 'warn'>;
  /** Retries of one call after 5xx, 429 or a network error. @default 3 */
  readonly maxRetries?: number;
  /**
   * Retries of `start_xql_query` after a failure that may have reached the server (5xx, reset,
   * timeout); each may leave an orphan query running. Refused connections do not count.
   * @default 1
   */
  readonly maxStartRetries?: number;
  /** Retries of `start_xql_query` while the tenant runs its 4 parallel queries. @default 5 */
  readonly maxTooManyQueriesRetries?: number;
  /** First retry delay; doubles per retry, with jitter. @default 500 */
  readonly retryBaseMs?: number;
  /** @default 8000 */
  readonly retryMaxMs?: number;
  /** First delay when the tenant is at its parallel-query limit. @default 2000 */
  readonly tooManyQueriesBaseMs?: number;
  /** @default 15000 */
  readonly tooManyQueriesMaxMs?: number;
  /** First delay between PENDING polls. @default 200 */
  readonly pollInitialMs?: number;
  /** Growth of the poll delay. @default 1.6 */
  readonly pollFactor?: number;
  /** @default 3000 */
  readonly pollMaxMs?: number;
  /** Time kept before the deadline for one last poll to answer. @default 100 */
  readonly pollReserveMs?: number;
}

export type ResolvedOptions = Required<Omit<XsiamClientOptions, 'log' | keyof TransportOptions | keyof TenantHostPolicy>> & Pick<XsiamClientOptions, 'log'>;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function resolveOptions(o: XsiamClientOptions): ResolvedOptions {
  return {
    clock: o.clock ?? { now: () => Date.now() },
    sleep: o.sleep ?? realSleep,
    random: o.random ?? Math.random,
    nonce: o.nonce ?? randomNonce,
    log: o.log,
    maxRetries: o.maxRetries ?? 3,
    maxStartRetries: o.maxStartRetries ?? 1,
    maxTooManyQueriesRetries: o.maxTooManyQueriesRetries ?? 5,
    retryBaseMs: o.retryBaseMs ?? 500,
    retryMaxMs: o.retryMaxMs ?? 8_000,
    tooManyQueriesBaseMs: o.tooManyQueriesBaseMs ?? 2_000,
    tooManyQueriesMaxMs: o.tooManyQueriesMaxMs ?? 15_000,
    pollInitialMs: o.pollInitialMs ?? 200,
    pollFactor: o.pollFactor ?? 1.6,
    pollMaxMs: o.pollMaxMs ?? 3_000,
    pollReserveMs: o.pollReserveMs ?? 100,
  };
}

/** Exponential delay with "equal jitter": half fixed, half random, so retries of many runs spread out. */
export function backoff(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** retry);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
