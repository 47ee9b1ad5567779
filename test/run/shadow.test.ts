/**
 * Shadow mode: a full run that sends nothing, counts what it would have sent and logs it for the
 * daily report; the pairs stay PENDING, so a live run over the same time later sends them once.
 * Real parts: DynamoDB Local, the local XSIAM, the real detector, the real SnsNotifier (SDK mock).
 */
import { randomUUID } from 'node:crypto';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { runHunt, type RunSummary } from '../../lambda/run/index.js';
import { utcDay } from '../../lambda/state/index.js';
import type { TimeWindow } from '../../lambda/pipeline-types.js';
import { HOUR, MIN, T0, publishedPairs, snsAcceptsAll, snsMock, startHarness, wmicRow, type Harness } from '../integration/harness.js';

const ATTACK = (target: string) => `wmic /node:"${target}" process call create "powershell.exe -enc SQBFAFgA"`;
const HUNT = WMIC_REMOTE_EXEC.id;

let h: Harness;
beforeEach(async () => {
  snsMock.reset();
  snsAcceptsAll();
  h = await startHarness({ initialLookbackMs: 2 * HOUR, overlapMs: 10 * MIN, ingestLagMs: 5 * MIN, maxWindowMs: 6 * HOUR });
});
afterEach(async () => h.close());

const run = (options: { shadow?: boolean; window?: TimeWindow; windowLease?: boolean; minSeverity?: 'critical' } = {}): Promise<RunSummary> => {
  const { minSeverity, ...rest } = options;
  return runHunt(h.ports, {
    hunt: WMIC_REMOTE_EXEC, settings: { ...h.settings, ...(minSeverity ? { minSeverity } : {}) },
    runId: randomUUID(), deadline: h.clock.now + 10 * 60_000, ...rest,
  });
};

describe('shadow mode', () => {
  it('sends nothing, counts wouldNotify, and a later live run over the same time sends what shadow only counted', async () => {
    h.events.push(wmicRow(T0 - 30 * MIN, 'WS-01', ATTACK('fs01')), wmicRow(T0 - 20 * MIN, 'WS-01', ATTACK('sql01')));
    const shadow = await run({ shadow: true });
    expect(shadow).toMatchObject({ status: 'completed', newPairs: 2, wouldNotify: 2, notified: 0, messages: 0 });
    expect(snsMock.commandCalls(PublishBatchCommand)).toHaveLength(0);
    // The scheduled shadow run still advances the checkpoint: it hunts like a live run.
    expect((await h.state.readCheckpoint(HUNT))?.coveredUntil).toBe(T0 - 5 * MIN);
    const log = await h.state.readShadow(HUNT, utcDay(T0));
    expect(log.entries.map((e) => e.targetHost).sort()).toEqual(['fs01', 'sql01']);

    // A second shadow run over the same time: the pairs are still due, still not sent.
    expect(await run({ shadow: true, window: { from: T0 - 2 * HOUR, to: T0 } })).toMatchObject({ wouldNotify: 2, notified: 0 });
    expect(snsMock.commandCalls(PublishBatchCommand)).toHaveLength(0);

    // Live over the same time (a backfill after switching): the shadow-only pairs go out once.
    h.clock.now = T0 + 15 * MIN;
    const live = await run({ window: { from: T0 - 2 * HOUR, to: T0 } });
    expect(live).toMatchObject({ newPairs: 0, recovered: 2, notified: 2, wouldNotify: 0 });
    expect(publishedPairs().map((f) => f.targetHost).sort()).toEqual(['fs01', 'sql01']);
    expect(await run({ window: { from: T0 - 2 * HOUR, to: T0 } })).toMatchObject({ repeats: 2, notified: 0 });
    expect(publishedPairs()).toHaveLength(2);
  });

  it('counts only pairs a live run would send: below the minimum severity is neither sent nor logged', async () => {
    h.events.push(wmicRow(T0 - 30 * MIN, 'WS-01', 'wmic /node:"ws-02" process call create "notepad.exe"'));
    const shadow = await run({ shadow: true, minSeverity: 'critical' });
    expect(shadow).toMatchObject({ newPairs: 1, wouldNotify: 0, belowMinSeverity: 1 });
    expect((await h.state.readShadow(HUNT, utcDay(T0))).entries).toEqual([]);
  });

  it('window runs lease only their window: two chunks of one backfill run at once', async () => {
    h.events.push(wmicRow(T0 - 90 * MIN, 'WS-01', ATTACK('fs01')), wmicRow(T0 - 30 * MIN, 'WS-01', ATTACK('sql01')));
    const [a, b] = await Promise.all([
      run({ window: { from: T0 - 2 * HOUR, to: T0 - HOUR }, windowLease: true }),
      run({ window: { from: T0 - HOUR, to: T0 }, windowLease: true }),
    ]);
    expect([a?.status, b?.status]).toEqual(['completed', 'completed']);
    expect((a?.notified ?? 0) + (b?.notified ?? 0)).toBe(2);
  });
});
