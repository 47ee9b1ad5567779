/**
 * The late sweep: after the windows, hunt the rows that reached XSIAM late (sweep-plan.ts). A sweep
 * is an ordinary chunk with its own query: its pairs are deduped, confirmed, grouped and notified
 * like any other. Its mark advances only after that chunk's findings are recorded and their
 * notifications accepted; a sweep that fails leaves its mark, so the next one covers the same arrivals.
 */
import { runChunk } from './chunk.js';
import type { RunContext } from './context.js';
import { inStage } from './errors.js';
import { COMMIT_RESERVE_MS } from './limits.js';
import { decideSweep, sweepSpecs, sweepXql, utcDay, type SweepSpec } from './sweep-plan.js';
import { addTally, tallyOf, type Tally } from './summary.js';

const HOUR = 3_600_000;

/** Runs every due sweep of the hunt; `coveredUntil` is the windows' checkpoint after this run. */
export async function lateSweeps(ctx: RunContext, coveredUntil: number): Promise<Tally> {
  const { ports, request } = ctx;
  const { state } = ports;
  let tally = tallyOf({});
  if (state.readSweepMark === undefined || state.writeSweepMark === undefined) return tally;
  for (const spec of sweepSpecs(request.settings)) {
    if (ports.clock.now() > request.deadline - 2 * COMMIT_RESERVE_MS) {
      ports.log.warn('deadline near: the late sweep waits for the next run; its mark is kept', { huntId: request.hunt.id, sweep: spec.name });
      break;
    }
    const swept = await oneSweep(ctx, spec, coveredUntil);
    tally = addTally(tally, swept);
    if (swept.counts.deferred > 0) break;
  }
  return tally;
}

async function oneSweep(ctx: RunContext, spec: SweepSpec, coveredUntil: number): Promise<Tally> {
  const { ports, request } = ctx;
  const huntId = request.hunt.id;
  const read = ports.state.readSweepMark?.bind(ports.state);
  const write = ports.state.writeSweepMark?.bind(ports.state);
  if (read === undefined || write === undefined) return tallyOf({});
  const now = ports.clock.now();
  const mark = await inStage('sweep', null, () => read(huntId, spec.name));
  const budget = request.settings.dailyQueryUnits ?? 0;
  const decision = decideSweep(spec, mark, now, coveredUntil, budget);
  switch (decision.kind) {
    case 'not-due':
      return tallyOf({});
    case 'start':
      await inStage('sweep', null, () => write(huntId, spec.name, { arrivedUntil: now, sweptAt: now, unitsDay: utcDay(now), unitsSpent: 0, lastCost: 0 }, null, now));
      return tallyOf({});
    case 'over-budget':
      ports.log.warn('late sweep skipped: the day\'s query-unit budget would be exceeded', { huntId, sweep: spec.name, spent: decision.spent, budget });
      return tallyOf({ lateSweepsOverBudget: 1 });
    case 'sweep': {
      const { window, arrived } = decision;
      let hunted = tallyOf({});
      if (window !== null) {
        const xql = sweepXql(request.hunt.queries[request.settings.queryVariant], arrived);
        hunted = await runChunk(ctx, window, xql);
        // Paced notifications ran into the deadline: the mark stays, the next sweep reads them again.
        if (hunted.counts.deferred > 0) return hunted;
      }
      const cost = hunted.counts.queryCost;
      const day = utcDay(now);
      const spent = decision.spent + cost;
      await inStage('sweep', window, () => write(huntId, spec.name, { arrivedUntil: arrived.to, sweptAt: now, unitsDay: day, unitsSpent: spent, lastCost: cost }, mark?.version ?? null, ports.clock.now()));
      const dataHours = window === null ? 0 : (window.to - window.from) / HOUR;
      return addTally(hunted, tallyOf({ lateSweeps: window === null ? 0 : 1, lateSweepQueryCost: cost, lateSweepDataHours: dataHours }));
    }
  }
}
