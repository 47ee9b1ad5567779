/**
 * One run of a hunt, as pure orchestration over ports: lease → plan → chunks → commit.
 *
 * Nothing here touches AWS, HTTP, the environment or a Lambda event. The checkpoint advances
 * only after every finding of a chunk is recorded and its notification accepted, so a failure
 * anywhere leaves the chunk to be covered again by the next run.
 */
import type { TimeWindow } from '../pipeline-types.js';
import { runChunk } from './chunk.js';
import type { RunContext, RunPorts, RunRequest } from './context.js';
import { inStage, StageError } from './errors.js';
import { isQuerySlotUnavailable } from '../ports.js';
import { COMMIT_RESERVE_MS } from './limits.js';
import { flagsOf, leaseNameOf, modeOf } from './mode.js';
import { commit, plan } from './plan.js';
import { lateSweeps } from './sweep.js';
import { addTally, summarise, tallyOf, type RunStatus, type RunSummary, type Tally } from './summary.js';

export async function runHunt(ports: RunPorts, request: RunRequest): Promise<RunSummary> {
  const ctx: RunContext = { ports, request, flags: flagsOf(modeOf(request), request.shadow === true) };
  const lease = leaseNameOf(request.hunt.id, ctx.flags, request.windowLease === true);
  const { hunt, settings, runId } = request;
  const started = ports.clock.now();
  const finish = (status: RunStatus, tally: Tally, window: TimeWindow | null, windowLagMs: number | null): RunSummary =>
    summarise({ runId, huntId: hunt.id, status, window, windowLagMs, durationMs: ports.clock.now() - started }, tally);

  if (!(await inStage('lease', null, () => ports.state.acquireLease(lease, runId, started, settings.leaseTtlMs)))) {
    // Stryker disable next-line StringLiteral,ObjectLiteral: log wording and fields (the README documents neither); that it warns, and how often, is tested
    ports.log.warn('another run holds the lease; skipping this run', { huntId: hunt.id, runId });
    return finish('lease-held', tallyOf({}), null, null);
  }
  try {
    const planned = await inStage('plan', null, () => plan(ctx, started));
    let checkpoint = planned.checkpoint;
    let tally = tallyOf({ skippedMs: planned.skippedMs });
    let covered = null as TimeWindow | null;
    let status: RunStatus = planned.chunks.length === 0 ? 'up-to-date' : 'completed';

    for (const chunk of planned.chunks) {
      if (covered && ports.clock.now() > request.deadline - 2 * COMMIT_RESERVE_MS) {
        status = 'partial';
        // Stryker disable next-line StringLiteral,ObjectLiteral: log wording and fields (the README documents neither); that it warns, and how often, is tested
        ports.log.warn('deadline near: stopping catch-up; the next run continues from the checkpoint', { huntId: hunt.id });
        break;
      }
      const hunted = await noSlotAsNull(ctx, () => runChunk(ctx, chunk));
      if (hunted === null) {
        tally = addTally(tally, tallyOf({ querySlotUnavailable: 1 }));
        status = 'partial';
        break;
      }
      if (hunted.counts.deferred > 0) {
        // Paced notifications ran into the deadline: the rest stay PENDING and the checkpoint
        // stays before this chunk, so the next run sees them again and publishes them.
        tally = addTally(tally, hunted);
        status = 'partial';
        // Stryker disable next-line StringLiteral,ObjectLiteral: log wording and fields (the README documents neither); that it warns, and how often, is tested
        ports.log.warn('deadline near: notifications deferred to the next run; checkpoint kept', { huntId: hunt.id, deferred: hunted.counts.deferred });
        break;
      }
      if (hunted.counts.inFlight > 0) {
        // Pairs another live run claimed are its to notify; should it die, only a re-read recovers
        // them, so this chunk is not committed: the next run (or this chunk's retry) reads it again.
        tally = addTally(tally, hunted);
        status = 'partial';
        // Stryker disable next-line StringLiteral,ObjectLiteral: log wording and fields (the README documents neither); that it warns, and how often, is tested
        ports.log.warn('pairs claimed by a concurrent run: chunk left uncommitted for a later run to re-check', { huntId: hunt.id, inFlight: hunted.counts.inFlight });
        break;
      }
      checkpoint = await inStage('commit', chunk, () => commit(ctx, chunk, checkpoint));
      covered = { from: covered?.from ?? chunk.from, to: chunk.to };
      tally = addTally(tally, hunted, tallyOf({ chunks: 1 }));
    }
    // The late sweep reads what the windows have passed, by arrival; only after a full catch-up.
    if (ctx.flags.advancesCheckpoint && status !== 'partial' && checkpoint !== null) {
      const at = checkpoint.coveredUntil;
      const swept = await noSlotAsNull(ctx, () => lateSweeps(ctx, at)) ?? tallyOf({ querySlotUnavailable: 1 });
      tally = addTally(tally, swept);
      if (swept.counts.deferred > 0 || swept.counts.querySlotUnavailable > 0) status = 'partial';
    }
    return finish(status, tally, covered, checkpoint ? ports.clock.now() - checkpoint.coveredUntil : null);
  } finally {
    await ports.state.releaseLease(lease, runId).catch((err: unknown) => {
      // The lease expires on its own; a failed release must not hide the run's real outcome.
      // Stryker disable next-line StringLiteral,ObjectLiteral: log wording and fields (the README documents neither); that it warns, and how often, is tested
      ports.log.warn('could not release the run lease', { huntId: hunt.id, error: err instanceof Error ? err.name : 'UnknownError' });
    });
  }
}

/**
 * Runs a chunk (or the sweeps, whose first step is their query); null when its query found no
 * XSIAM query slot before the deadline. Nothing was written yet, so the run ends cleanly there:
 * the checkpoint (or sweep mark) stays and the next run hunts the same time.
 */
async function noSlotAsNull(ctx: RunContext, run: () => Promise<Tally>): Promise<Tally | null> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof StageError && err.stage === 'query' && isQuerySlotUnavailable(err.cause))) throw err;
    // Stryker disable next-line StringLiteral,ObjectLiteral: log wording and fields (the README documents neither); that it warns, and how often, is tested
    ctx.ports.log.warn('no XSIAM query slot freed up before the deadline: the checkpoint stays and the next run hunts this time', { huntId: ctx.request.hunt.id });
    return null;
  }
}
