/**
 * A late pair's confirmation through the Lambda handler: the target's WmiPrvSE child happened
 * beside the source's launch, hours before the run that finds the pair, so the confirmation query
 * covers the launch's time, not the run's window. A laptop off the network uploads its events
 * hours after they happened; XSIAM stamps them `_insert_time` on arrival
 * (docs/reference/xsiam-xql-api.md, last addendum).
 */
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/config.js';
import { AGENTS, child } from '../confirm/fixture.js';
import { HOUR, MIN, T0, publishedPairs, wmicRow } from './harness.js';
import { lateRig } from './late-rig.js';

const PAYLOAD = 'cmd.exe /c C:\\Users\\Public\\update.exe';
// One sweep over the whole horizon every run (the two tiers are tested in late-arrival.test.ts).
const rig = lateRig({ [ENV.initialLookbackMinutes]: '120', [ENV.confirmTargets]: 'true', [ENV.lateSweepMinutes]: '0', [ENV.lateSweepRecentHours]: '72' });

/** A wmic launch from `host` to `target` at `time`, uploaded at `arrived`. */
const launch = (time: number, arrived: number, host: string, target: string) =>
  wmicRow(time, host, `wmic /node:"${target}" process call create "${PAYLOAD}"`, { _insert_time: arrived });

const statusOf = (host: string): unknown => (publishedPairs().find((p) => p.sourceHost === host)?.['confirmation'] as { status?: string } | null)?.status;

describe('confirming pairs found late, through the handler', () => {
  it('confirms a pair 30 hours late and one 2 hours late, each at its own time, in one sweep', async () => {
    const T = T0 + 28 * 24 * HOUR;
    await rig.runAt(T);
    const long = T - 30 * HOUR;
    const short = T - 2 * HOUR;
    rig.events.push(
      launch(long, T + 20 * MIN, 'LAPTOP-30H', 'fs01'),
      launch(short, T + 20 * MIN, 'LAPTOP-2H', 'sql01'),
      // The targets were on the network: WmiPrvSE.exe started the payload 40 s after each launch, on time.
      child(AGENTS.fs01, long + 40_000, PAYLOAD),
      child(AGENTS.sql01, short + 40_000, PAYLOAD),
    );
    const swept = await rig.runAt(T + 30 * MIN);
    expect(swept).toMatchObject({ status: 'completed', notified: 2, latePairs: 2, confirmed: 2, confirmQueries: 2 });
    expect([statusOf('LAPTOP-30H'), statusOf('LAPTOP-2H')]).toEqual(['confirmed', 'confirmed']);
  });

  it('confirms an on-time pair by its own query beside a late one', async () => {
    const T = T0 + 29 * 24 * HOUR;
    await rig.runAt(T);
    const now = T + 30 * MIN;
    rig.events.push(
      launch(T + 10 * MIN, T + 10 * MIN, 'WS-ONTIME', 'fs01'),
      child(AGENTS.fs01, T + 10 * MIN + 3_000, PAYLOAD),
      launch(T - 26 * HOUR, T + 15 * MIN, 'LAPTOP-26H', 'sql01'),
      child(AGENTS.sql01, T - 26 * HOUR + 5_000, PAYLOAD),
    );
    const run = await rig.runAt(now);
    expect(run).toMatchObject({ notified: 2, confirmed: 2 });
    expect([statusOf('WS-ONTIME'), statusOf('LAPTOP-26H')]).toEqual(['confirmed', 'confirmed']);
  });
});

describe('a pair whose target evidence arrives late, through the handler', () => {
  it('gets exactly one follow-up, from the first sweep after the evidence arrives hours later', async () => {
    const T = T0 + 30 * 24 * HOUR;
    await rig.runAt(T);
    const away = T - 5 * HOUR;
    const evidenceAt = T + 3 * HOUR;
    rig.events.push(
      // Both targets report to XSIAM (on time), so a missing child is `not-seen`.
      { ...child(AGENTS.fs01, T - HOUR, 'C:\\Windows\\System32\\svchost.exe -k netsvcs'), actor_process_image_name: 'services.exe' },
      { ...child(AGENTS.sql01, T - 6 * HOUR, 'C:\\Windows\\System32\\svchost.exe -k netsvcs'), actor_process_image_name: 'services.exe' },
      // An on-time launch, and a laptop's launch 5 hours before it uploaded.
      launch(T + 5 * MIN, T + 5 * MIN, 'WS-A', 'fs01'),
      launch(away, T + 20 * MIN, 'LAPTOP-5H', 'sql01'),
      // The targets' WmiPrvSE children, uploaded three hours after the run that notifies.
      { ...child(AGENTS.fs01, T + 5 * MIN + 4_000, PAYLOAD, { event_id: 'late-evt-fs01' }), _insert_time: evidenceAt },
      { ...child(AGENTS.sql01, away + 4_000, PAYLOAD, { event_id: 'late-evt-sql01' }), _insert_time: evidenceAt },
    );
    expect(await rig.runAt(T + 30 * MIN)).toMatchObject({ notified: 2, notSeen: 2, followUps: 0 });
    for (const at of [T + 45 * MIN, T + 90 * MIN, evidenceAt - 10 * MIN]) expect((await rig.runAt(at)).followUps).toBe(0);
    const after = await rig.runAt(evidenceAt + 15 * MIN);
    expect(after).toMatchObject({ followUps: 2, notified: 0 });
    for (const at of [evidenceAt + 30 * MIN, evidenceAt + 2 * HOUR]) expect((await rig.runAt(at)).followUps).toBe(0);

    const updates = publishedPairs().filter((p) => p['followUp'] === true);
    expect(updates.map((u) => [u.sourceHost, (u['confirmation'] as { eventId: string }).eventId]).sort()).toEqual([
      ['LAPTOP-5H', 'late-evt-sql01'], ['WS-A', 'late-evt-fs01'],
    ]);
    expect(updates.find((u) => u.sourceHost === 'LAPTOP-5H')?.['arrivedLateMs']).toBe(5 * HOUR + 20 * MIN);
  });
});
