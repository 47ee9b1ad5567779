/**
 * The late sweep driven through its ports (lambda/run/sweep.ts): which `_time` windows it re-reads
 * and which arrivals it asks for, whether its mark moves and to what, what the summary counts, the
 * warnings ops see when the deadline or the day's query units hold it back, and what a late pair's
 * notification carries. Real parts: the run's stages, the WMIC detector, the local XQL engine
 * evaluating the sweep's query text, a file state store; the clock, the query reply's cost and the
 * notifier are scripted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import { createDetector, DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import type { TrackedFinding } from '../../lambda/finding.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import type { TimeWindow } from '../../lambda/pipeline-types.js';
import type { Log, RunSettings, StateStore, SweepMarkUpdate, XqlSource } from '../../lambda/ports.js';
import type { RunContext } from '../../lambda/run/context.js';
import { COMMIT_RESERVE_MS } from '../../lambda/run/limits.js';
import { lateSweeps } from '../../lambda/run/sweep.js';
import { ARRIVAL_MARGIN_MS } from '../../lambda/run/sweep-plan.js';
import { FileStateStore, StaticCredentials } from '../../local/adapters/index.js';
import { parseXql, runXql } from '../../local/xql/index.js';
import { processRow } from '../fixtures/xsiam/events.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T = Date.UTC(2026, 11, 6, 12, 0, 0);
const TODAY = '2026-12-06';
const YESTERDAY = '2026-12-05';
const HUNT = WMIC_REMOTE_EXEC.id;

/** One sweep over the whole 72-hour horizon, every run, no budget. */
const ONE_SWEEP: Partial<RunSettings> = { lateArrivalMs: 72 * HOUR, lateSweepEveryMs: 0, lateSweepRecentMs: 72 * HOUR, dailyQueryUnits: 0 };
/** The default tiers: `recent` hourly over 6 hours, `full` daily over 72. */
const TWO_TIERS: Partial<RunSettings> = { lateArrivalMs: 72 * HOUR, lateSweepEveryMs: HOUR, lateSweepRecentMs: 6 * HOUR, lateSweepFullEveryMs: 24 * HOUR };

/**
 * A wmic launch on `host` at `time` that reached XSIAM at `arrived` (`_insert_time`, epoch ms):
 * the xdr_data PROCESS row shape of test/fixtures/xsiam/events.ts, as an agent off the network
 * uploads it late (docs/reference/xsiam-xql-api.md, arrival addendum).
 */
function lateLaunch(time: number, arrived: number, host: string): Record<string, unknown> {
  const cmd = `wmic /node:"fs09" process call create "cmd.exe /c C:\\Users\\Public\\${host}.exe"`;
  return { ...processRow({ id: `evt-${host}-${time}`, host, image: 'wmic.exe', time, cmd }), _insert_time: arrived };
}

interface Rig {
  readonly ctx: RunContext;
  readonly store: FileStateStore;
  /** The queries XSIAM was asked, in order. */
  readonly queries: { xql: string; window: TimeWindow }[];
  readonly warnings: { message: string; extra?: Record<string, unknown> }[];
  /** What each notifier call was given. */
  readonly published: TrackedFinding[][];
}

let dir: string;
let now: number;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sweep-surv-'));
  now = T;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

interface RigOptions {
  readonly settings: Partial<RunSettings>;
  readonly events?: Record<string, unknown>[];
  /** Query units XSIAM charges per hour of `_time` a query scans. @default 0.25 */
  readonly unitsPerHour?: number;
  /** The notifier defers every pair (SNS pacing ran into the deadline). */
  readonly deferAll?: boolean;
  readonly deadline?: number;
  readonly state?: (store: FileStateStore) => StateStore;
}

