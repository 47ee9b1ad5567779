export { runXqlCommand, XQL_USAGE } from './xql.js';
export { RUN_USAGE, UsageError } from './run-options.js';
export { runLocalHunt } from './run.js';
export { runExplain, EXPLAIN_USAGE } from './explain.js';
export { main, type MainIo } from './main.js';
export { BACKFILL_USAGE, runBackfillCommand } from './backfill.js';
