/**
 * P7 — detection latency, and P8 — query cost of the windows and the late sweeps, before (15-minute
 * schedule, overlap 10 min, ingest lag 5 min, one hourly sweep over 72 h) and after (the defaults).
 *
 * A simulation over simulated time that drives the real pure planning code (`planWindows`,
 * `sweepSpecs`, `decideSweep`; test/support/schedule-sim.ts): 5 days of 15-minute runs, each
 * starting 0–10 s late. 2,000 wmic events happen on day 2 with simulated ingestion delays: 90 %
 * within 2 minutes (5–120 s), 8 % 2–30 minutes, 2 % 30 minutes to 48 hours. An event is detected
 * by the first query that reads it (its `_time` in the query's window, and for a window its arrival
 * by the run's start, for a sweep its arrival in the sweep's range). Latency = that run's start +
 * RUN_TO_SNS_MS − arrival; RUN_TO_SNS_MS stands for the query, the pipeline and SNS accepting the
 * message (the README's cost table puts a run at up to 20 s). "On time" = delay ≤ 2 minutes.
 * Goal (issue 17): on-time p95 ≤ schedule period + 60 s.
 *
 * P8 replays every query of day 3 (a steady day: both sweep tiers have run) through the real
 * XsiamClient against the local XSIAM at the query's simulated start, over the same events: data
 * hours = hours of `_time` read; units = the `query_cost` the local XSIAM bills, 0.001 + 0.00001 a
 * row + SCAN_UNITS_PER_HOUR an hour of `_time` scanned (an assumption: XSIAM publishes no price per
 * hour scanned; the documented replies show 0.00075–0.0032 units for small queries).
 *
 * `npx tsx bench/p7-p8-late.ts` runs just this part; `npm run bench` runs it with the others.
 */
import { randomUUID } from 'node:crypto';
import { defaultRunSettings } from '../lambda/config.js';
import { SEED_XQL } from '../lambda/hunts/wmic-remote-exec.js';
import { sweepXql } from '../lambda/run/sweep-plan.js';
import { createXsiamClient, type XsiamCredentials } from '../lambda/xsiam/index.js';
import { startLocalXsiam, type EventRow } from '../local/xsiam/index.js';
import { firstRead, simulateSchedule, type SimRow, type SimSettings } from '../test/support/schedule-sim.js';
import { emitResult, round } from './support.js';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const D0 = Date.UTC(2026, 10, 2, 0, 0, 0);
const PERIOD = 15 * MIN;
const RUN_TO_SNS_MS = 20 * SEC;
const SCAN_UNITS_PER_HOUR = 0.0005;
const EVENTS = 2_000;

const BEFORE: SimSettings = {
  ...defaultRunSettings(), overlapMs: 10 * MIN, ingestLagMs: 5 * MIN,
  lateSweepEveryMs: HOUR, lateArrivalMs: 72 * HOUR, lateSweepRecentMs: 72 * HOUR,
};
const AFTER: SimSettings = defaultRunSettings();

export interface P7Side { p50OnTimeS: number; p95OnTimeS: number; p50AllS: number; p95AllS: number; p95LateS: number; undetected: number }
export interface P8Line { kind: string; queriesPerDay: number; dataHoursPerDay: number; unitsPerDay: number }
export interface P7P8Result {
  periodS: number; goalS: number; events: number; onTime: number;
  p7: { before: P7Side; after: P7Side };
  p8: { before: P8Line[]; after: P8Line[] };
  assumptions: { runToSnsS: number; scanUnitsPerHour: number };
}

