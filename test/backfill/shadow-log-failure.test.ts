/**
 * A shadow chunk whose shadow-log write fails (DynamoDB refuses it): the run fails loudly through
 * its own promise, so the state machine retries the chunk, and nothing escapes as an unhandled
 * rejection (which would crash the Lambda runtime, taking other work of the invocation with it).
 * Real parts: DynamoDB Local, the local XSIAM, the real detector.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import type { StateStore } from '../../lambda/ports.js';
import { runHunt } from '../../lambda/run/index.js';
import { HOUR, MIN, T0, publishedFindings, snsAcceptsAll, snsMock, startHarness, wmicRow, type Harness } from '../integration/harness.js';

let h: Harness;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };

beforeEach(async () => {
  snsMock.reset();
  snsAcceptsAll();
  h = await startHarness();
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  process.off('unhandledRejection', onUnhandled);
  await h.close();
});

/** The harness's DynamoDB store, except that recordShadow fails as a throttled write would. */
function failingShadowLog(state: StateStore): StateStore {
  return new Proxy(state, {
    get(target, prop, receiver) {
      if (prop === 'recordShadow') return async () => { throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ProvisionedThroughputExceededException' }); };
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

describe('a failed shadow-log write', () => {
  it('fails the shadow chunk through its promise, publishes nothing and leaves no unhandled rejection', async () => {
    h.events.push(wmicRow(T0 - 3 * HOUR + 10 * MIN, 'WS-07', 'wmic /node:"srv-shadow" process call create "cmd.exe /c whoami"'));
    const window = { from: T0 - 4 * HOUR, to: T0 - 2 * HOUR };
    // runHunt with an explicit window and shadow, as the shell runs a shadow backfill chunk.
    const chunk = runHunt({ ...h.ports, state: failingShadowLog(h.state) }, {
      hunt: WMIC_REMOTE_EXEC, settings: h.settings, runId: 'shadow-chunk', deadline: h.clock.now + 10 * MIN, window, windowLease: true, shadow: true,
    });
    const err = await chunk.then(() => null, (e: unknown) => e as Error & { cause?: Error });
    expect(err).toBeInstanceOf(Error);
    expect(`${err?.message} ${err?.cause?.name ?? ''}`).toMatch(/ProvisionedThroughputExceeded|shadow/i);
    // Give any stray promise time to reject before checking.
    await new Promise((r) => setTimeout(r, 200));
    expect(unhandled).toEqual([]);
    expect(publishedFindings()).toEqual([]);
  });
});
