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
const rig = lateRig({ [ENV.initialLookbackMinutes]: '120', [ENV.confirmTargets]: 'true', [ENV.lateSweepMinutes]: '0' });

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
