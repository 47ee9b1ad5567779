/**
 * The run summary as ops read it (the handler's log line, the EMF metrics, `npm run hunt -- --output
 * json`): the counters of several chunks and sweeps added up, the allowlist entries that expired, the
 * history status of the last chunk, and the detection latency of the notified pairs (nearest-rank
 * p50/p95 and max, and the values the DetectionLatencyMs metric gets). Pure: the tallies are built here.
 */
import { describe, expect, it } from 'vitest';
import type { HistoryStatus } from '../../lambda/history/index.js';
import type { IncidentSummary } from '../../lambda/incidents/index.js';
import { addTally, percentile, summarise, tallyOf, type SummaryFacts, type Tally } from '../../lambda/run/summary.js';
import { makeFinding, T0 } from '../fixtures/notify/findings.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const FACTS: SummaryFacts = {
  runId: 'run-42', huntId: 'HuntQuery-Windows-WMIC-RemoteExec', status: 'completed',
  window: { from: T0 - 2 * HOUR, to: T0 - 5 * MIN }, windowLagMs: 5 * MIN, durationMs: 8_400,
};

const warming: HistoryStatus = { warmingUp: true, coveredDays: 3, minCoverageDays: 7, baselineDays: 30, available: true };
const warm: HistoryStatus = { warmingUp: false, coveredDays: 12, minCoverageDays: 7, baselineDays: 30, available: true };

/** The detection latency a run of these per-pair latencies reports. */
const latencyOf = (latenciesMs: readonly number[]) => summarise(FACTS, { ...tallyOf({}), latenciesMs }).detectionLatencyMs;

describe('the detection latency of a run (arrival in XSIAM to SNS accepted)', () => {
  it('is null when no notified pair had a known arrival, with or without the list', () => {
    expect(latencyOf([])).toBeNull();
    expect(summarise(FACTS, tallyOf({ notified: 2 })).detectionLatencyMs).toBeNull();
  });

  it('one pair: its latency is the count of one, p50, p95 and max', () => {
    expect(latencyOf([41_000])).toEqual({ count: 1, p50: 41_000, p95: 41_000, max: 41_000, values: [41_000] });
  });

  it('reads the pairs in ascending order whatever order the chunks notified them in', () => {
    // Four pairs of one run: 2.5 min, 40 s, 9 min (a laptop that uploaded late), 1 min.
    expect(latencyOf([150_000, 40_000, 540_000, 60_000])).toEqual({
      count: 4, p50: 60_000, p95: 540_000, max: 540_000, values: [40_000, 60_000, 150_000, 540_000],
    });
  });

  it('takes p50 and p95 by nearest rank across the chunks of a run (the lists of every chunk added)', () => {
    const chunks = [[30_000, 10_000], [20_000]].map((latenciesMs) => ({ ...tallyOf({}), latenciesMs }));
    expect(summarise(FACTS, addTally(tallyOf({}), ...chunks)).detectionLatencyMs).toEqual({
      count: 3, p50: 20_000, p95: 30_000, max: 30_000, values: [10_000, 20_000, 30_000],
    });
  });
});

describe('the values the DetectionLatencyMs metric gets (at most 100 per EMF record)', () => {
  const seconds = (n: number) => Array.from({ length: n }, (_, i) => (i + 1) * 1000).reverse();

  it('100 pairs: every value, ascending', () => {
    const out = latencyOf(seconds(100))!;
    expect(out.values).toEqual(seconds(100).reverse());
    expect(out).toMatchObject({ count: 100, p50: 50_000, p95: 95_000, max: 100_000 });
  });

  it('101 pairs: 100 values spread from the fastest to the slowest (only the middle one, 51 s, left out), not the fastest 100', () => {
    const out = latencyOf(seconds(101))!;
    expect(out.values).toEqual(seconds(101).reverse().filter((ms) => ms !== 51_000));
    expect(out).toMatchObject({ count: 101, p50: 51_000, p95: 96_000, max: 101_000 });
  });

  it('a storm of 500 pairs: 100 values, the slowest kept, so the metric\'s max is the run\'s', () => {
    const out = latencyOf(seconds(500))!;
    expect(out.values).toHaveLength(100);
    expect([out.values[0], out.values[1], out.values[98], out.values[99]]).toEqual([1000, 6000, 495_000, 500_000]);
    expect(out).toMatchObject({ count: 500, p50: 250_000, p95: 475_000, max: 500_000 });
  });
});

describe('percentile: the nearest rank, ceil(p/100 × n), within 1..n', () => {
  const TWENTY = Array.from({ length: 20 }, (_, i) => (i + 1) * 1000);

  it('p50 of 3 is the 2nd; of 4 the 2nd (2 exactly), not the 3rd', () => {
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
  });

  it('p95 of 20 values is the 19th (19 exactly); of 21 the 20th (19.95 rounded up); of 19 the 19th (18.05)', () => {
    expect(percentile(TWENTY, 95)).toBe(19_000);
    expect(percentile([...TWENTY, 21_000], 95)).toBe(20_000);
    expect(percentile(TWENTY.slice(0, 19), 95)).toBe(19_000);
  });

  it('p0 is the first value and p100 the last (the rank stays within 1..n)', () => {
    expect(percentile(TWENTY, 0)).toBe(1000);
    expect(percentile(TWENTY, 1)).toBe(1000);
    expect(percentile(TWENTY, 100)).toBe(20_000);
  });
});

