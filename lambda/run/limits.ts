/** The run's fixed budgets, with why they are what they are. */

/**
 * Time kept in hand after a chunk's query for recording, publishing, marking and committing: a
 * handful of DynamoDB and SNS round trips, each well under a second, plus the SDKs' retry back-offs.
 * The query must give up this long before the deadline, and a new chunk is started only with twice
 * this left (one reserve for its query to get anywhere, one for its commit). Cutting a catch-up
 * short costs nothing: the next run continues from the checkpoint.
 */
export const COMMIT_RESERVE_MS = 20_000;

/**
 * Problems (malformed rows, rows the detector skipped) logged one line each per chunk; the rest
 * are only counted (`rowProblems`). One bad reply must not flood the log with thousands of lines.
 */
export const LOGGED_PROBLEMS_LIMIT = 20;

/**
 * Time kept after the last paced publish may start, for marking its pairs NOTIFIED and writing
 * the checkpoint (two DynamoDB round trips with their retries).
 */
export const MARK_RESERVE_MS = 5_000;

/**
 * Longest a chunk's target-side confirmation may take (endpoints API + one XQL query). It must
 * never hold back the notifications it annotates: past this (or past the query's own deadline,
 * COMMIT_RESERVE_MS before the run's) the pairs go out `unavailable`. A minute is several times
 * what a small XQL query over a few minutes of one dataset takes.
 */
export const CONFIRM_BUDGET_MS = 60_000;
