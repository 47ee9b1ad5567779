/**
 * The data the pipeline passes between its ports, owned by no adapter: the time a query covers,
 * the rows it returns and what it cost. The XSIAM client produces them; run/, detect/ and the
 * local XQL engine read them.
 */

/** Half-open time window [from, to) in epoch milliseconds. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

/** One result row, normalised: "NULL" → null, "TRUE"/"FALSE" → booleans, `_time` in epoch ms. */
export type XqlRow = Record<string, unknown>;

/** What one query returned and what it cost. */
export interface QueryResult {
  readonly queryId: string;
  readonly rows: XqlRow[];
  /**
   * Rows of the reply that were malformed (not an object: left out; unreadable timestamp: read
   * as null), each described with where it was. The query's other rows are all in `rows`.
   */
  readonly rowProblems: readonly string[];
  readonly numberOfResults: number;
  /** Sum of `query_cost` over tenants, in query units. */
  readonly queryCost: number;
  readonly remainingQuota: number | null;
  /** HTTP requests this query took (start, polls, stream, retries). */
  readonly httpCalls: number;
  readonly durationMs: number;
}