function rig(options: RigOptions): Rig {
  const store = new FileStateStore({ dir });
  const queries: Rig['queries'] = [];
  const warnings: Rig['warnings'] = [];
  const published: Rig['published'] = [];
  const events = options.events ?? [];
  const perHour = options.unitsPerHour ?? 0.25;
  // XSIAM evaluates the query text over `_time` in the window, seeing only rows arrived by the query's start.
  const xql: XqlSource = {
    query: async (_c, text, window) => {
      queries.push({ xql: text, window });
      const rows = runXql(parseXql(text), events, { window, arrivedBy: now });
      const queryCost = ((window.to - window.from) / HOUR) * perHour;
      return { queryId: `q${queries.length}`, rows, rowProblems: [], numberOfResults: rows.length, queryCost, remainingQuota: null, httpCalls: 1, durationMs: 1 };
    },
  };
  const log: Log = { debug() {}, info() {}, error() {}, warn: (message, extra) => warnings.push({ message, ...(extra ? { extra } : {}) }) };
  const ctx: RunContext = {
    ports: {
      clock: { now: () => now }, log, xql,
      credentials: new StaticCredentials({ tenant: 'https://api-x.xdr.us.paloaltonetworks.com', apiKeyId: '1', apiKey: 'k', keyType: 'standard' }),
      detector: createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST }),
      state: options.state ? options.state(store) : store,
      notifier: {
        publish: async (findings) => {
          published.push([...findings]);
          const fingerprints = findings.map((f) => f.fingerprint);
          return options.deferAll
            ? { delivered: [], failed: [], messages: 0, digest: false, deferred: fingerprints }
            : { delivered: fingerprints, failed: [], messages: fingerprints.length, digest: false };
        },
      },
    },
    request: {
      hunt: WMIC_REMOTE_EXEC, runId: `run-${now}`, deadline: options.deadline ?? now + 10 * MIN,
      settings: { ...defaultRunSettings(), confirmTargets: false, ...options.settings },
    },
    flags: { window: null, advancesCheckpoint: true, publish: true },
  };
  return { ctx, store, queries, warnings, published };
}

/** Stores a mark as an earlier run left it (version 1, written at `sweptAt`). */
async function seed(store: FileStateStore, sweep: string, mark: SweepMarkUpdate): Promise<void> {
  await store.writeSweepMark(HUNT, sweep, mark, null, mark.sweptAt);
}

/** The full sweep's mark an hour ago: it read up to T − 1 h, 7 hours of `_time` for 0.5 units. */
const HOUR_AGO: SweepMarkUpdate = { arrivedUntil: T - HOUR, sweptAt: T - HOUR, unitsDay: TODAY, unitsSpent: 1, lastCost: 0.5, lastHours: 7 };

