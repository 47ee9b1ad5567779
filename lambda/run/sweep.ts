/**
 * The late sweep: after the windows, hunt the rows that reached XSIAM late (sweep-plan.ts). A sweep
 * is an ordinary chunk with its own query: its pairs are deduped, confirmed, grouped and notified
 * like any other. Its mark advances only after that chunk's findings are recorded and their
 * notifications accepted; a sweep that fails leaves its mark, so the next one covers the same arrivals.
 * A hunt has up to two sweeps (the frequent `recent` one and the `full` one), each with its own
 * mark; the day's units are shared between them (sweep-budget.ts).
 */
import { runChunk } from './chunk.js';
import type { RunContext } from './context.js';
import { inStage } from './errors.js';
import { COMMIT_RESERVE_MS } from './limits.js';
import type { SweepMark } from '../ports.js';
import { decideSweep, reserveFor, sweepSpecs, sweepXql, utcDay, type SweepSpec, type SweepUnits } from './sweep-plan.js';
import { addTally, tallyOf, type Tally } from './summary.js';

const HOUR = 3_600_000;

/** Runs every due sweep of the hunt; `coveredUntil` is the windows' checkpoint after this run. */
export async function lateSweeps(ctx: RunContext, coveredUntil: number): Promise<Tally> {
  const { ports, request } = ctx;
  const { state } = ports;
  let tally = tallyOf({});
  const read = state.readSweepMark?.bind(state);
  if (read === undefined || state.writeSweepMark === undefined) return tally;
  const specs = sweepSpecs(request.settings);
  const marks = new Map<string, SweepMark | null>();
  for (const spec of specs) marks.set(spec.name, await inStage('sweep', null, () => read(request.hunt.id, spec.name)));
  const today = utcDay(ports.clock.now());
  let spentToday = [...marks.values()].reduce((sum, m) => sum + (m !== null && m.unitsDay === today ? m.unitsSpent : 0), 0);
  for (const spec of specs) {
    if (ports.clock.now() > request.deadline - 2 * COMMIT_RESERVE_MS) {
      ports.log.warn('deadline near: the late sweep waits for the next run; its mark is kept', { huntId: request.hunt.id, sweep: spec.name });
      break;
    }
    const units = { dailyUnits: request.settings.dailyQueryUnits ?? 0, spentToday, reserve: reserveFor(spec, specs, marks, today) };
    const swept = await oneSweep(ctx, spec, marks.get(spec.name) ?? null, coveredUntil, units);
    tally = addTally(tally, swept);
    spentToday += swept.counts.lateSweepQueryCost;
    if (swept.counts.deferred > 0) break;
  }
  return tally;
}

async function oneSweep(ctx: RunContext, spec: SweepSpec, mark: SweepMark | null, coveredUntil: number, units: SweepUnits): Promise<Tally> {
  const { ports, request } = ctx;
  const huntId = request.hunt.id;
  const write = ports.state.writeSweepMark?.bind(ports.state);
  if (write === undefined) return tallyOf({});
  const now = ports.clock.now();
  const decision = decideSweep(spec, mark, now, coveredUntil, units);
  switch (decision.kind) {
    case 'not-due':
      return tallyOf({});
    case 'start':
      await inStage('sweep', null, () => write(huntId, spec.name, { arrivedUntil: now, sweptAt: now, unitsDay: utcDay(now), unitsSpent: 0, lastCost: 0 }, null, now));
      return tallyOf({});
    case 'over-budget':
      ports.log.warn('late sweep put off: the day\'s query-unit budget cannot pay for it; its mark is kept', { huntId, sweep: spec.name, spentToday: units.spentToday, reserved: units.reserve, budget: units.dailyUnits });
      return tallyOf({ lateSweepsOverBudget: 1 });
    case 'sweep': {
      const { window, arrived, narrowed } = decision;
      if (narrowed && window !== null) {
        ports.log.warn('late sweep narrowed: the day\'s query-unit budget pays for fewer hours; later arrivals are left to the full sweep', { huntId, sweep: spec.name, hours: (window.to - window.from) / HOUR, budget: units.dailyUnits });
      }
      let hunted = tallyOf({});
      if (window !== null) {
        const xql = sweepXql(request.hunt.queries[request.settings.queryVariant], arrived);
        hunted = await runChunk(ctx, window, xql);
        // Paced notifications ran into the deadline: the mark stays, the next sweep reads them again.
        if (hunted.counts.deferred > 0) return hunted;
      }
      const cost = hunted.counts.queryCost;
      const dataHours = window === null ? 0 : (window.to - window.from) / HOUR;
      // No query, no new estimate: the last one's cost per hour is kept for the budget.
      // Stryker disable next-line ConditionalExpression: `false` for `mark.lastHours === undefined` is equivalent (the line's other conditions are killed by test/run/sweep-survivors.test.ts): it spreads `lastHours: undefined`, which every store leaves out of the mark it writes (lambda/state/sweep.ts), so the next run reads the same mark
      const last = window === null && mark !== null ? { lastCost: mark.lastCost, ...(mark.lastHours === undefined ? {} : { lastHours: mark.lastHours }) } : { lastCost: cost, lastHours: dataHours };
      const next = { arrivedUntil: arrived.to, sweptAt: now, unitsDay: utcDay(now), unitsSpent: decision.spent + cost, ...last };
      await inStage('sweep', window, () => write(huntId, spec.name, next, mark?.version ?? null, ports.clock.now()));
      return addTally(hunted, tallyOf({ lateSweeps: window === null ? 0 : 1, lateSweepQueryCost: cost, lateSweepDataHours: dataHours, lateSweepsOverBudget: narrowed ? 1 : 0 }));
    }
  }
}
