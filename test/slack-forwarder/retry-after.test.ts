/**
 * Retry-After above the backoff cap (8 s): Slack's wait is honoured in full, never clipped to the
 * cap (issue 21's survivor), and a wait that would run past the function's time gives up with
 * the reason instead of posting early.
 */
import { describe, expect, it } from 'vitest';
import { composeFinding } from '../../lambda/notify/index.js';
import { SlackDeliveryError } from '../../lambda/slack-forwarder/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';
import { lambdaContext, rig, snsEvent, useSlackStandIns } from './support.js';

const standIns = useSlackStandIns();
const message = () => snsEvent(composeFinding(makeFinding(), makeContext()));

describe('Retry-After above 8 s', () => {
  it('waits the 20 s Slack asks for (plus jitter under 250 ms), then delivers', async () => {
    standIns.slack().script({ status: 429, body: 'rate_limited', retryAfterSeconds: 20 }, 1);
    const { forward, waits } = await rig(standIns.client());
    await expect(forward(message(), lambdaContext(120_000))).resolves.toEqual({ delivered: 1, failed: 0 });
    expect(standIns.slack().received.map((r) => r.status)).toEqual([429, 200]);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(20_000);
    expect(waits[0]).toBeLessThan(20_250);
  });

  it('gives up, saying why, when the asked wait runs past the time left', async () => {
    standIns.slack().script({ status: 429, body: 'rate_limited', retryAfterSeconds: 30 }, 1);
    const { forward, waits } = await rig(standIns.client());
    const failure = await forward(message(), lambdaContext(20_000)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SlackDeliveryError);
    expect(String((failure as Error).message)).toMatch(/would run past the function's remaining time/);
    expect(waits).toEqual([]);
    expect(standIns.slack().received.map((r) => r.status)).toEqual([429]);
  });

  it.each([
    ['exactly fits the time left: it waits and delivers', 23_125, [429, 200]],
    ['is 1 ms past the time left: it gives up before waiting', 23_124, [429]],
  ])('a 20 s Retry-After that %s', async (_label, remainingMs, statuses) => {
    // Frozen clock: deadline = now + remaining − 2 s safety margin; the wait is 20 s + 125 ms jitter
    // (random 0.5), and the next attempt needs 1 s: 2,000 + 20,125 + 1,000 = 23,125 ms.
    standIns.slack().script({ status: 429, body: 'rate_limited', retryAfterSeconds: 20 }, 1);
    const { forward } = await rig(standIns.client(), { post: { now: () => Date.UTC(2031, 0, 15, 12) } });
    const outcome = await forward(message(), lambdaContext(remainingMs)).catch((e: unknown) => e);
    expect(standIns.slack().received.map((r) => r.status)).toEqual(statuses);
    if (statuses.length === 2) expect(outcome).toEqual({ delivered: 1, failed: 0 });
    else expect(outcome).toBeInstanceOf(SlackDeliveryError);
  });
});
