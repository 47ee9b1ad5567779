/**
 * Expiry rules shared by both adapters. DynamoDB TTL wants epoch seconds and deletes days late,
 * so every read compares `expiresAt` with now itself; the conditional put uses the same rule.
 */

/** Epoch seconds of an epoch-millisecond instant (floored, as DynamoDB's TTL clock). */
export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** `expiresAt` for something that must live until `untilMs` (rounded up: never expires early). */
export function expiresAtFor(untilMs: number): number {
  return Math.ceil(untilMs / 1000);
}

/**
 * True when an item with this `expiresAt` is to be treated as absent at `now`.
 * Mirrors the put condition `expiresAt < :nowSeconds`; a non-number never expires (it cannot be
 * compared in a condition either, so treating it as live keeps reads and writes in agreement).
 */
export function isExpired(expiresAt: unknown, now: number): boolean {
  return typeof expiresAt === 'number' && expiresAt < epochSeconds(now);
}
