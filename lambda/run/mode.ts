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
  /**
   * Send notifications. False in shadow mode: the run does everything else, counts what it would
   * have sent (`wouldNotify`) and logs it for the daily shadow report; the pairs stay PENDING, so
   * a later live run still sends them (shadow never silences live).
   */
  readonly publish: boolean;
}

/** The request's mode: `mode` as given, else `window` as a window run, else scheduled. */
export function modeOf(request: { readonly mode?: RunMode; readonly window?: TimeWindow }): RunMode {
  if (request.mode !== undefined && request.window !== undefined) {
    throw new RunError('a run request gives either mode or window, not both');
  }
  if (request.mode !== undefined) return request.mode;
  return request.window === undefined ? { kind: 'scheduled' } : { kind: 'window', window: request.window };
}

export function flagsOf(mode: RunMode, shadow = false): RunFlags {
  switch (mode.kind) {
    case 'scheduled': return { window: null, advancesCheckpoint: true, publish: !shadow };
    case 'window': return { window: mode.window, advancesCheckpoint: false, publish: !shadow };
  }
}

/**
 * The lease a run takes. Scheduled and local runs share the hunt's lease (they move one checkpoint,
 * or share one state folder); a backfill chunk asked for `windowLease` leases just its window, so a backfill's chunks run side by side (and beside the
 * schedule) while the same chunk never runs twice at once. Dedupe claims are conditional writes,
 * so parallel runs still claim each pair once.
 */
export function leaseNameOf(huntId: string, flags: RunFlags, windowLease = false): string {
  return flags.window === null || !windowLease ? huntId : `${huntId}@${flags.window.from}-${flags.window.to}`;
}
