/**
 * mapLimit (lambda/state/limit.ts) bounds the DynamoDB calls in flight (the batch reads run 4 at
 * a time, the transactions TRANSACT_CONCURRENCY): a large run must not open a socket per chunk.
 * Measured on the calls themselves: the most in flight at once, and the results in input order.
 */
import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../lambda/state/limit.js';

/** Runs mapLimit over `n` items with calls that each wait a tick; returns the results and the most calls in flight. */
async function run(n: number, limit: number): Promise<{ results: number[]; peak: number }> {
  let inFlight = 0;
  let peak = 0;
  const results = await mapLimit(Array.from({ length: n }, (_, i) => i), limit, async (item, index) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    // later items finish first, so the order of the results is not the order they finished in
    await new Promise((resolve) => setTimeout(resolve, n - index));
    inFlight -= 1;
    return item * 10;
  });
  return { results, peak };
}

describe('mapLimit keeps at most `limit` calls in flight', () => {
  it('runs 3 items 2 at a time (one item more than the limit), results in input order', async () => {
    expect(await run(3, 2)).toEqual({ results: [0, 10, 20], peak: 2 });
  });

  it('runs 2 items both at once under a limit of 2 (at the limit)', async () => {
    expect(await run(2, 2)).toEqual({ results: [0, 10], peak: 2 });
  });

  it('runs 8 chunks 4 at a time, as the batch reads do', async () => {
    expect(await run(8, 4)).toEqual({ results: [0, 10, 20, 30, 40, 50, 60, 70], peak: 4 });
  });
});
