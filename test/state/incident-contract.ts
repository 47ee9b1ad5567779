/**
 * Incident items, the part of the StateStore contract both adapters must show (called from
 * contract.ts): stored incidents come back by their hosts, merged ones lead to where they went,
 * expired ones are gone, and bad input is refused by name.
 */
import { expect, it } from 'vitest';
import { hostKey, planIncidents, type Incident, type PairInput } from '../../lambda/incidents/index.js';
import type { StateStore } from '../../lambda/ports.js';
import { StateInputError } from '../../lambda/state/index.js';
import { DAY, MINUTE, T0, freshHuntId } from '../fixtures/state/findings.js';

const GAP = 60 * MINUTE;
const TTL = 7 * DAY;

const pair = (fingerprint: string, source: string, target: string, atMin: number): PairInput => ({
  fingerprint, sourceHost: source, targetHost: target, severity: 'high', riskScore: 80, firstSeen: T0 + atMin * MINUTE, lastSeen: T0 + atMin * MINUTE,
});

export function incidentContract(store: () => StateStore): void {
  it('stores incidents and finds them again by any host of their chain, in any spelling', async () => {
    const hunt = freshHuntId();
    const plan = planIncidents(hunt, [pair('f1', 'WKS-77', 'fs01', 0), pair('f2', 'FS01', 'dc01', 5), pair('f3', 'WKS-9', 'app01', 1)], [], GAP);
    await store().writeIncidents(hunt, plan.changed, T0, TTL);
    const byDc = await store().readIncidents(hunt, [hostKey('DC01.corp.example')], T0 + MINUTE);
    expect(byDc).toEqual([plan.incidents[0]]);
    const both = await store().readIncidents(hunt, ['wks-77', 'app01', 'nobody'], T0 + MINUTE);
    expect(both.map((i) => i.id).sort()).toEqual(plan.incidents.map((i) => i.id).sort());
    expect(await store().readIncidents(freshHuntId(), ['wks-77'], T0)).toEqual([]);
  });

  it('hands back a merged incident with the one it went to, and forgets expired incidents', async () => {
    const hunt = freshHuntId();
    const older = planIncidents(hunt, [pair('o1', 'WKS-1', 'fs01', 0)], [], GAP);
    const newer = planIncidents(hunt, [pair('n1', 'WKS-2', 'app01', 10)], [], GAP);
    await store().writeIncidents(hunt, [...older.changed, ...newer.changed], T0, TTL);
    const merged = planIncidents(hunt, [pair('b1', 'FS01', 'app01', 20)], [...older.incidents, ...newer.incidents], GAP);
    await store().writeIncidents(hunt, merged.changed, T0 + MINUTE, TTL);
    // Only WKS-2's host is asked for: its index still names the merged id, which leads to the older one.
    const read = await store().readIncidents(hunt, ['wks-2'], T0 + 2 * MINUTE);
    const live = read.filter((i: Incident) => i.mergedInto === null);
    expect(live.map((i) => [i.id, i.chain])).toEqual([[older.incidents[0]?.id, ['WKS-1', 'FS01', 'WKS-2', 'app01']]]);
    expect(await store().readIncidents(hunt, ['wks-1'], T0 + MINUTE + TTL + 2_000)).toEqual([]);
  });

  it('refuses malformed incident calls by name before writing anything', async () => {
    const hunt = freshHuntId();
    await expect(store().readIncidents('bad#hunt', ['a'], T0)).rejects.toThrow(StateInputError);
    await expect(store().readIncidents(hunt, [''], T0)).rejects.toThrow(/hosts/);
    const plan = planIncidents(hunt, [pair('f1', 'A', 'b', 0)], [], GAP);
    await expect(store().writeIncidents(hunt, plan.changed, T0, 0)).rejects.toThrow(/ttlMs/);
    await expect(store().writeIncidents(freshHuntId(), plan.changed, T0, TTL)).rejects.toThrow(/huntId/);
    expect(await store().readIncidents(hunt, ['a'], T0)).toEqual([]);
  });
}
