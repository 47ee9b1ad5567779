/**
 * The guard every XQL query goes through (lambda/query-slots/): at most three queries at once over
 * one set of slots, the slot given back after success and failure, a bounded wait ending in a
 * marked error, and the client's other calls passed through.
 */
import { describe, expect, it } from 'vitest';
import type { QueryResult } from '../../lambda/pipeline-types.js';
import { isQuerySlotUnavailable, type XqlSource } from '../../lambda/ports.js';
import { QuerySlotUnavailableError, withQuerySlots } from '../../lambda/query-slots/index.js';
import type { XsiamCredentials } from '../../lambda/xsiam/index.js';
import { MemoryQuerySlots } from '../../local/adapters/index.js';

const CREDS: XsiamCredentials = { tenant: 'https://api-x.xdr.us.paloaltonetworks.com', apiKeyId: '1', apiKey: 'k', keyType: 'standard' };
const WINDOW = { from: 0, to: 60_000 };
const RESULT: QueryResult = { queryId: 'q_1_inv', rows: [], rowProblems: [], numberOfResults: 0, queryCost: 0.01, remainingQuota: null, httpCalls: 3, durationMs: 60 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** An XQL source that takes `ms` per query and records how many ran at once. */
function slowSource(ms: number, fail = false): XqlSource & { peak: number; getEndpoints: () => string } {
  let running = 0;
  const source = {
    peak: 0,
    async query(): Promise<QueryResult> {
      running += 1;
      source.peak = Math.max(source.peak, running);
      await sleep(ms);
      running -= 1;
      if (fail) throw new Error('query failed');
      return RESULT;
    },
    getEndpoints(): string { return 'endpoints'; },
  };
  return source;
}

const guardOver = (slots: MemoryQuerySlots) => ({ slots, now: () => Date.now(), sleep, pollMs: 10, maxPollMs: 20, queryReserveMs: 0 });

describe('query slot guard', () => {
  it('runs at most three of eight queries at once and completes all of them', async () => {
    const source = slowSource(60);
    const guarded = withQuerySlots(source, guardOver(new MemoryQuerySlots()));
    const deadline = Date.now() + 20_000;
    const results = await Promise.all(Array.from({ length: 8 }, () => guarded.query(CREDS, 'dataset = xdr_data', WINDOW, { deadline })));
    expect(results).toHaveLength(8);
    expect(source.peak).toBe(3);
  });

  it('gives the slot back when the query fails', async () => {
    const slots = new MemoryQuerySlots();
    const guarded = withQuerySlots(slowSource(1, true), guardOver(slots));
    for (let i = 0; i < 4; i++) await expect(guarded.query(CREDS, 'x', WINDOW, { deadline: Date.now() + 5_000 })).rejects.toThrow('query failed');
    expect(await slots.tryAcquire('default', 'probe', Date.now(), Date.now() + 1_000)).not.toBeNull();
  });

  it('gives up at the deadline less its reserve with an error the run recognises', async () => {
    const slots = new MemoryQuerySlots();
    for (const o of ['a', 'b', 'c']) await slots.tryAcquire('default', o, Date.now(), Date.now() + 60_000);
    const guarded = withQuerySlots(slowSource(1), { ...guardOver(slots), queryReserveMs: 5_000 });
    const started = Date.now();
    const err = await guarded.query(CREDS, 'x', WINDOW, { deadline: started + 5_300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuerySlotUnavailableError);
    expect(isQuerySlotUnavailable(err)).toBe(true);
    expect((err as Error).message).toMatch(/no XSIAM query slot of the tenant freed up/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('leases the slot until the query deadline plus a margin, so a dead holder frees it', async () => {
    const seen: number[] = [];
    const slots = new MemoryQuerySlots();
    const spy = { tryAcquire: (t: string, o: string, now: number, until: number) => { seen.push(until); return slots.tryAcquire(t, o, now, until); }, release: slots.release.bind(slots) };
    const guarded = withQuerySlots(slowSource(1), { slots: spy, now: () => 1_000, sleep, leaseMarginMs: 10_000 });
    await guarded.query(CREDS, 'x', WINDOW, { deadline: 50_000 });
    expect(seen).toEqual([60_000]);
  });

  it("passes the client's other calls through", () => {
    const guarded = withQuerySlots(slowSource(1), guardOver(new MemoryQuerySlots()));
    expect(guarded.getEndpoints()).toBe('endpoints');
  });
});
