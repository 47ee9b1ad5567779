/**
 * Stage 1, query: the hunt's XQL over one chunk. On refused credentials the secret is re-read
 * once (it may have been rotated) and the query tried again.
 */
import type { QueryResult, TimeWindow } from '../../pipeline-types.js';
import { isCredentialsRefused } from '../../ports.js';
import type { RunContext } from '../context.js';
import { COMMIT_RESERVE_MS, LOGGED_PROBLEMS_LIMIT } from '../limits.js';
import type { Counts } from '../summary.js';

export interface Queried {
  readonly result: QueryResult;
  readonly counts: Partial<Counts>;
}

export async function query({ ports, request }: RunContext, window: TimeWindow, sweepXql?: string): Promise<Queried> {
  const xql = sweepXql ?? request.hunt.queries[request.settings.queryVariant];
  const options = { deadline: request.deadline - COMMIT_RESERVE_MS };
  const credentials = await ports.credentials.get();
  let result: QueryResult;
  try {
    result = await ports.xql.query(credentials, xql, window, options);
  } catch (err) {
    if (!isCredentialsRefused(err)) throw err;
    // Stryker disable next-line StringLiteral,ObjectLiteral,LogicalOperator: log wording and fields (the README documents neither); whether it warns is tested
    ports.log.warn('XSIAM refused the credentials; re-reading the secret once', { status: err.status ?? null });
    const fresh = await ports.credentials.get({ forceRefresh: true });
    result = await ports.xql.query(fresh, xql, window, options);
  }
  // Stryker disable next-line StringLiteral,ObjectLiteral: log wording and fields (the README documents neither); how many warnings is tested
  for (const problem of result.rowProblems.slice(0, LOGGED_PROBLEMS_LIMIT)) ports.log.warn('malformed row in the XSIAM reply', { problem });
  return {
    result,
    counts: { rows: result.rows.length, queryCost: result.queryCost, httpCalls: result.httpCalls, rowProblems: result.rowProblems.length },
  };
}
