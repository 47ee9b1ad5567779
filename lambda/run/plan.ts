/**
 * The outer loop's plan and commit: which chunks this run hunts, and moving the checkpoint past
 * a chunk once every finding of it is recorded and its notifications accepted.
 */
import type { TimeWindow } from '../pipeline-types.js';
import type { Checkpoint } from '../ports.js';
import { explicitPlan, planWindows, type WindowPlan } from '../windows.js';
import type { RunContext } from './context.js';
import { iso } from './errors.js';

export interface RunPlan extends WindowPlan {
  /** The checkpoint read to plan; null for a window run, or before the first commit. */
  readonly checkpoint: Checkpoint | null;
}

export async function plan({ ports, request, flags }: RunContext, now: number): Promise<RunPlan> {
  if (flags.window !== null) return { ...explicitPlan(flags.window, request.settings.maxWindowMs), checkpoint: null };
  const checkpoint = await ports.state.readCheckpoint(request.hunt.id);
  const planned = planWindows(checkpoint, now, request.settings);
  if (planned.skipped) {
    // Stryker disable next-line StringLiteral: log wording (its fields, the skipped span, are tested)
    ports.log.warn('uncovered time is older than the maximum lookback and was skipped', {
      huntId: request.hunt.id, skippedFrom: iso(planned.skipped.from), skippedTo: iso(planned.skipped.to), skippedMs: planned.skippedMs,
    });
  }
  return { ...planned, checkpoint };
}

/** The checkpoint after `chunk`: advanced in a scheduled run, untouched in a window run. */
export async function commit({ ports, request, flags }: RunContext, chunk: TimeWindow, checkpoint: Checkpoint | null): Promise<Checkpoint | null> {
  if (!flags.advancesCheckpoint) return checkpoint;
  return ports.state.writeCheckpoint(
    request.hunt.id, { coveredUntil: chunk.to, lastRunStatus: 'ok' }, checkpoint?.version ?? null, ports.clock.now());
}