describe('a due sweep with `_time` to read', () => {
  it('re-reads from the horizon before its last mark to the windows\' checkpoint, moves its mark and counts the query', async () => {
    const r = rig({ settings: ONE_SWEEP });
    await seed(r.store, 'full', HOUR_AGO);
    const tally = await lateSweeps(r.ctx, T - HOUR);

    expect(r.queries.map((q) => q.window)).toEqual([{ from: T - 73 * HOUR, to: T - HOUR }]);
    expect(r.queries[0]!.xql).toContain(`to_epoch(_insert_time, "MILLIS") > ${T - HOUR} and to_epoch(_insert_time, "MILLIS") <= ${T - ARRIVAL_MARGIN_MS}`);
    // 72 hours at 0.25 units an hour: 18 units, added to the 1 unit it spent earlier today.
    expect(await r.store.readSweepMark(HUNT, 'full')).toEqual({
      arrivedUntil: T - ARRIVAL_MARGIN_MS, sweptAt: T, unitsDay: TODAY, unitsSpent: 19, lastCost: 18, lastHours: 72, version: 2, updatedAt: T,
    });
    expect(tally.counts).toMatchObject({ lateSweeps: 1, lateSweepQueryCost: 18, lateSweepDataHours: 72, lateSweepsOverBudget: 0, queryCost: 18 });
  });

  it('notifies a late pair with when it arrived and how late, reading arrivals after the mark up to a minute before now', async () => {
    const events = [
      lateLaunch(T - 30 * HOUR, T - 20 * MIN, 'LAPTOP-30H'),
      // Arrived exactly at the last mark: the last sweep read it.
      lateLaunch(T - 29 * HOUR, T - HOUR, 'LAPTOP-AT-MARK'),
      // Arrived at the new mark's edge: read now; one ms later: left to the next sweep.
      lateLaunch(T - 28 * HOUR, T - ARRIVAL_MARGIN_MS, 'LAPTOP-AT-EDGE'),
      lateLaunch(T - 27 * HOUR, T - ARRIVAL_MARGIN_MS + 1, 'LAPTOP-PAST-EDGE'),
    ];
    const r = rig({ settings: ONE_SWEEP, events });
    await seed(r.store, 'full', HOUR_AGO);
    const tally = await lateSweeps(r.ctx, T - HOUR);

    const sent = r.published.flat();
    expect(sent.map((f) => f.sourceHost).sort()).toEqual(['LAPTOP-30H', 'LAPTOP-AT-EDGE']);
    expect(sent.find((f) => f.sourceHost === 'LAPTOP-30H')).toMatchObject({ targetHost: 'fs09', arrivedAt: T - 20 * MIN, arrivedLateMs: 30 * HOUR - 20 * MIN });
    expect(tally.counts).toMatchObject({ lateSweeps: 1, notified: 2, latePairs: 2 });
  });
});

describe('a due sweep with no `_time` to read', () => {
  // The windows have covered only up to the horizon before the last mark (a checkpoint far behind).
  const FROM = T - 73 * HOUR;

  it('runs no query at the edge, yet moves its mark and keeps the last query\'s cost per hour for the budget', async () => {
    const r = rig({ settings: ONE_SWEEP });
    await seed(r.store, 'full', HOUR_AGO);
    const tally = await lateSweeps(r.ctx, FROM);

    expect(r.queries).toEqual([]);
    expect(await r.store.readSweepMark(HUNT, 'full')).toEqual({
      arrivedUntil: T - ARRIVAL_MARGIN_MS, sweptAt: T, unitsDay: TODAY, unitsSpent: 1, lastCost: 0.5, lastHours: 7, version: 2, updatedAt: T,
    });
    expect(tally.counts).toMatchObject({ lateSweeps: 0, lateSweepQueryCost: 0, lateSweepDataHours: 0, lateSweepsOverBudget: 0 });
  });

  it('reads one ms of `_time` one ms past the edge', async () => {
    const r = rig({ settings: ONE_SWEEP });
    await seed(r.store, 'full', HOUR_AGO);
    const tally = await lateSweeps(r.ctx, FROM + 1);
    expect(r.queries.map((q) => q.window)).toEqual([{ from: FROM, to: FROM + 1 }]);
    expect(tally.counts.lateSweeps).toBe(1);
    expect(await r.store.readSweepMark(HUNT, 'full')).toMatchObject({ lastHours: 1 / HOUR, version: 2 });
  });

  it('keeps a mark written before hours were kept as it was: its last cost, no hours', async () => {
    const r = rig({ settings: ONE_SWEEP });
    const older: SweepMarkUpdate = { arrivedUntil: T - HOUR, sweptAt: T - HOUR, unitsDay: TODAY, unitsSpent: 1, lastCost: 0.5 };
    await seed(r.store, 'full', older);
    await lateSweeps(r.ctx, FROM);
    const mark = await r.store.readSweepMark(HUNT, 'full');
    expect(mark).toMatchObject({ sweptAt: T, lastCost: 0.5, version: 2 });
    expect(mark).not.toHaveProperty('lastHours');
  });
});

