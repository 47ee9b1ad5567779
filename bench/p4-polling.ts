/**
 * P4: extra wall time that polling adds, on the local XSIAM, in real time (no compressed clock).
 *
 * The local server keeps each query PENDING until `completionDelayMs` after its start (pendingPolls
 * 0: the delay alone decides). The real XsiamClient with its default polling options (first wait
 * 200 ms, ×1.6 per poll, at most 3 s) runs the hunt's seed XQL over the sample day (45 result
 * rows, returned inline). Overhead = wall time of client.query − completion delay. It therefore
 * also holds the start call, the XQL evaluation in the server and the final fetch; the baseline
 * row (delay 0) shows that fixed part, and `pollingOverheadMs` subtracts it.
 */
import { randomUUID } from 'node:crypto';
import { SEED_XQL } from '../lambda/hunts/wmic-remote-exec.js';
import { sampleDay } from '../local/sample-day/index.js';
import { startLocalXsiam } from '../local/xsiam/index.js';
import { createXsiamClient, type XsiamCredentials } from '../lambda/xsiam/index.js';
import { median, round } from './support.js';

export interface P4Case {
  queryMs: number;
  samples: number;
  wallMs: number;
  overheadMs: number;
  /** overheadMs minus the median wall time of a query that is complete at once (start + fetch + XQL). */
  pollingOverheadMs: number;
  /** get_query_results calls per query (median). */
  polls: number;
  goalMs: number;
}

export interface P4Result {
  baselineMs: number;
  cases: P4Case[];
  rowsPerQuery: number;
}

/** Delay (ms) → repetitions; the 30 s case runs once to keep the whole benchmark under 10 minutes. */
const CASES: readonly [number, number][] = [[500, 5], [5_000, 3], [30_000, 1]];

export async function runP4(): Promise<P4Result> {
  const now = Date.now();
  const events = sampleDay(now);
  const key = { keyId: '17', key: randomUUID() };
  const window = { from: now - 24 * 3_600_000, to: now };
  let rowsPerQuery = 0;

  async function measure(completionDelayMs: number, samples: number): Promise<{ wall: number[]; polls: number[] }> {
    const server = await startLocalXsiam({ events, credentials: key, completionDelayMs, pendingPolls: 0, quota: 1_000 });
    const client = createXsiamClient({ allowLoopback: true });
    const credentials: XsiamCredentials = { tenant: server.url, apiKeyId: key.keyId, apiKey: key.key, keyType: 'advanced' };
    const wall: number[] = [];
    const polls: number[] = [];
    try {
      // One unrecorded query opens the connection pool and warms the XQL engine.
      if (completionDelayMs === 0) await client.query(credentials, SEED_XQL, window, { deadline: Date.now() + 60_000 });
      for (let i = 0; i < samples; i++) {
        const before = server.stats.requests.get_query_results;
        const t = performance.now();
        const result = await client.query(credentials, SEED_XQL, window, { deadline: Date.now() + completionDelayMs + 60_000 });
        wall.push(performance.now() - t);
        polls.push(server.stats.requests.get_query_results - before);
        rowsPerQuery = result.rows.length;
      }
    } finally {
      await client.close();
      await server.close();
    }
    return { wall, polls };
  }

  const base = await measure(0, 5);
  const baselineMs = median(base.wall);
  const cases: P4Case[] = [];
  for (const [queryMs, samples] of CASES) {
    const { wall, polls } = await measure(queryMs, samples);
    const wallMs = median(wall);
    cases.push({
      queryMs,
      samples,
      wallMs: round(wallMs, 1),
      overheadMs: round(wallMs - queryMs, 1),
      pollingOverheadMs: round(wallMs - queryMs - baselineMs, 1),
      polls: median(polls),
      goalMs: 0.1 * queryMs + 500,
    });
  }
  return { baselineMs: round(baselineMs, 1), cases, rowsPerQuery };
}