describe('the tallies of a run added up', () => {
  it('joins the expired allowlist entries of every chunk, each once', () => {
    const a = { ...tallyOf({}), expiredAllowlistEntries: ['sccm-push-2026'] };
    const b = { ...tallyOf({}), expiredAllowlistEntries: ['sccm-push-2026', 'veeam-backup'] };
    expect(addTally(a, b).expiredAllowlistEntries).toEqual(['sccm-push-2026', 'veeam-backup']);
    expect(addTally(tallyOf({}), b).expiredAllowlistEntries).toEqual(['sccm-push-2026', 'veeam-backup']);
    expect(addTally(a).expiredAllowlistEntries).toEqual(['sccm-push-2026']);
  });

  it('keeps the history status of the last chunk that had one; a sweep without one does not erase it', () => {
    const first = { ...tallyOf({ chunks: 1 }), history: warming };
    const second = { ...tallyOf({ chunks: 1 }), history: warm };
    const sweep = tallyOf({ lateSweeps: 1 });
    expect(addTally(first, second, sweep).history).toEqual(warm);
    expect(addTally(first, sweep).history).toEqual(warming);
    expect(addTally(sweep, first).history).toEqual(warming);
  });

  it('has no history key at all when no chunk had one (not a key holding undefined)', () => {
    const none = addTally(tallyOf({ lateSweeps: 1 }), tallyOf({ lateSweepsOverBudget: 1 }));
    expect(Object.keys(none)).not.toContain('history');
    expect(summarise(FACTS, none).history).toBeNull();
  });
});

describe('summarise: the summary ops read', () => {
  it('adds every chunk\'s counters, lists and the last history; the facts as given', () => {
    const fs01 = makeFinding({ sourceHost: 'WS-A', targetHost: 'fs01' });
    const app01 = makeFinding({ sourceHost: 'WS-B', targetHost: 'app01' });
    const held = makeFinding({ sourceHost: 'WS-C', targetHost: 'hv02', severity: 'low', riskScore: 30 });
    const open: IncidentSummary = { id: 'INC-1', chain: ['ws-a', 'fs01'], pairs: [{ source: 'ws-a', target: 'fs01' }], severity: 'high', firstSeen: T0, lastSeen: T0 };
    const grown: IncidentSummary = { ...open, chain: ['ws-a', 'fs01', 'app01'], pairs: [...open.pairs, { source: 'fs01', target: 'app01' }], severity: 'critical', lastSeen: T0 + MIN };
    const chunk1: Tally = {
      counts: tallyOf({ chunks: 1, rows: 40, findings: 3, newPairs: 2, notified: 1, messages: 1, confirmed: 1, belowMinSeverity: 1, queryCost: 0.25, httpCalls: 3 }).counts,
      expiredAllowlistEntries: ['veeam-backup'], notifications: [fs01], incidents: [open], history: warming, latenciesMs: [90_000], checked: [fs01, held],
    };
    const chunk2: Tally = {
      counts: tallyOf({ chunks: 1, rows: 12, findings: 1, repeats: 1, newPairs: 1, notified: 1, messages: 1, notSeen: 1, queryCost: 0.5, httpCalls: 2 }).counts,
      expiredAllowlistEntries: ['veeam-backup'], notifications: [app01], incidents: [grown], history: warm, latenciesMs: [30_000], checked: [app01],
    };
    const summary = summarise(FACTS, addTally(tallyOf({}), chunk1, chunk2, tallyOf({ lateSweeps: 1, lateSweepQueryCost: 0.125, lateSweepDataHours: 2 })));
    expect(summary).toEqual({
      ...tallyOf({}).counts,
      runId: 'run-42', huntId: 'HuntQuery-Windows-WMIC-RemoteExec', status: 'completed', window: FACTS.window, windowLagMs: 5 * MIN, durationMs: 8_400,
      chunks: 2, rows: 52, findings: 4, newPairs: 3, repeats: 1, notified: 2, messages: 2, confirmed: 1, notSeen: 1, belowMinSeverity: 1,
      queryCost: 0.75, httpCalls: 5, lateSweeps: 1, lateSweepQueryCost: 0.125, lateSweepDataHours: 2,
      expiredAllowlistEntries: ['veeam-backup'], notifications: [fs01, app01], incidents: [grown], history: warm,
      detectionLatencyMs: { count: 2, p50: 30_000, p95: 90_000, max: 90_000, values: [30_000, 90_000] },
      checked: [fs01, held, app01],
    });
    // Every notified pair has one confirmation outcome.
    expect(summary.confirmed + summary.notSeen + summary.unmanaged + summary.unavailable).toBe(summary.notified);
  });

  it('lists the expired allowlist entries and the notified pairs as copies (the tally is not shared)', () => {
    const expired = ['sccm-push-2026'];
    const tally: Tally = { ...tallyOf({}), expiredAllowlistEntries: expired };
    const summary = summarise({ ...FACTS, status: 'up-to-date', window: null, windowLagMs: null }, tally);
    expect(summary).toMatchObject({ status: 'up-to-date', window: null, windowLagMs: null, expiredAllowlistEntries: ['sccm-push-2026'], history: null, detectionLatencyMs: null });
    expect(summary.expiredAllowlistEntries).not.toBe(expired);
  });
});
