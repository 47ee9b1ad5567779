/**
 * What a run is given: the ports it runs over and the request (hunt, settings, deadline, mode),
 * and the context every stage reads, with the mode already turned into flags.
 */
import type { TargetEvidenceSource } from '../confirm/index.js';
import type { HuntDefinition } from '../hunts/index.js';
import type { TimeWindow } from '../pipeline-types.js';
import type { Clock, CredentialsProvider, Detector, Log, Notifier, PairJoin, RunSettings, StateStore, XqlSource } from '../ports.js';
import type { RunFlags, RunMode } from './mode.js';

export interface RunPorts {
  readonly clock: Clock;
  readonly log: Log;
  readonly credentials: CredentialsProvider;
  readonly xql: XqlSource;
  readonly detector: Detector;
  readonly state: StateStore;
  readonly notifier: Notifier;
  /** Target-side confirmation; without it the confirm stage is skipped. */
  readonly targetEvidence?: TargetEvidenceSource;
  /** Stored pairs of another hunt that explain this hunt's findings (stages/join.ts); without it nothing is joined. */
  readonly pairJoin?: PairJoin;
}

export interface RunRequest {
  readonly hunt: HuntDefinition;
  readonly settings: RunSettings;
  readonly runId: string;
  /** Epoch ms by which the run must have committed (the Lambda deadline minus a margin). */
  readonly deadline: number;
  /** What to hunt. @default the `window` given, else `{ kind: 'scheduled' }` */
  readonly mode?: RunMode;
  /**
   * Shorthand for `mode: { kind: 'window', window }`: hunt exactly this window (a backfill or a
   * local run) instead of the one after the checkpoint; the checkpoint is left alone.
   */
  readonly window?: TimeWindow;
  /** Shadow mode: a full run that publishes nothing and counts `wouldNotify` instead. @default false */
  readonly shadow?: boolean;
  /**
   * Lease only this run's window instead of the hunt: a Step Functions backfill runs up to three
   * chunks side by side (and beside the schedule). Local runs and scheduled runs share the hunt's
   * lease, so a second local run on the same state is told who holds it.
   * @default false
   */
  readonly windowLease?: boolean;
}

/** What every step of a run reads. */
export interface RunContext {
  readonly ports: RunPorts;
  readonly request: RunRequest;
  readonly flags: RunFlags;
}
