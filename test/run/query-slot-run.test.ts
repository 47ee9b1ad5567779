/**
 * A run whose query finds no XSIAM query slot before its deadline (lambda/query-slots/) ends
 * cleanly: counted, `partial`, and the mark it would have moved (checkpoint, or the late sweep's
 * arrival mark) stays where it was, so the next run hunts the same time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import { DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { createCardDetector } from '../../lambda/modules/index.js';
import type { QueryResult } from '../../lambda/pipeline-types.js';
import type { Log, XqlSource } from '../../lambda/ports.js';
import { QuerySlotUnavailableError } from '../../lambda/query-slots/index.js';
import { runHunt, type RunPorts } from '../../lambda/run/index.js';
import { FileStateStore, StaticCredentials } from '../../local/adapters/index.js';

const HOUR = 3_600_000;
const QUIET: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const REPLY: QueryResult = { queryId: 'a_1_inv', rows: [], rowProblems: [], numberOfResults: 0, queryCost: 0.1, remainingQuota: 100, httpCalls: 2, durationMs: 5 };

let dir: string;
let now: number;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slot-run-'));
  now = Date.UTC(2026, 11, 6, 9, 0, 0);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Ports over a file store whose XQL source refuses the queries `refuse` picks for want of a slot. */
function portsWith(refuse: (xql: string) => boolean, store: FileStateStore): RunPorts {
  const xql: XqlSource = {
    query: (_c, text) => (refuse(text) ? Promise.reject(new QuerySlotUnavailableError(25_000, 12)) : Promise.resolve(REPLY)),
  };
  return {
    clock: { now: () => now }, log: QUIET, xql,
    credentials: new StaticCredentials({ tenant: 'https://api-x.xdr.us.paloaltonetworks.com', apiKeyId: '1', apiKey: 'k', keyType: 'standard' }),
    detector: createCardDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST }),
    state: store,
    notifier: { publish: () => Promise.resolve({ delivered: [], failed: [], messages: 0, digest: false }) },
  };
}

const request = () => ({
  hunt: WMIC_REMOTE_EXEC, runId: `run-${now}`, deadline: now + 10 * 60_000,
  settings: { ...defaultRunSettings(), lateArrivalMs: 24 * HOUR, lateSweepEveryMs: 0 },
});

describe('a run without a query slot', () => {
  it('ends partial and counted, its checkpoint not written, when the window query gets none', async () => {
    const store = new FileStateStore({ dir });
    const summary = await runHunt(portsWith(() => true, store), request());
    expect(summary).toMatchObject({ status: 'partial', querySlotUnavailable: 1, chunks: 0, rows: 0 });
    expect(await store.readCheckpoint(WMIC_REMOTE_EXEC.id)).toBeNull();
  });

  it('keeps the windows it hunted and the late sweep\'s mark when only the sweep gets none', async () => {
    const store = new FileStateStore({ dir });
    // The first run hunts its windows and starts the sweep's mark (no sweep query yet).
    expect((await runHunt(portsWith(() => false, store), request())).status).toBe('completed');
    const mark = await store.readSweepMark(WMIC_REMOTE_EXEC.id, 'full');
    expect(mark).not.toBeNull();
    now += HOUR;
    const summary = await runHunt(portsWith((xql) => xql.includes('_insert_time'), store), request());
    expect(summary).toMatchObject({ status: 'partial', querySlotUnavailable: 1, lateSweeps: 0 });
    expect(summary.chunks).toBeGreaterThan(0);
    expect((await store.readCheckpoint(WMIC_REMOTE_EXEC.id))?.coveredUntil).toBeGreaterThan(now - HOUR);
    expect(await store.readSweepMark(WMIC_REMOTE_EXEC.id, 'full')).toEqual(mark);
  });
});
