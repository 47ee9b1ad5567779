/**
 * The rules of the tenant's query slots, shared by the DynamoDB adapter and the in-memory one:
 * how many, when a held slot counts as free again, the order slots are tried in, and what a
 * request must look like.
 */
import { huntIdProblems } from './keys.js';

/**
 * Slots the product holds at once per tenant. XSIAM runs "up to four API queries in parallel"
 * (https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM-Platform-APIs/Run-XQL-query-APIs); one
 * is left for the tenant's other API users (XSOAR playbooks, analysts' scripts).
 */
export const QUERY_SLOTS = 3;

/**
 * A lease counts as run out only this long after its `leaseUntil`: the holder stamped it with its
 * own clock, which may be behind the reader's. Lambda hosts keep time with the Amazon Time Sync
 * Service (well under a millisecond apart); two seconds is far above it and costs a crashed
 * holder's slot only two more seconds.
 */
export const SLOT_CLOCK_SKEW_MS = 2_000;

/** True when a slot whose lease runs until `leaseUntil` (absent: never taken) may be taken at `now`. */
export function slotFree(leaseUntil: unknown, now: number, skewMs: number = SLOT_CLOCK_SKEW_MS): boolean {
  return typeof leaseUntil !== 'number' || leaseUntil + skewMs < now;
}

/**
 * The order to try the slots in, starting at `start`: contenders that start at different slots
 * rarely race for the same item.
 */
export function slotOrder(start: number, slots: number = QUERY_SLOTS): number[] {
  const first = ((Math.floor(start) % slots) + slots) % slots;
  return Array.from({ length: slots }, (_, i) => (first + i) % slots);
}

/** Problems with a slot request (tenant, owner, times). */
export function slotRequestProblems(tenant: string, owner: string, now: number, leaseUntil: number): string[] {
  const problems = huntIdProblems(tenant, 'tenant');
  if (typeof owner !== 'string' || owner.length === 0 || owner.length > 200) problems.push('owner must be a string of 1 to 200 characters');
  if (!Number.isFinite(now)) problems.push('now must be a finite epoch ms');
  if (!Number.isFinite(leaseUntil) || leaseUntil <= now) problems.push('leaseUntil must be an epoch ms after now');
  return problems;
}