describe('a store without sweep marks', () => {
  it('sweeps nothing and fails nothing', async () => {
    const r = rig({
      settings: ONE_SWEEP,
      state: (store) => Object.assign(Object.create(store) as StateStore, { readSweepMark: undefined, writeSweepMark: undefined }),
    });
    const tally = await lateSweeps(r.ctx, T - HOUR);
    expect(r.queries).toEqual([]);
    expect(tally.counts).toMatchObject({ lateSweeps: 0, queryCost: 0 });
  });
});

describe('the deadline', () => {
  const edge = T + 2 * COMMIT_RESERVE_MS;

  it('still sweeps with exactly two commit reserves left', async () => {
    const r = rig({ settings: ONE_SWEEP, deadline: edge });
    await seed(r.store, 'full', HOUR_AGO);
    expect((await lateSweeps(r.ctx, T - HOUR)).counts.lateSweeps).toBe(1);
    expect(r.warnings).toEqual([]);
  });

  it('leaves the sweep and its mark to the next run one ms later, and says so', async () => {
    const r = rig({ settings: ONE_SWEEP, deadline: edge - 1 });
    await seed(r.store, 'full', HOUR_AGO);
    const tally = await lateSweeps(r.ctx, T - HOUR);
    expect(r.queries).toEqual([]);
    expect(tally.counts.lateSweeps).toBe(0);
    expect(await r.store.readSweepMark(HUNT, 'full')).toMatchObject({ ...HOUR_AGO, version: 1 });
    expect(r.warnings).toEqual([{ message: expect.stringContaining('deadline near') as string, extra: { huntId: HUNT, sweep: 'full' } }]);
  });
});

describe('paced notifications that run into the deadline', () => {
  it('keep the sweep\'s mark so the next sweep reads them again, and hold back the next tier', async () => {
    const events = [lateLaunch(T - 3 * HOUR, T - 20 * MIN, 'LAPTOP-3H')];
    const r = rig({ settings: TWO_TIERS, events, deferAll: true });
    await seed(r.store, 'recent', HOUR_AGO);
    await seed(r.store, 'full', { ...HOUR_AGO, arrivedUntil: T - 24 * HOUR, sweptAt: T - 24 * HOUR, unitsDay: YESTERDAY });
    const tally = await lateSweeps(r.ctx, T - HOUR);

    expect(r.published.flat().map((f) => f.sourceHost)).toEqual(['LAPTOP-3H']);
    expect(tally.counts).toMatchObject({ deferred: 1, notified: 0 });
    // Only the recent sweep queried; neither mark moved.
    expect(r.queries.map((q) => q.window)).toEqual([{ from: T - 7 * HOUR, to: T - HOUR }]);
    expect(await r.store.readSweepMark(HUNT, 'recent')).toMatchObject({ version: 1, arrivedUntil: T - HOUR });
    expect(await r.store.readSweepMark(HUNT, 'full')).toMatchObject({ version: 1, arrivedUntil: T - 24 * HOUR });
  });
});

