/**
 * What a run hunts, said once: the time after the checkpoint (scheduled) or a given window
 * (backfill, local run). The mode is turned into flags here, once; the steps read only the flags.
 */
import type { TimeWindow } from '../pipeline-types.js';
import { RunError } from './errors.js';

export type RunMode =
  /** The time after the checkpoint; each committed chunk advances it. */
  | { readonly kind: 'scheduled' }
  /** Exactly this window; dedupes and notifies as usual, leaves the checkpoint alone. */
  | { readonly kind: 'window'; readonly window: TimeWindow };

export interface RunFlags {
  /** The time to split into chunks; null: plan from the checkpoint. */
  readonly window: TimeWindow | null;
  /** Read the checkpoint to plan, and commit each chunk's end as the new one. */
  readonly advancesCheckpoint: boolean;
}

/** The request's mode: `mode` as given, else `window` as a window run, else scheduled. */
export function modeOf(request: { readonly mode?: RunMode; readonly window?: TimeWindow }): RunMode {
  if (request.mode !== undefined && request.window !== undefined) {
    throw new RunError('a run request gives either mode or window, not both');
  }
  if (request.mode !== undefined) return request.mode;
  return request.window === undefined ? { kind: 'scheduled' } : { kind: 'window', window: request.window };
}

export function flagsOf(mode: RunMode): RunFlags {
  switch (mode.kind) {
    case 'scheduled': return { window: null, advancesCheckpoint: true };
    case 'window': return { window: mode.window, advancesCheckpoint: false };
  }
}
