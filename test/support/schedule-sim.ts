/**
 * Scheduled runs over simulated time, driving the real pure planning code: `planWindows` for the
 * windows and `sweepSpecs` / `decideSweep` / `reserveFor` for the late sweeps, with the marks kept
 * as lambda/run/sweep.ts keeps them. Nothing is queried: each run records the queries it would
 * start, so a test can ask which query first reads a row (its `_time` and its arrival), and the
 * bench can replay the queries on the local XSIAM to measure their units.
 */
import type { Checkpoint, RunSettings, SweepMark } from '../../lambda/ports.js';
import type { TimeWindow } from '../../lambda/pipeline-types.js';
import { decideSweep, reserveFor, sweepSpecs, utcDay } from '../../lambda/run/sweep-plan.js';
import { planWindows } from '../../lambda/windows.js';

const HOUR = 3_600_000;

/** One event: when it happened (`_time`) and when it reached XSIAM (`_insert_time`). */
export interface SimRow {
  readonly t: number;
  readonly a: number;
}

export interface SimQuery {
  /** The run's start (the query's start, as the local XSIAM sees it). */
  readonly runAt: number;
  /** `window`, or the sweep's name. */
  readonly kind: string;
  readonly window: TimeWindow;
  /** A sweep's arrival range (from, to]; null for a window (rows arrived by `runAt`). */
  readonly arrived: TimeWindow | null;
  readonly narrowed: boolean;
}

export interface SimResult {
  readonly queries: readonly SimQuery[];
  /** Sweeps put off or narrowed by the budget (the `lateSweepsOverBudget` count). */
  readonly overBudget: number;
}

export type SimSettings = Pick<RunSettings, 'initialLookbackMs' | 'overlapMs' | 'ingestLagMs' | 'maxLookbackMs' | 'maxWindowMs'
  | 'lateArrivalMs' | 'lateSweepEveryMs' | 'lateSweepRecentMs' | 'lateSweepFullEveryMs' | 'dailyQueryUnits'>;

export interface SimOptions {
  readonly settings: SimSettings;
  /** The checkpoint (and every sweep mark) before the first run. */
  readonly start: number;
  /** No run at or after this. */
  readonly end: number;
  readonly periodMs: number;
  /** Units a query costs. @default one unit per hour of `_time` read */
  readonly cost?: (q: SimQuery) => number;
  /** How late run `i` starts after its scheduled time. @default 0 */
  readonly delayMs?: (i: number) => number;
}

export function simulateSchedule(o: SimOptions): SimResult {
  const cost = o.cost ?? ((q: SimQuery) => (q.window.to - q.window.from) / HOUR);
  const specs = sweepSpecs(o.settings);
  const marks = new Map<string, SweepMark | null>(specs.map((s) => [s.name, startMark(o.start)]));
  let checkpoint: Checkpoint = { coveredUntil: o.start, version: 1, lastRunStatus: 'ok', updatedAt: o.start };
  const queries: SimQuery[] = [];
  let overBudget = 0;
  for (let i = 1; o.start + i * o.periodMs < o.end; i++) {
    const now = o.start + i * o.periodMs + (o.delayMs?.(i) ?? 0);
    const plan = planWindows(checkpoint, now, o.settings);
    for (const w of plan.chunks) queries.push({ runAt: now, kind: 'window', window: w, arrived: null, narrowed: false });
    const last = plan.chunks.at(-1);
    if (last) checkpoint = { ...checkpoint, coveredUntil: last.to };
    const today = utcDay(now);
    let spentToday = [...marks.values()].reduce((sum, m) => sum + (m !== null && m.unitsDay === today ? m.unitsSpent : 0), 0);
    for (const spec of specs) {
      const mark = marks.get(spec.name) ?? null;
      const units = { dailyUnits: o.settings.dailyQueryUnits ?? 0, spentToday, reserve: reserveFor(spec, specs, marks, today) };
      const d = decideSweep(spec, mark, now, checkpoint.coveredUntil, units);
      if (d.kind === 'over-budget') overBudget++;
      if (d.kind !== 'sweep') continue;
      let spent = 0;
      let hours = mark?.lastHours;
      if (d.window !== null) {
        const q: SimQuery = { runAt: now, kind: spec.name, window: d.window, arrived: d.arrived, narrowed: d.narrowed };
        queries.push(q);
        spent = cost(q);
        hours = (d.window.to - d.window.from) / HOUR;
        if (d.narrowed) overBudget++;
      }
      spentToday += spent;
      marks.set(spec.name, {
        arrivedUntil: d.arrived.to, sweptAt: now, unitsDay: today, unitsSpent: d.spent + spent,
        lastCost: d.window === null ? mark?.lastCost ?? 0 : spent, ...(hours === undefined ? {} : { lastHours: hours }), version: (mark?.version ?? 0) + 1, updatedAt: now,
      });
    }
  }
  return { queries, overBudget };
}

/** A mark as the sweep's first run leaves it (arrivals before it are not promised). */
function startMark(at: number): SweepMark {
  return { arrivedUntil: at, sweptAt: at, unitsDay: utcDay(at), unitsSpent: 0, lastCost: 0, version: 1, updatedAt: at };
}

/** Whether query `q` reads row `r`. */
export function reads(q: SimQuery, r: SimRow): boolean {
  if (r.t < q.window.from || r.t >= q.window.to) return false;
  return q.arrived === null ? r.a <= q.runAt : r.a > q.arrived.from && r.a <= q.arrived.to;
}

/** The first query that reads row `r` (queries are in run order), or null. */
export function firstRead(queries: readonly SimQuery[], r: SimRow): SimQuery | null {
  return queries.find((q) => reads(q, r)) ?? null;
}
