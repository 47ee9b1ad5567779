/**
 * The run's steps as a caller sees them: a port's error comes out as a StageError naming the
 * step and the chunk's window, with the port's own error as `cause`; the run's mode decides
 * whether the checkpoint moves. Real parts: DynamoDB Local, the local XSIAM, the real detector.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import type { Notifier, StateStore } from '../../lambda/ports.js';
import { COUNTERS, PublishFailedError, RunError, StageError, runHunt } from '../../lambda/run/index.js';
import { XsiamServerError } from '../../lambda/xsiam/index.js';
import { HOUR, MIN, T0, snsAcceptsAll, snsMock, startHarness, wmicRow, type Harness } from '../integration/harness.js';

const ATTACK = (target: string) => `wmic /node:"${target}" process call create "powershell.exe -enc SQBFAFgA"`;
const HUNT = WMIC_REMOTE_EXEC.id;

let h: Harness;
beforeEach(async () => {
  snsMock.reset();
  snsAcceptsAll();
  h = await startHarness({ initialLookbackMs: 2 * HOUR, overlapMs: 10 * MIN, ingestLagMs: 5 * MIN, maxWindowMs: 6 * HOUR });
});
afterEach(async () => h.close());

/** The window the first run hunts with these settings: two hours back, up to the ingest lag. */
const FIRST_WINDOW = { from: T0 - 5 * MIN - 2 * HOUR, to: T0 - 5 * MIN };

describe('a failing port names its stage and window', () => {
  it('query: the XSIAM error is the cause, the chunk the window, and the message keeps its text', async () => {
    h.xsiam.faults.add('start_xql_query', { status: 503, times: 20 });
    const err = await h.run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect(err).toBeInstanceOf(RunError);
    expect(err).toMatchObject({ name: 'StageError', stage: 'query', window: FIRST_WINDOW });
    const cause = (err as StageError).cause;
    expect(cause).toBeInstanceOf(XsiamServerError);
    expect((err as Error).message).toContain(`query failed for ${new Date(FIRST_WINDOW.from).toISOString()}`);
    expect((err as Error).message).toContain((cause as Error).message);
  });

  it('dedupe: a state store that refuses the record carries the chunk it was recording', async () => {
    h.events.push(wmicRow(T0 - 30 * MIN, 'WS-01', ATTACK('fs01')));
    const refused = new Error('table is being deleted');
    const state: StateStore = Object.assign(Object.create(h.state) as StateStore, {
      recordFindings: async () => { throw refused; },
    });
    const err = await h.run({ state }).catch((e: unknown) => e);
    expect(err).toMatchObject({ stage: 'dedupe', window: FIRST_WINDOW, cause: refused });
    expect(await h.state.readCheckpoint(HUNT)).toBeNull();
  });

  it('publish: a notifier that throws is the cause; the pair stays due for the next run', async () => {
    h.events.push(wmicRow(T0 - 30 * MIN, 'WS-01', ATTACK('fs01')));
    const crash = new TypeError('sink went away');
    const notifier: Notifier = { publish: async () => { throw crash; } };
    const err = await h.run({ notifier }).catch((e: unknown) => e);
    expect(err).toMatchObject({ stage: 'publish', window: FIRST_WINDOW, cause: crash });
    h.clock.now = T0 + 15 * MIN;
    expect(await h.run()).toMatchObject({ recovered: 1, notified: 1 });
  });

  it('the run\'s own PublishFailedError is thrown as it is, not wrapped', async () => {
    h.events.push(wmicRow(T0 - 30 * MIN, 'WS-01', ATTACK('fs01')));
    const notifier: Notifier = { publish: async (f) => ({ delivered: [], failed: f.map((x) => ({ fingerprint: x.fingerprint, code: 'KMSDisabled', message: 'disabled' })), messages: 0, digest: false }) };
    const err = await h.run({ notifier }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishFailedError);
    expect(err).not.toBeInstanceOf(StageError);
  });
});

describe('the run mode', () => {
  const request = (extra: object) => ({ hunt: WMIC_REMOTE_EXEC, settings: h.settings, runId: `run-${Math.random()}`, deadline: T0 + 10 * MIN, ...extra });

  it('a window run hunts exactly the window, in chunks, and leaves the checkpoint alone', async () => {
    h.events.push(wmicRow(T0 - 20 * HOUR, 'WS-07', ATTACK('old01')));
    const window = { from: T0 - 24 * HOUR, to: T0 - 12 * HOUR };
    const summary = await runHunt(h.ports, request({ mode: { kind: 'window', window } }));
    expect(summary).toMatchObject({ status: 'completed', window, chunks: 2, newPairs: 1, notified: 1, windowLagMs: null });
    expect(await h.state.readCheckpoint(HUNT)).toBeNull();
  });

  it('a scheduled run advances the checkpoint; mode and the window shorthand together are refused', async () => {
    expect((await runHunt(h.ports, request({ mode: { kind: 'scheduled' } }))).status).toBe('completed');
    expect((await h.state.readCheckpoint(HUNT))?.coveredUntil).toBe(FIRST_WINDOW.to);
    const both = request({ mode: { kind: 'scheduled' }, window: FIRST_WINDOW });
    await expect(runHunt(h.ports, both)).rejects.toThrow(/either mode or window/);
  });

  it('every counter of the summary is a number, declared once in COUNTERS', async () => {
    const summary = await h.run();
    for (const counter of COUNTERS) expect(typeof summary[counter], counter).toBe('number');
    expect(COUNTERS).toContain('belowMinSeverity');
  });
});
