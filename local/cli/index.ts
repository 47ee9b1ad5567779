export { runXqlCommand, XQL_USAGE } from './xql.js';
export { RUN_USAGE, UsageError } from './run-options.js';
export { runLocalHunt } from './run.js';
export { runExplain } from './explain.js';
export { BACKFILL_USAGE, runBackfillCommand } from './backfill.js';
