/**
 * Bounded back-off shared by the batched DynamoDB calls (BatchGetItem leftovers, transactions
 * cancelled by throttling or a conflict): the SDK does not retry either of those itself.
 */

export interface RetryOptions {
  /** Calls before giving up. */
  readonly maxAttempts: number;
  /** First back-off delay; doubles per attempt, capped at 2 s. */
  readonly baseDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Back-off before attempt `attempt + 1`: exponential, with jitter so parallel chunks spread out. */
export function backoffMs(attempt: number, baseDelayMs: number): number {
  const ceiling = Math.min(2000, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
