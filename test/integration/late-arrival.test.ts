/**
 * Late and offline events through the Lambda handler (makeHandler over buildAwsPorts: DynamoDB
 * Local, the local XSIAM with arrival times, SNS faked at the SDK level). The process clock is
 * moved with vi.setSystemTime (Date only; timers stay real), so the handler, the XSIAM client and
 * the local XSIAM share one time. A laptop off the network uploads its events hours after they
 * happened; XSIAM stamps them `_insert_time` on arrival (docs/reference/xsiam-xql-api.md, last addendum).
 */
import { describe, expect, inject, it } from 'vitest';
import { ENV } from '../../lambda/config.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { DynamoStateStore } from '../../lambda/state/index.js';
import type { EventRow } from '../../local/xsiam/index.js';
import { localClient } from '../state/dynamo-support.js';
import { HOUR, MIN, T0, publishedPairs, wmicRow } from './harness.js';
import { lateRig } from './late-rig.js';

// One sweep over the whole horizon every run, unless a test asks for the two tiers.
const rig = lateRig({ [ENV.initialLookbackMinutes]: '120', [ENV.confirmTargets]: 'false', [ENV.lateSweepMinutes]: '0', [ENV.lateSweepRecentHours]: '72' });
const { events, runAt } = rig;

/** A wmic launch from `host` at `time` that reached XSIAM at `arrived`. */
function lateRow(time: number, arrived: number | string, host: string, target = 'fs09'): EventRow {
  return wmicRow(time, host, `wmic /node:"${target}" process call create "cmd.exe /c C:\\Users\\Public\\${host}.exe"`, { _insert_time: arrived });
}

const notifiedHosts = (): string[] => publishedPairs().map((p) => String(p.sourceHost)).sort();

