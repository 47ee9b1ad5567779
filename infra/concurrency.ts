/**
 * Reserved concurrency and the backfill's Map concurrency, read together: reserved concurrency
 * caps every invoke of the function, the Map's chunks included, so a reservation must leave room
 * for the backfill's chunks and the scheduled run, or the synth stops with the reason.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 */

/**
 * Most chunks a backfill hunts at once. XSIAM runs at most 4 concurrent XQL queries per tenant
 * (https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM/Cortex-XSIAM-API-Reference/Start-an-XQL-Query):
 * three for the backfill keeps a slot for the scheduled run.
 */
export const MAX_BACKFILL_CONCURRENCY = 3;
/** The most `hunt:reservedConcurrency` accepts as a number. */
export const MAX_RESERVED = 1000;

export interface ConcurrencySettings {
  /** Reserved concurrent executions of the hunt function; undefined when none are reserved. */
  readonly reservedExecutions: number | undefined;
  /** Chunks the backfill's Map hunts at once. */
  readonly backfillConcurrency: number;
}

/**
 * `reservedRaw`: "false" (default), "true" (reserve exactly what the schedule and the backfill need:
 * backfill concurrency + 1) or a whole number. `backfillRaw`: 1 to MAX_BACKFILL_CONCURRENCY.
 */
export function parseConcurrency(reservedKey: string, reservedRaw: string | undefined, backfillKey: string, backfillRaw: string | undefined, problems: string[]): ConcurrencySettings {
  let backfillConcurrency = MAX_BACKFILL_CONCURRENCY;
  if (backfillRaw !== undefined) {
    if (/^\d+$/.test(backfillRaw) && Number(backfillRaw) >= 1 && Number(backfillRaw) <= MAX_BACKFILL_CONCURRENCY) backfillConcurrency = Number(backfillRaw);
    else problems.push(`${backfillKey} must be a whole number from 1 to ${MAX_BACKFILL_CONCURRENCY} (chunks a backfill hunts at once; XSIAM runs at most 4 queries per tenant, one stays for the schedule) (got "${backfillRaw.slice(0, 40)}")`);
  }
  const raw = reservedRaw ?? 'false';
  if (raw === 'false') return { reservedExecutions: undefined, backfillConcurrency };
  if (raw === 'true') return { reservedExecutions: backfillConcurrency + 1, backfillConcurrency };
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_RESERVED) {
    problems.push(`${reservedKey} must be true, false or a whole number from 1 to ${MAX_RESERVED} (got "${raw.slice(0, 40)}")`);
    return { reservedExecutions: undefined, backfillConcurrency };
  }
  const reserved = Number(raw);
  if (reserved < backfillConcurrency + 1) {
    problems.push(`${reservedKey}=${reserved} leaves no room for the backfill: its Map hunts up to ${backfillConcurrency} chunks at once (${backfillKey}) and the scheduled run needs one more, and reserved concurrency caps every invoke, so chunks and the schedule would throttle each other. Reserve at least ${backfillConcurrency + 1}${reserved >= 2 ? `, or set ${backfillKey}=${reserved - 1}` : ''}`);
  }
  return { reservedExecutions: reserved, backfillConcurrency };
}
