/**
 * The run's own errors. An adapter's error that escapes a step is wrapped once in a StageError
 * naming the step and the window, with the adapter's error as `cause`.
 */
import type { TimeWindow } from '../pipeline-types.js';

export class RunError extends Error {
  override readonly name: string = 'RunError';
}

/** SNS (or the sink) refused some notifications: they stay PENDING and the checkpoint stays put. */
export class PublishFailedError extends RunError {
  override readonly name = 'PublishFailedError';
  constructor(readonly failures: readonly { fingerprint: string; code: string; message: string }[]) {
    const codes = [...new Set(failures.map((f) => f.code))].join(', ');
    super(`${failures.length} notification(s) were not accepted (${codes}); they stay PENDING and the next run retries them`);
  }
}

/** The steps of a run, in order: the outer loop's and one chunk's. */
export const STAGES = [
  'lease', 'plan', 'query', 'detect', 'history', 'dedupe', 'select', 'confirm', 'incidents', 'publish', 'mark', 'follow-up',
  'record-history', 'commit', 'sweep', 'join',
] as const;
export type StageName = (typeof STAGES)[number];

/** A step failed; `cause` is what its port threw. Its message repeats the cause's (secret-free) message. */
export class StageError extends RunError {
  override readonly name = 'StageError';
  constructor(
    readonly stage: StageName,
    /** The chunk being hunted; null for the steps before one is planned (lease, plan). */
    readonly window: TimeWindow | null,
    cause: unknown,
  ) {
    const what = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`${stage} failed${window ? ` for ${iso(window.from)} – ${iso(window.to)}` : ''}: ${what}`, { cause });
  }
}

/** Runs one step; what its ports throw comes out as a StageError (the run's own errors pass as they are). */
export async function inStage<T>(stage: StageName, window: TimeWindow | null, step: () => Promise<T> | T): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw err instanceof RunError ? err : new StageError(stage, window, err);
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
