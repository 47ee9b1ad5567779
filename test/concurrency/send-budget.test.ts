/**
 * The shared send budget (lambda/state/dynamo-pace.ts) over DynamoDB Local, and the in-process
 * one: publishers drawing from one budget at once never put more than 10 messages in any second
 * (sliding, in true time), also when their clocks disagree by up to the skew tolerance; a slot
 * past the deadline is refused without reserving anything.
 */
import { describe, expect, inject, it } from 'vitest';
import { InProcessSendBudget, PACE_WINDOW_MS } from '../../lambda/notify/index.js';
import type { SendBudget } from '../../lambda/ports.js';
import { DynamoSendBudget } from '../../lambda/state/index.js';
import { freshTable, localClient } from '../state/dynamo-support.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Most messages reserved inside any one second (sliding) of true time. */
function busiestSecond(stamps: readonly { at: number; count: number }[]): number {
  const sorted = [...stamps].sort((a, b) => a.at - b.at);
  let most = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    const inSecond = sorted.filter((s) => s.at <= (sorted[i] as { at: number }).at && s.at > (sorted[i] as { at: number }).at - 1000);
    most = Math.max(most, inSecond.reduce((n, s) => n + s.count, 0));
  }
  return most;
}

/** `publishers` draw `batches` batches of `size` each, all at once; returns the true time of each reservation. */
async function drawAtOnce(budgets: readonly SendBudget[], batches: number, size: number): Promise<{ at: number; count: number }[]> {
  const stamps: { at: number; count: number }[] = [];
  await Promise.all(budgets.map(async (budget) => {
    for (let b = 0; b < batches; b += 1) {
      expect(await budget.acquire(size)).toBe(true);
      stamps.push({ at: Date.now(), count: size });
    }
  }));
  return stamps;
}

async function dynamoBudgets(count: number, skews: readonly number[] = []): Promise<DynamoSendBudget[]> {
  const client = localClient(inject('dynamoDbEndpoint'));
  const tableName = await freshTable(client, 'pace');
  return Array.from({ length: count }, (_, i) => new DynamoSendBudget({
    client, tableName, windowMs: PACE_WINDOW_MS, now: () => Date.now() - (skews[i] ?? 0), sleep,
  }));
}

describe('the shared send budget', () => {
  it('over DynamoDB: four publishers at once never exceed 10 messages in any second', async () => {
    const stamps = await drawAtOnce(await dynamoBudgets(4), 3, 4);
    expect(stamps).toHaveLength(12);
    expect(busiestSecond(stamps)).toBeLessThanOrEqual(10);
  }, 60_000);

  it('over DynamoDB: holds the bound when one host clock runs 150 ms behind the others (inside the tolerance)', async () => {
    const stamps = await drawAtOnce(await dynamoBudgets(3, [0, 150, 0]), 3, 5);
    expect(busiestSecond(stamps)).toBeLessThanOrEqual(10);
  }, 60_000);

  it('over DynamoDB: refuses a slot past the deadline without reserving it', async () => {
    const [a, b] = await dynamoBudgets(2);
    expect(await a!.acquire(10)).toBe(true);
    // The window is full for the next ~1.3 s: a deadline 100 ms away cannot be met.
    expect(await b!.acquire(1, Date.now() + 100)).toBe(false);
    const started = Date.now();
    expect(await b!.acquire(10)).toBe(true);
    // Had the refused call reserved its message, this one would have waited for a later slot still.
    expect(Date.now() - started).toBeLessThan(PACE_WINDOW_MS + 200 + 500);
  }, 30_000);

  it('in process: publishers sharing one budget never exceed 10 messages in any second', async () => {
    const shared = new InProcessSendBudget({ maxMessages: 10, windowMs: PACE_WINDOW_MS, now: Date.now, sleep });
    const stamps = await drawAtOnce([shared, shared, shared], 3, 4);
    expect(busiestSecond(stamps)).toBeLessThanOrEqual(10);
  }, 30_000);
});
