/**
 * The outer loop of a run (lambda/run/hunt.ts) as ops see it: the lease, the deadline's cut of
 * a catch-up, the chunks left uncommitted, the late sweep only after a full catch-up, and the
 * summary's status, counts and times. Driven through its ports (test/run/hunt-rig.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuerySlotUnavailableError } from '../../lambda/query-slots/index.js';
import { COMMIT_RESERVE_MS } from '../../lambda/run/limits.js';
import { StageError, runHunt } from '../../lambda/run/index.js';
import { HOUR, HUNT, MIN, SETTINGS, T0, remoteLaunch, startRig, type Rig } from './hunt-rig.js';

/** The two chunks of a first run at T0. */
const FIRST = { from: T0 - 2 * MIN - 2 * HOUR, to: T0 - 2 * MIN - HOUR };
const SECOND = { from: FIRST.to, to: T0 - 2 * MIN };

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(() => rig.close());

describe('the run lease', () => {
  it('a run that finds the lease held stops at once: no plan, no checkpoint, no release of the other run\'s lease, one warning', async () => {
    await rig.store.acquireLease(HUNT, 'run-0', T0 - MIN, SETTINGS.leaseTtlMs);
    rig.rows.push(remoteLaunch(FIRST.from + MIN, 'WS-01', 'fs01', 'evt-1'));
    const summary = await runHunt(rig.ports(), rig.request());
    expect(summary).toMatchObject({ status: 'lease-held', chunks: 0, rows: 0, notified: 0, window: null, windowLagMs: null });
    expect(rig.calls.map((c) => c.method)).toEqual(['acquireLease']);
    expect(rig.warnings).toHaveLength(1);
    // The holder still holds it.
    expect(await rig.store.acquireLease(HUNT, 'run-2', T0, SETTINGS.leaseTtlMs)).toBe(false);
  });

  it('a window run takes the hunt\'s lease unless it asks for its window\'s, so a local run beside a held one is told', async () => {
    await rig.store.acquireLease(HUNT, 'run-0', T0 - MIN, SETTINGS.leaseTtlMs);
    const window = { from: T0 - 3 * HOUR, to: T0 - 2 * HOUR };
    expect((await runHunt(rig.ports(), rig.request({ window }))).status).toBe('lease-held');
    expect((await runHunt(rig.ports(), rig.request({ window, windowLease: true }))).status).toBe('completed');
    expect(rig.called('acquireLease').map((c) => c.args[0])).toEqual([HUNT, `${HUNT}@${window.from}-${window.to}`]);
  });

  it('a lease that cannot be released leaves the run\'s outcome as it was, with one warning', async () => {
    const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ProvisionedThroughputExceededException' });
    const summary = await runHunt(rig.ports({ releaseLease: () => Promise.reject(throttled) }), rig.request());
    expect(summary).toMatchObject({ status: 'completed', chunks: 2 });
    expect(rig.called('releaseLease')).toHaveLength(1);
    expect(rig.warnings).toHaveLength(1);
  });
});

describe('the summary\'s times', () => {
  it('durationMs is the run\'s own time and windowLagMs how far the covered time ends behind now', async () => {
    rig.onQuery = () => { rig.clock.now += 1_500; };
    const summary = await runHunt(rig.ports(), rig.request());
    expect(summary).toMatchObject({ status: 'completed', chunks: 2, window: { from: FIRST.from, to: SECOND.to } });
    expect(summary.durationMs).toBe(3_000);
    expect(summary.windowLagMs).toBe(2 * MIN + 3_000);
    // A run with nothing to report warns of nothing.
    expect(rig.warnings).toEqual([]);
  });
});

describe('the deadline cuts a catch-up between chunks', () => {
  // The first chunk's query ends at `at`; the second starts only with two commit reserves left.
  const cutAt = (at: number) => {
    rig.onQuery = (_xql, window) => {
      if (window.from === FIRST.from) rig.clock.now = at;
    };
    return runHunt(rig.ports(), rig.request({ deadline: T0 + 10 * MIN }));
  };
  const edge = T0 + 10 * MIN - 2 * COMMIT_RESERVE_MS;

  it('with exactly two commit reserves left the next chunk still runs, and the late sweep after it', async () => {
    expect(await cutAt(edge)).toMatchObject({ status: 'completed', chunks: 2 });
    expect((await rig.store.readCheckpoint(HUNT))?.coveredUntil).toBe(SECOND.to);
    expect(rig.called('readSweepMark').length).toBeGreaterThan(0);
    expect(rig.warnings).toEqual([]);
  });

  it('1 ms later the run ends partial after the first chunk, committed; no late sweep; one warning', async () => {
    const summary = await cutAt(edge + 1);
    expect(summary).toMatchObject({ status: 'partial', chunks: 1, window: FIRST });
    expect((await rig.store.readCheckpoint(HUNT))?.coveredUntil).toBe(FIRST.to);
    expect(rig.called('readSweepMark')).toEqual([]);
    expect(rig.warnings).toHaveLength(1);
  });
});

