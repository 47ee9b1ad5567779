/**
 * One run of a hunt over ports. Read in this order:
 * hunt.ts (lease → plan → chunks → commit), chunk.ts (one chunk's stages), stages/ (one file per
 * stage), summary.ts (the counters), mode.ts (scheduled or window), errors.ts.
 */
export { runHunt } from './hunt.js';
export type { RunPorts, RunRequest } from './context.js';
export type { RunFlags, RunMode } from './mode.js';
export { COUNTERS, type Counter, type Counts, type RunStatus, type RunSummary } from './summary.js';
export { PublishFailedError, RunError, STAGES, StageError, type StageName } from './errors.js';
export { pairExplains } from './stages/join.js';
