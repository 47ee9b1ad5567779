/**
 * The whole run (local XSIAM, DynamoDB Local, real detector) publishing through the real SDK to the
 * SNS stand-in, on one virtual clock: when pacing for the email limit would run past the deadline,
 * the rest stays PENDING, the checkpoint stays put, and the next run publishes it. Nothing is lost
 * and no second carries more than 10 messages.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnsNotifier } from '../../lambda/notify/index.js';
import type { XqlSource } from '../../lambda/ports.js';
import { HOUR, MIN, T0, snsMock, startHarness, wmicRow, type Harness } from '../integration/harness.js';
import { type SnsStandin, startSnsStandin } from '../support/sns-standin.js';

let h: Harness;
let sns: SnsStandin;

beforeEach(async () => {
  // The harness mocks SNSClient for its own tests; here the real SDK goes over the wire.
  snsMock.restore();
  h = await startHarness({ initialLookbackMs: 2 * HOUR, overlapMs: 10 * MIN, ingestLagMs: 5 * MIN, stormLimit: 50 });
  sns = await startSnsStandin({ now: () => h.clock.now });
});

afterEach(async () => {
  await sns.close();
  await h.close();
});

describe('a paced run near its deadline', () => {
  it('publishes 20 of 30 new pairs, defers 10 to the next run, which publishes them; never more than 10 per second', async () => {
    for (let i = 0; i < 30; i += 1) {
      // 30 unrelated pairs (no host in common): 30 incidents, 30 messages to pace.
      h.events.push(wmicRow(T0 - 40 * MIN + i, `WS-${String(i).padStart(2, '0')}`, `wmic /node:"SRV-${String(i).padStart(2, '0')}" process call create "cmd.exe /c vssadmin delete shadows /all /quiet"`));
    }
    const notifier = new SnsNotifier({
      client: sns.client(), topicArn: sns.topicArn, stormLimit: 50,
      now: () => h.clock.now,
      sleep: async (ms) => {
        h.clock.now += ms;
      },
    });
    // The XSIAM query takes 14.5 s of the run's time; the run may take 21.5 s in all, so the
    // publish deadline (5 s before the run's) leaves room for two paced batches, not three.
    const slowXql: XqlSource = {
      query: async (...args) => {
        const result = await h.ports.xql.query(...args);
        h.clock.now += 14_500;
        return result;
      },
    };

    const first = await h.run({ notifier, xql: slowXql }, {}, 21_500);

    expect(first).toMatchObject({ status: 'partial', newPairs: 30, notified: 20, messages: 20 });
    expect(await h.state.readCheckpoint('HuntQuery-Windows-WMIC-RemoteExec')).toBeNull();

    h.clock.now += 10 * MIN;
    const second = await h.run({ notifier });

    expect(second).toMatchObject({ status: 'completed', newPairs: 0, recovered: 10, repeats: 20, notified: 10 });
    const emails = sns.deliveries.filter((d) => d.protocol === 'email');
    const targets = emails.map((d) => d.subject?.match(/-> "(SRV-\d\d)"/i)?.[1]);
    expect(emails[0]?.subject).toMatch(/incident INC-[0-9A-F]+: "WS-\d\d" -> "SRV-\d\d"/i);
    expect(new Set(targets).size).toBe(30);
    expect(sns.violations).toEqual([]);
    const times = emails.map((d) => d.at);
    expect(Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1_000).length))).toBeLessThanOrEqual(10);
  });
});