/** A small deterministic generator (mulberry32), so every run measures the same day. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function simulatedEvents(): SimRow[] {
  const r = random(17);
  return Array.from({ length: EVENTS }, () => {
    const t = D0 + DAY + Math.floor(r() * DAY);
    const u = r();
    const delay = u < 0.9 ? 5 * SEC + r() * 115 * SEC : u < 0.98 ? 2 * MIN + r() * 28 * MIN : 30 * MIN + r() * (48 * HOUR - 30 * MIN);
    return { t, a: t + Math.round(delay) };
  });
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number);
}

function latency(settings: SimSettings, rows: readonly SimRow[]): { side: P7Side; sim: ReturnType<typeof simulateSchedule> } {
  const r = random(7);
  const jitter = Array.from({ length: 400 }, () => Math.floor(r() * 10 * SEC));
  const sim = simulateSchedule({ settings, start: D0, end: D0 + 5 * DAY, periodMs: PERIOD, delayMs: (i) => jitter[i % jitter.length] as number });
  const onTime: number[] = [];
  const late: number[] = [];
  let undetected = 0;
  for (const row of rows) {
    const q = firstRead(sim.queries, row);
    if (q === null) { undetected++; continue; }
    (row.a - row.t <= 2 * MIN ? onTime : late).push((q.runAt + RUN_TO_SNS_MS - row.a) / SEC);
  }
  const all = [...onTime, ...late];
  return {
    sim,
    side: {
      p50OnTimeS: round(percentile(onTime, 50), 0), p95OnTimeS: round(percentile(onTime, 95), 0),
      p50AllS: round(percentile(all, 50), 0), p95AllS: round(percentile(all, 95), 0), p95LateS: round(percentile(late, 95), 0), undetected,
    },
  };
}

/** Every query of day 3 through the real client on the local XSIAM, at its simulated start. */
async function measureDay(sim: ReturnType<typeof simulateSchedule>, rows: readonly SimRow[]): Promise<P8Line[]> {
  let now = D0;
  const events: EventRow[] = rows.map((row, i) => ({
    _time: row.t, _insert_time: row.a, event_id: `p7-${i}`, agent_id: 'a'.repeat(32), agent_hostname: `LAPTOP-${i % 97}`,
    agent_os_type: 'AGENT_OS_WINDOWS', event_type: 'PROCESS', event_sub_type: 'PROCESS_START',
    action_process_image_name: 'wmic.exe', action_process_image_command_line: `wmic /node:"fs${i % 13}" process call create "cmd.exe /c whoami"`,
    actor_process_image_name: 'cmd.exe', actor_effective_username: 'CORP\\bench',
  }));
  const key = { keyId: '7', key: randomUUID() };
  const server = await startLocalXsiam({ events, credentials: key, pendingPolls: 0, quota: 1e9, scanUnitsPerHour: SCAN_UNITS_PER_HOUR, clock: { now: () => now } });
  const client = createXsiamClient({ allowLoopback: true });
  const credentials: XsiamCredentials = { tenant: server.url, apiKeyId: key.keyId, apiKey: key.key, keyType: 'standard' };
  const lines = new Map<string, P8Line>();
  try {
    for (const q of sim.queries.filter((x) => x.runAt >= D0 + 2 * DAY && x.runAt < D0 + 3 * DAY)) {
      now = q.runAt;
      const xql = q.arrived === null ? SEED_XQL : sweepXql(SEED_XQL, q.arrived);
      const result = await client.query(credentials, xql, q.window, { deadline: Date.now() + 60_000 });
      const line = lines.get(q.kind) ?? { kind: q.kind, queriesPerDay: 0, dataHoursPerDay: 0, unitsPerDay: 0 };
      lines.set(q.kind, {
        kind: q.kind, queriesPerDay: line.queriesPerDay + 1,
        dataHoursPerDay: line.dataHoursPerDay + (q.window.to - q.window.from) / HOUR, unitsPerDay: line.unitsPerDay + result.queryCost,
      });
    }
  } finally {
    await client.close();
    await server.close();
  }
  return [...lines.values()].map((l) => ({ ...l, dataHoursPerDay: round(l.dataHoursPerDay, 1), unitsPerDay: round(l.unitsPerDay, 4) }));
}

export async function runP7P8(): Promise<P7P8Result> {
  const rows = simulatedEvents();
  const before = latency(BEFORE, rows);
  const after = latency(AFTER, rows);
  return {
    periodS: PERIOD / SEC, goalS: PERIOD / SEC + 60, events: rows.length, onTime: rows.filter((r) => r.a - r.t <= 2 * MIN).length,
    p7: { before: before.side, after: after.side },
    p8: { before: await measureDay(before.sim, rows), after: await measureDay(after.sim, rows) },
    assumptions: { runToSnsS: RUN_TO_SNS_MS / SEC, scanUnitsPerHour: SCAN_UNITS_PER_HOUR },
  };
}

if (process.argv[1]?.endsWith('p7-p8-late.ts')) {
  const result = await runP7P8();
  emitResult(result);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