describe('late and offline events through the handler', () => {
  it('notifies events that arrive 20 minutes and 30 hours late exactly once, by the next run that sweeps', async () => {
    const T = T0 + 7 * 24 * HOUR;
    await runAt(T);
    // Happened at T+12 min, arrived at T+32: the T+30 run's window could not see it yet, the
    // T+45 run's window starts at T+15 min (the checkpoint minus the overlap).
    events.push(lateRow(T + 12 * MIN, T + 32 * MIN, 'LAPTOP-20M'));
    // A laptop off the network for a day and a half: happened 29 h before T, arrived at T+50 min
    // (XSIAM's "… UTC" text form).
    events.push(lateRow(T - 29 * HOUR - 10 * MIN, new Date(T + 50 * MIN).toISOString().replace('T', ' ').replace('Z', '000 UTC'), 'LAPTOP-30H'));
    // Not arrived yet by any run here: never notified.
    events.push(lateRow(T - HOUR, T + 10 * HOUR, 'LAPTOP-AWAY'));

    const r15 = await runAt(T + 15 * MIN);
    const r30 = await runAt(T + 30 * MIN);
    expect(r15.notified + r30.notified).toBe(0);
    const r45 = await runAt(T + 45 * MIN);
    expect(r45).toMatchObject({ status: 'completed', notified: 1, lateSweeps: 1, latePairs: 1 });
    expect(notifiedHosts()).toEqual(['LAPTOP-20M']);
    const r60 = await runAt(T + 60 * MIN);
    expect(r60).toMatchObject({ notified: 1, lateSweeps: 1, latePairs: 1 });
    expect(r60.lateSweepDataHours).toBeGreaterThan(70);
    expect(r60.lateSweepQueryCost).toBeGreaterThan(0);
    expect(notifiedHosts()).toEqual(['LAPTOP-20M', 'LAPTOP-30H']);
    for (const at of [75, 90, 105]) expect((await runAt(T + at * MIN)).notified).toBe(0);
    expect(notifiedHosts()).toEqual(['LAPTOP-20M', 'LAPTOP-30H']);
    const late = publishedPairs().find((p) => p.sourceHost === 'LAPTOP-30H') as Record<string, unknown>;
    expect(late['arrivedLateMs']).toBe(30 * HOUR);
  });

  it('counts a pair already notified and read again by a sweep as a repeat', async () => {
    const T = T0 + 14 * 24 * HOUR;
    await runAt(T);
    events.push(lateRow(T + 5 * MIN, T + 6 * MIN, 'WS-ONTIME'));
    const first = await runAt(T + 15 * MIN);
    expect(first.notified).toBe(1);
    // The same launch again from that host, but its event arrived 40 minutes late.
    events.push(lateRow(T + 8 * MIN, T + 48 * MIN, 'WS-ONTIME'));
    // The late event has not arrived for these runs; after them the windows start past both events,
    // so at T+60 only the sweep reads the pair again.
    for (const at of [30, 45]) expect((await runAt(T + at * MIN)).notified).toBe(0);
    const swept = await runAt(T + 60 * MIN);
    expect(swept).toMatchObject({ lateSweeps: 1, repeats: 1, notified: 0 });
    expect(notifiedHosts()).toEqual(['WS-ONTIME']);
  });

  it('keeps the mark of a sweep that fails; the next sweep covers the same arrivals', async () => {
    const T = T0 + 21 * 24 * HOUR;
    await runAt(T);
    events.push(lateRow(T - 3 * HOUR, T + 20 * MIN, 'LAPTOP-RETRY'));
    const store = new DynamoStateStore({ client: localClient(inject('dynamoDbEndpoint')), tableName: rig.tableName() });
    const before = await store.readSweepMark(WMIC_REMOTE_EXEC.id, 'full');
    // The window's query goes through; the sweep's query is refused (a non-retryable 400).
    rig.xsiam().faults.add('start_xql_query', { delayMs: 0 });
    rig.xsiam().faults.add('start_xql_query', { status: 400 });
    await expect(runAt(T + 30 * MIN)).rejects.toThrow(/sweep|query/i);
    expect(await store.readSweepMark(WMIC_REMOTE_EXEC.id, 'full')).toEqual(before);
    expect(notifiedHosts()).toEqual([]);
    const next = await runAt(T + 45 * MIN);
    expect(next).toMatchObject({ notified: 1, lateSweeps: 1 });
    expect(notifiedHosts()).toEqual(['LAPTOP-RETRY']);
    expect((await store.readSweepMark(WMIC_REMOTE_EXEC.id, 'full'))?.arrivedUntil).toBe(T + 44 * MIN);
  });

  it('finds a 20-minute-late event by the frequent sweep and a 30-hour-late one by the full sweep when it is due', async () => {
    const T = T0 + 28 * 24 * HOUR;
    const tiers = { [ENV.lateSweepRecentHours]: '6', [ENV.lateSweepMinutes]: '0', [ENV.lateSweepFullMinutes]: '60' };
    await runAt(T, tiers);
    events.push(lateRow(T + 12 * MIN, T + 32 * MIN, 'LAPTOP-TIER-20M'));
    events.push(lateRow(T - 29 * HOUR - 10 * MIN, T + 35 * MIN, 'LAPTOP-TIER-30H'));
    for (const at of [15, 30]) expect((await runAt(T + at * MIN, tiers)).notified).toBe(0);
    // T+45: only the frequent sweep is due (6 h of _time before its arrivals): the 20-minute one.
    const r45 = await runAt(T + 45 * MIN, tiers);
    expect(r45).toMatchObject({ notified: 1, lateSweeps: 1 });
    expect(r45.lateSweepDataHours).toBeLessThan(8);
    expect(notifiedHosts()).toEqual(['LAPTOP-TIER-20M']);
    // T+60: the full sweep is due too (72 h before its arrivals): the 30-hour one, once.
    const r60 = await runAt(T + 60 * MIN, tiers);
    expect(r60).toMatchObject({ notified: 1, lateSweeps: 2 });
    expect(r60.lateSweepDataHours).toBeGreaterThan(72);
    expect(notifiedHosts()).toEqual(['LAPTOP-TIER-20M', 'LAPTOP-TIER-30H']);
    expect((await runAt(T + 75 * MIN, tiers)).notified).toBe(0);
  });

  it('narrows the frequent sweep, then puts it off, when the day\'s query units run short; each counted for the alarm', async () => {
    // One hour into a UTC day, so the day's units do not reset during the test.
    const T = Math.floor((T0 + 35 * 24 * HOUR) / (24 * HOUR)) * 24 * HOUR + HOUR;
    // The local XSIAM bills 0.001 a query with no rows (local/xsiam/server.ts): 1.5 queries' worth.
    const tight = { [ENV.lateSweepRecentHours]: '6', [ENV.lateSweepMinutes]: '0', [ENV.lateSweepFullMinutes]: '10080', [ENV.dailyQueryUnits]: '0.0015' };
    await runAt(T, tight);
    const whole = await runAt(T + 15 * MIN, tight);
    expect(whole).toMatchObject({ lateSweeps: 1, lateSweepsOverBudget: 0 });
    expect(whole.lateSweepDataHours).toBeGreaterThan(6);
    const narrowed = await runAt(T + 30 * MIN, tight);
    expect(narrowed).toMatchObject({ lateSweeps: 1, lateSweepsOverBudget: 1 });
    expect(narrowed.lateSweepDataHours).toBeGreaterThanOrEqual(1);
    expect(narrowed.lateSweepDataHours).toBeLessThan(4);
    const putOff = await runAt(T + 45 * MIN, tight);
    expect(putOff).toMatchObject({ status: 'completed', lateSweeps: 0, lateSweepsOverBudget: 1 });
  });
});