describe('a chunk left uncommitted', () => {
  it('pairs another live run claimed: partial, counted inFlight, checkpoint not written, one warning', async () => {
    rig.rows.push(remoteLaunch(FIRST.from + MIN, 'WS-01', 'fs01', 'evt-1'));
    // run-0 claims the pair and dies in its publish (its lease released, its claim still live).
    const crashed = rig.ports();
    const dying = { ...crashed, notifier: { publish: () => Promise.reject(new TypeError('socket hang up')) } };
    await expect(runHunt(dying, rig.request({ runId: 'run-0' }))).rejects.toMatchObject({ stage: 'publish' });
    rig.clock.now += MIN;
    rig.calls.length = 0;
    const summary = await runHunt(rig.ports(), rig.request());
    expect(summary).toMatchObject({ status: 'partial', inFlight: 1, chunks: 0, notified: 0 });
    expect(rig.called('writeCheckpoint')).toEqual([]);
    expect(rig.warnings).toHaveLength(1);
  });

  it('notifications deferred at the deadline: partial, counted, checkpoint not written, one warning', async () => {
    rig.rows.push(remoteLaunch(FIRST.from + MIN, 'WS-01', 'fs01', 'evt-1'));
    rig.publish = (findings) => ({ delivered: [], failed: [], messages: 0, digest: false, deferred: findings.map((f) => f.fingerprint) });
    const summary = await runHunt(rig.ports(), rig.request());
    expect(summary).toMatchObject({ status: 'partial', deferred: 1, chunks: 0, notified: 0 });
    expect(rig.called('writeCheckpoint')).toEqual([]);
    expect(rig.warnings).toHaveLength(1);
  });

  it('no query slot for the chunk: partial, counted, one warning', async () => {
    rig.onQuery = () => { throw new QuerySlotUnavailableError(25_000, 3); };
    expect(await runHunt(rig.ports(), rig.request())).toMatchObject({ status: 'partial', querySlotUnavailable: 1, chunks: 0 });
    expect(rig.called('writeCheckpoint')).toEqual([]);
    expect(rig.warnings).toHaveLength(1);
  });

  it('a slot refusal from a stage after the query is a failure naming that stage, not a clean stop', async () => {
    rig.rows.push(remoteLaunch(FIRST.from + MIN, 'WS-01', 'fs01', 'evt-1'));
    const refused = new QuerySlotUnavailableError(25_000, 3);
    const err = await runHunt(rig.ports({ recordFindings: () => Promise.reject(refused) }), rig.request()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect(err).toMatchObject({ stage: 'dedupe', window: FIRST, cause: refused });
    expect(rig.called('writeCheckpoint')).toEqual([]);
  });
});

describe('the late sweep', () => {
  it('a sweep whose notifications are deferred makes the run partial and keeps the sweep\'s mark', async () => {
    expect((await runHunt(rig.ports(), rig.request())).status).toBe('completed');
    const marks = await Promise.all(['recent', 'full'].map((s) => rig.store.readSweepMark(HUNT, s)));
    rig.clock.now += 2 * HOUR;
    // An event of an hour ago that reached XSIAM only now: the sweep's query returns it.
    rig.lateRows.push({ ...remoteLaunch(T0 + HOUR, 'WS-01', 'fs01', 'evt-late'), insert_timestamp: rig.clock.now - MIN });
    rig.publish = (findings) => ({ delivered: [], failed: [], messages: 0, digest: false, deferred: findings.map((f) => f.fingerprint) });
    const summary = await runHunt(rig.ports(), rig.request({ runId: 'run-2' }));
    expect(summary).toMatchObject({ status: 'partial', deferred: 1, lateSweeps: 0 });
    expect(await Promise.all(['recent', 'full'].map((s) => rig.store.readSweepMark(HUNT, s)))).toEqual(marks);
  });
});
