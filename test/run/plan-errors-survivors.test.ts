/**
 * What a run plans and commits (lambda/run/plan.ts) and the errors it ends with
 * (lambda/run/errors.ts), as ops read them: the skipped time counted and logged with its span,
 * the checkpoint's status, `up-to-date`, and each error's class, name and message.
 * Driven through the run's ports (test/run/hunt-rig.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PublishFailedError, RunError, StageError, runHunt } from '../../lambda/run/index.js';
import { HOUR, HUNT, MIN, SETTINGS, T0, remoteLaunch, startRig, type Rig } from './hunt-rig.js';

const DAY = 24 * HOUR;

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(() => rig.close());

describe('the plan', () => {
  it('uncovered time older than the maximum lookback is skipped, counted and logged once with its span', async () => {
    // The last run covered up to four days ago; the maximum lookback is three days (the default).
    await rig.store.writeCheckpoint(HUNT, { coveredUntil: T0 - 4 * DAY, lastRunStatus: 'ok' }, null, T0 - 4 * DAY);
    const settings = { ...SETTINGS, maxWindowMs: DAY };
    const summary = await runHunt(rig.ports(), rig.request({ settings }));
    expect(summary).toMatchObject({ status: 'completed', skippedMs: DAY, chunks: 3, window: { from: T0 - 3 * DAY, to: T0 - 2 * MIN } });
    expect(rig.warnings).toHaveLength(1);
    expect(rig.warnings[0]?.extra).toMatchObject({
      huntId: HUNT, skippedFrom: new Date(T0 - 4 * DAY).toISOString(), skippedTo: new Date(T0 - 3 * DAY).toISOString(), skippedMs: DAY,
    });
  });

  it('a run right after the last one has nothing new: up-to-date, no chunk, the checkpoint unmoved', async () => {
    expect((await runHunt(rig.ports(), rig.request())).status).toBe('completed');
    const checkpoint = await rig.store.readCheckpoint(HUNT);
    const again = await runHunt(rig.ports(), rig.request({ runId: 'run-2' }));
    expect(again).toMatchObject({ status: 'up-to-date', chunks: 0, window: null, skippedMs: 0 });
    expect(await rig.store.readCheckpoint(HUNT)).toEqual(checkpoint);
  });
});

describe('the commit', () => {
  it('stores the covered time with the status `hunts list` shows: ok', async () => {
    await runHunt(rig.ports(), rig.request());
    expect(await rig.store.readCheckpoint(HUNT)).toMatchObject({ coveredUntil: T0 - 2 * MIN, lastRunStatus: 'ok' });
  });
});

describe('the run\'s errors', () => {
  it('a request naming both a mode and a window is refused as a RunError before any lease is taken', async () => {
    const window = { from: T0 - 2 * HOUR, to: T0 - HOUR };
    const err = await runHunt(rig.ports(), rig.request({ window, mode: { kind: 'window', window } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunError);
    expect(err).toMatchObject({ name: 'RunError' });
    expect(rig.calls).toEqual([]);
  });

  it('notifications SNS refused fail the run with a PublishFailedError naming how many and each distinct code once', async () => {
    for (const [i, target] of ['fs01', 'sql01', 'dc01'].entries()) rig.rows.push(remoteLaunch(T0 - 100 * MIN + i * MIN, `WS-0${i}`, target, `evt-${i}`));
    // PublishBatch's per-entry failures (BatchResultErrorEntry: Code, Message, SenderFault;
    // https://docs.aws.amazon.com/sns/latest/api/API_BatchResultErrorEntry.html).
    const codes = ['Throttling', 'AuthorizationError', 'Throttling'];
    rig.publish = (findings) => ({
      delivered: [], messages: 0, digest: false,
      failed: findings.map((f, i) => ({ fingerprint: f.fingerprint, code: codes[i] ?? 'InternalError', message: 'refused' })),
    });
    const err = await runHunt(rig.ports(), rig.request()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishFailedError);
    expect(err).toMatchObject({ name: 'PublishFailedError' });
    expect((err as PublishFailedError).failures).toHaveLength(3);
    expect((err as Error).message).toContain('3 notification(s) were not accepted (Throttling, AuthorizationError)');
    expect(rig.called('writeCheckpoint')).toEqual([]);
  });

  it('a lease that cannot be read fails as a StageError of the lease with no window, repeating the cause', async () => {
    const cause = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ProvisionedThroughputExceededException' });
    const err = await runHunt(rig.ports({ acquireLease: () => Promise.reject(cause) }), rig.request()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect(err).toMatchObject({ name: 'StageError', stage: 'lease', window: null, cause });
    expect((err as Error).message).toBe('lease failed: ProvisionedThroughputExceededException: Rate of requests exceeds the allowed throughput.');
    expect(rig.called('releaseLease')).toEqual([]);
  });
});
