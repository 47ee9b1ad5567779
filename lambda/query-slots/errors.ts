/** The query-slot guard's one error. */
import type { QuerySlotUnavailable } from '../ports.js';

/**
 * No slot of the tenant freed up before the wait's end (the query's deadline less its reserve).
 * Marked {@link QuerySlotUnavailable}: the run ends cleanly on it, counted, its checkpoint kept.
 */
export class QuerySlotUnavailableError extends Error implements QuerySlotUnavailable {
  override readonly name = 'QuerySlotUnavailableError';
  readonly querySlotUnavailable = true as const;
  constructor(readonly waitedMs: number, readonly attempts: number) {
    super(`no XSIAM query slot of the tenant freed up in ${Math.round(waitedMs / 1000)} s (${attempts} attempts): the product's other queries hold all of them`);
  }
}
