/**
 * The query stage on its own (stages/query.ts), through its ports: the summary's counters, one
 * warning per malformed row up to the cap, and the one re-read of a secret XSIAM refused (it may
 * have been rotated). The credentials provider and the XQL source are scripted fakes.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import type { QueryResult } from '../../lambda/pipeline-types.js';
import type { Log } from '../../lambda/ports.js';
import type { RunContext } from '../../lambda/run/context.js';
import { COMMIT_RESERVE_MS, LOGGED_PROBLEMS_LIMIT } from '../../lambda/run/limits.js';
import { query } from '../../lambda/run/stages/query.js';

const T = Date.UTC(2026, 10, 28, 3, 0, 0);
const WINDOW = { from: T - 3_600_000, to: T };
const DEADLINE = T + 600_000;

let warnings: string[];
let reads: ({ forceRefresh?: boolean } | undefined)[];
let keysUsed: string[];
let deadlines: number[];
beforeEach(() => {
  warnings = [];
  reads = [];
  keysUsed = [];
  deadlines = [];
});
const log: Log = { debug() {}, info() {}, error() {}, warn: (message) => warnings.push(message) };

/** What the reader of the XSIAM reply reports for a row that is not an object (lambda/xsiam/rows.ts). */
const problem = (i: number): string => `reply.results.data[${i}]: expected a JSON object, got a string; row left out`;
const result = (problems: number): QueryResult => ({
  queryId: 'q-1', rows: [{ _time: T - 60_000 }, { _time: T - 30_000 }], rowProblems: Array.from({ length: problems }, (_, i) => problem(i)),
  numberOfResults: 2 + problems, queryCost: 0.25, remainingQuota: 99, httpCalls: 3, durationMs: 1200,
});

/** The secret is rotated: the cached key is refused (HTTP 401), the re-read one works. */
function context(reply: QueryResult, refuse: 'never' | 'cached' | 'always' | Error = 'never'): RunContext {
  const credentials = {
    get: async (options?: { forceRefresh?: boolean }) => { reads.push(options); return { apiKey: options?.forceRefresh === true ? 'rotated' : 'cached', apiKeyId: '7', fqdn: 'api-corp.xdr.eu.paloaltonetworks.com' }; },
  };
  const xql = {
    query: async (creds: { apiKey: string }, _xql: string, _w: unknown, options: { deadline: number }) => {
      keysUsed.push(creds.apiKey);
      deadlines.push(options.deadline);
      if (refuse instanceof Error) throw refuse;
      if (refuse === 'always' || (refuse === 'cached' && creds.apiKey === 'cached')) throw Object.assign(new Error('XSIAM answered 401'), { credentialsRefused: true, status: 401 });
      return reply;
    },
  };
  return {
    ports: { clock: { now: () => T }, log, credentials, xql } as unknown as RunContext['ports'],
    request: { hunt: WMIC_REMOTE_EXEC, settings: defaultRunSettings(), runId: 'run-1', deadline: DEADLINE },
    flags: { window: null, advancesCheckpoint: true, publish: true },
  };
}

describe('the query stage', () => {
  it('counts rows, cost, HTTP calls and malformed rows, and warns of at most the first 20 of them', async () => {
    const out = await query(context(result(LOGGED_PROBLEMS_LIMIT + 1)), WINDOW);
    expect(out.counts).toEqual({ rows: 2, queryCost: 0.25, httpCalls: 3, rowProblems: 21 });
    expect(warnings).toHaveLength(LOGGED_PROBLEMS_LIMIT);
    expect(deadlines).toEqual([DEADLINE - COMMIT_RESERVE_MS]);
    expect(reads).toEqual([undefined]);
  });

  it('a refused key: the secret is re-read once, forced past the cache, and the query tried again with it', async () => {
    const out = await query(context(result(0), 'cached'), WINDOW);
    expect(out.counts).toMatchObject({ rows: 2 });
    expect(reads).toEqual([undefined, { forceRefresh: true }]);
    expect(keysUsed).toEqual(['cached', 'rotated']);
    expect(warnings).toHaveLength(1);
  });

  it('a key refused again, or any other error, fails the stage', async () => {
    await expect(query(context(result(0), 'always'), WINDOW)).rejects.toMatchObject({ credentialsRefused: true });
    expect(keysUsed).toEqual(['cached', 'rotated']);
    const down = new Error('XSIAM answered 503');
    await expect(query(context(result(0), down), WINDOW)).rejects.toBe(down);
    expect(reads).toHaveLength(3);
  });
});