describe('the day\'s query units (dailyQueryUnits 100)', () => {
  // The recent sweep reads [T − 7 h, T − 1 h): 6 hours; its last query cost 10 units an hour: 60 units.
  const recentMark = (unitsDay: string, unitsSpent: number): SweepMarkUpdate => ({ ...HOUR_AGO, unitsDay, unitsSpent, lastCost: 70, lastHours: 7 });
  // The full sweep ran an hour ago (not due); what it spent today counts against the budget.
  const fullToday = (unitsSpent: number): SweepMarkUpdate => ({ ...HOUR_AGO, unitsSpent });

  it('reads the recent sweep\'s whole range while every sweep\'s units of today leave enough', async () => {
    const r = rig({ settings: { ...TWO_TIERS, dailyQueryUnits: 100 }, unitsPerHour: 10 });
    await seed(r.store, 'recent', recentMark(YESTERDAY, 50));
    await seed(r.store, 'full', fullToday(40));
    const tally = await lateSweeps(r.ctx, T - HOUR);
    expect(r.queries.map((q) => q.window)).toEqual([{ from: T - 7 * HOUR, to: T - HOUR }]);
    expect(tally.counts).toMatchObject({ lateSweeps: 1, lateSweepsOverBudget: 0, lateSweepQueryCost: 60 });
    expect(r.warnings).toEqual([]);
    // Yesterday's 50 units are not today's: the mark counts only this query.
    expect(await r.store.readSweepMark(HUNT, 'recent')).toMatchObject({ unitsDay: TODAY, unitsSpent: 60, lastCost: 60, lastHours: 6 });
  });

  it('narrows the recent sweep to the hours one unit less pays for, and warns how many', async () => {
    const r = rig({ settings: { ...TWO_TIERS, dailyQueryUnits: 100 }, unitsPerHour: 10 });
    await seed(r.store, 'recent', recentMark(YESTERDAY, 50));
    await seed(r.store, 'full', fullToday(41));
    const tally = await lateSweeps(r.ctx, T - HOUR);
    // 59 units left: 5.9 hours (354 minutes) at 10 units an hour.
    expect(r.queries.map((q) => q.window)).toEqual([{ from: T - HOUR - 354 * MIN, to: T - HOUR }]);
    expect(tally.counts).toMatchObject({ lateSweeps: 1, lateSweepsOverBudget: 1, lateSweepDataHours: 5.9 });
    expect(r.warnings).toEqual([{
      message: expect.stringContaining('late sweep narrowed') as string,
      extra: { huntId: HUNT, sweep: 'recent', hours: 5.9, budget: 100 },
    }]);
    expect(await r.store.readSweepMark(HUNT, 'recent')).toMatchObject({ arrivedUntil: T - ARRIVAL_MARGIN_MS, lastHours: 5.9, version: 2 });
  });

  it('puts the full sweep off when what the recent sweep just spent leaves too little, its mark kept, and warns', async () => {
    // Full: last read 72 hours for 30 units; now due over 95 hours: 39.58 units. Recent: 6 hours at 4 units an hour.
    const full: SweepMarkUpdate = { arrivedUntil: T - 24 * HOUR, sweptAt: T - 24 * HOUR, unitsDay: YESTERDAY, unitsSpent: 30, lastCost: 30, lastHours: 72 };
    const run = async (spentToday: number): Promise<{ r: Rig; counts: Record<string, number> }> => {
      await rm(dir, { recursive: true, force: true });
      dir = await mkdtemp(join(tmpdir(), 'sweep-surv-'));
      const r = rig({ settings: { ...TWO_TIERS, dailyQueryUnits: 100 }, unitsPerHour: 4 });
      await seed(r.store, 'recent', { ...HOUR_AGO, unitsSpent: spentToday, lastCost: 24, lastHours: 6 });
      await seed(r.store, 'full', full);
      return { r, counts: (await lateSweeps(r.ctx, T - HOUR)).counts };
    };
    // 36 + 24 spent: 40 left pay for 39.58.
    const fits = await run(36);
    expect(fits.r.queries.map((q) => q.window)).toEqual([{ from: T - 7 * HOUR, to: T - HOUR }, { from: T - 96 * HOUR, to: T - HOUR }]);
    expect(fits.counts).toMatchObject({ lateSweeps: 2, lateSweepsOverBudget: 0 });
    // 37 + 24 spent: 39 left do not.
    const { r: short, counts } = await run(37);
    expect(short.queries.map((q) => q.window)).toEqual([{ from: T - 7 * HOUR, to: T - HOUR }]);
    expect(counts).toMatchObject({ lateSweeps: 1, lateSweepsOverBudget: 1 });
    expect(await short.store.readSweepMark(HUNT, 'full')).toMatchObject({ ...full, version: 1 });
    expect(short.warnings).toEqual([{
      message: expect.stringContaining('late sweep put off') as string,
      extra: { huntId: HUNT, sweep: 'full', spentToday: 61, reserved: 0, budget: 100 },
    }]);
  });
});
