/**
 * History through whole runs on DynamoDB Local: the reasons decide what is notified (applied before
 * select), the sightings of every pair are recorded after it, and the requests history adds per
 * chunk are a fixed handful however many pairs the chunk holds (no per-pair round trips).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayOf, targetHash } from '../../lambda/history/index.js';
import { HOUR, MIN, T0, wmicRow } from '../integration/harness.js';
import { HUNT_ID, ScriptedSns, startRig, type Rig } from './rig.js';

const GPUPDATE = (target: string) => `wmic /node:"${target}" process call create "gpupdate.exe /target:computer /force"`;
const ENCODED = (target: string) => `wmic /node:"${target}" process call create "powershell.exe -NoP -enc SQBFAFgA"`;
const TODAY = dayOf(T0 - 6 * MIN);

let rig: Rig;
let sns: ScriptedSns;
beforeEach(async () => {
  rig = await startRig();
  sns = new ScriptedSns();
  sns.install();
});
afterEach(async () => rig.close());

/** Ten earlier days of the admin host's routine, and 14 days covered. */
async function seedRoutine(): Promise<void> {
  const days = Array.from({ length: 14 }, (_, i) => TODAY - 14 + i);
  await rig.ports.state.recordHistory(HUNT_ID, {
    coveredDays: days, keepDays: 45,
    sightings: [{ kind: 'host', name: 'it-adm-01', days: days.slice(4), targets: ['ws-1', 'ws-2'].map(targetHash) }],
  }, T0 - 2 * HOUR);
}

const requests = (phase: string): Record<string, number> =>
  Object.fromEntries([...rig.faults.seen].filter(([k]) => k.startsWith(`${phase}:`)).map(([k, n]) => [k.slice(phase.length + 1), n]));

describe('history in a run', () => {
  it("notifies the intruder's first pair and not the routine admin's gpupdate; records both; the encoded launch from the routine host still goes out", async () => {
    await seedRoutine();
    rig.events.push(
      wmicRow(T0 - 50 * MIN, 'IT-ADM-01', GPUPDATE('ws-eng-004'), { actor_effective_username: 'CORP\\adm.jlee' }),
      wmicRow(T0 - 40 * MIN, 'IT-ADM-01', ENCODED('ws-eng-005'), { actor_effective_username: 'CORP\\adm.jlee', actor_process_image_name: 'CcmExec.exe', actor_process_image_path: 'C:\\Windows\\CCM\\CcmExec.exe' }),
      wmicRow(T0 - 30 * MIN, 'WS-FIN-023', GPUPDATE('fs01')),
    );
    const summary = await rig.run();
    expect(summary).toMatchObject({ status: 'completed', findings: 3, newPairs: 3, notified: 2, belowMinSeverity: 1, firstSources: 1, routineSources: 1, historyWarmingUp: 0 });
    expect(summary.history).toMatchObject({ warmingUp: false, coveredDays: 14 });
    const sent = sns.entries().map(({ doc }) => doc as { sourceHost: string; targetHost: string; riskScore: number; severity: string; reasons: { code: string }[] });
    const bySource = new Map(sent.map((d) => [`${d.sourceHost}→${d.targetHost}`, d]));
    expect([...bySource.keys()].sort()).toEqual(['IT-ADM-01→ws-eng-005', 'WS-FIN-023→fs01']);
    expect(bySource.get('WS-FIN-023→fs01')).toMatchObject({ riskScore: 95, severity: 'critical' });
    // 85 + 5 + 10 − 25 = 75 (high); routine would take it to 55: the encoded payload keeps it high.
    expect(bySource.get('IT-ADM-01→ws-eng-005')).toMatchObject({ riskScore: 70, severity: 'high' });
    expect(bySource.get('IT-ADM-01→ws-eng-005')!.reasons.map((r) => r.code)).toContain('history.routine-source');

    const after = await rig.ports.state.readHistory(HUNT_ID, { hosts: ['it-adm-01', 'ws-fin-023'], users: ['corp\\adm.jlee'] }, rig.clock.now);
    expect(after.hosts.get('ws-fin-023')?.days).toEqual([TODAY]);
    expect(after.hosts.get('it-adm-01')?.days.at(-1)).toBe(TODAY);
    expect(after.hosts.get('it-adm-01')?.targetCount).toBe(4);
    expect(after.users.get('corp\\adm.jlee')?.targetCount).toBe(2);
    expect(after.coveredDays.at(-1)).toBe(TODAY);
  });

  it('takes the same few DynamoDB requests for 1 pair and for 240 pairs from 80 sources (one read, one read-and-write per chunk)', async () => {
    await seedRoutine();
    rig.faults.seen.clear();
    rig.events.push(wmicRow(T0 - 50 * MIN, 'WS-1', GPUPDATE('srv-1')));
    await rig.run();
    const small = { read: requests('readHistory'), write: requests('recordHistory') };

    rig.faults.seen.clear();
    rig.clock.now = T0 + 30 * MIN;
    for (let i = 0; i < 240; i++) rig.events.push(wmicRow(T0 + (i % 20) * 30_000, `WS-${i % 80}`, GPUPDATE(`srv-${i}`), { actor_effective_username: `CORP\\u${i % 80}` }));
    const big = await rig.run();
    expect(big).toMatchObject({ status: 'completed', findings: 240, chunks: 1 });
    // 80 hosts + 80 users + coverage = 161 keys: two BatchGetItem of 100, however the pairs fall.
    expect(requests('readHistory')).toEqual({ BatchGetItem: 2 });
    expect(requests('recordHistory')).toEqual({ BatchGetItem: 2, TransactWriteItems: 2 });
    expect(small).toEqual({ read: { BatchGetItem: 1 }, write: { BatchGetItem: 1, TransactWriteItems: 1 } });
  });
});
