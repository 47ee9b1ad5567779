/**
 * The incident items both adapters store and the read that follows host → incident → merged-into
 * (lambda/state/incidents.ts), over a table held as a Map the way the file store holds it. Issue 21's
 * survivors: a merged incident never takes a host's index, the most recent incident does, the
 * host keys are stored as planned, expired index and evidence items lead nowhere, merge links are
 * followed to the limit and no further, and the read costs one lookup per link.
 */
import { describe, expect, it } from 'vitest';
import { INCIDENT_NAME_MAX, hostKey, planIncidents, type Incident, type IncidentEvidence } from '../../lambda/incidents/index.js';
import { incidentItems, readIncidentsVia, type GetItems } from '../../lambda/state/incidents.js';
import { incidentEvidenceKey, incidentHostKey, incidentKey } from '../../lambda/state/keys.js';
import { epochSeconds } from '../../lambda/state/time.js';
import { HUNT, HOUR, MIN, T0, pair } from '../incidents/pairs.js';

const TTL = 7 * 24 * HOUR;

/** A table of items by pk, read through GetItems; every lookup's keys are kept. */
function table() {
  const items = new Map<string, Record<string, unknown>>();
  const lookups: string[][] = [];
  const get: GetItems = async (keys) => {
    lookups.push([...keys]);
    return new Map(keys.flatMap((k) => { const item = items.get(k); return item === undefined ? [] : [[k, item] as const]; }));
  };
  const put = (written: readonly Record<string, unknown>[]): void => { for (const item of written) items.set(item['pk'] as string, item); };
  return { items, lookups, get, put };
}

/** The incident a host's index item names. */
const indexed = (written: readonly Record<string, unknown>[], host: string): unknown => written.find((i) => i['pk'] === incidentHostKey(HUNT, host))?.['incidentId'];

/** An incident as planIncidents shapes it: one pair from the first host to the second, at `atMin`. */
function incident(id: string, hosts: readonly [string, string], atMin: number, mergedInto: string | null = null): Incident {
  const at = T0 + atMin * MIN;
  return {
    id, huntId: HUNT, chain: [...hosts], hosts: hosts.map(hostKey), pairCount: 1, severity: 'high', firstSeen: at, lastSeen: at, threadId: id, mergedInto,
    pairs: [{ fingerprint: `fp-${id}`, source: hosts[0], target: hosts[1], severity: 'high', riskScore: 80, firstSeen: at, lastSeen: at }],
  };
}

describe('incident items: the host index', () => {
  it('a merged incident takes no host, even when its last pair is as late as the one it went to', async () => {
    // WKS-2 → app01 at 30 min is the latest pair: the bridge at 20 min merges it into the older incident, both end at 30.
    const older = planIncidents(HUNT, [pair('WKS-1', 'fs01', 0)], [], HOUR);
    const newer = planIncidents(HUNT, [pair('WKS-2', 'app01', 30)], [], HOUR);
    const merged = planIncidents(HUNT, [pair('FS01', 'app01', 20)], [...older.incidents, ...newer.incidents], HOUR);
    const survivor = merged.changed.find((i) => i.mergedInto === null) as Incident;
    expect(merged.changed.map((i) => i.lastSeen)).toEqual([T0 + 30 * MIN, T0 + 30 * MIN]);
    const written = incidentItems(HUNT, merged.changed, T0 + 31 * MIN, TTL);
    expect(['wks-1', 'fs01', 'wks-2', 'app01'].map((h) => indexed(written, h))).toEqual([survivor.id, survivor.id, survivor.id, survivor.id]);
    const t = table();
    t.put(written);
    expect((await readIncidentsVia(t.get, HUNT, ['wks-2'], T0 + 32 * MIN)).map((i) => i.id)).toEqual([survivor.id]);
  });

  it('the most recent of two live incidents sharing a host takes it, in either order; on a tie the later one listed', () => {
    // fs01 in two incidents more than the gap apart: the 09:00 one and the 12:00 one.
    const morning = incident('INC-MORNING', ['WKS-1', 'fs01'], -180);
    const noon = incident('INC-NOON', ['WKS-2', 'fs01'], 0);
    expect(indexed(incidentItems(HUNT, [morning, noon], T0, TTL), 'fs01')).toBe('INC-NOON');
    expect(indexed(incidentItems(HUNT, [noon, morning], T0, TTL), 'fs01')).toBe('INC-NOON');
    // One millisecond apart the later wins wherever it is listed; at the same instant the later put wins.
    const justBefore = { ...noon, id: 'INC-JUST-BEFORE', lastSeen: noon.lastSeen - 1 };
    expect(indexed(incidentItems(HUNT, [noon, justBefore], T0, TTL), 'fs01')).toBe('INC-NOON');
    const sameInstant = { ...noon, id: 'INC-SAME-INSTANT' };
    expect(indexed(incidentItems(HUNT, [noon, sameInstant], T0, TTL), 'fs01')).toBe('INC-SAME-INSTANT');
    expect(indexed(incidentItems(HUNT, [sameInstant, noon], T0, TTL), 'fs01')).toBe('INC-NOON');
  });

  it('keeps the planned host key of a target longer than a chain name, so a later pair on it joins the incident', async () => {
    // wmic's /node:@file form (docs/reference/wmic-parsing.md): the file reference is the host, kept whole.
    const list = '@\\\\fs01.corp.example\\it-ops$\\inventory\\2031-q1\\remote-maintenance\\windows-servers\\patch-wave-3\\targets-for-process-call-create.txt';
    expect(list.length).toBeGreaterThan(INCIDENT_NAME_MAX);
    const first = planIncidents(HUNT, [pair('WKS-77', list, 0)], [], HOUR);
    const t = table();
    t.put(incidentItems(HUNT, first.changed, T0, TTL));
    const read = await readIncidentsVia(t.get, HUNT, [hostKey(list)], T0 + MIN);
    expect(read).toEqual(first.incidents);
    const later = planIncidents(HUNT, [pair('WKS-78', list, 5)], read, HOUR);
    expect(later.incidents.map((i) => [i.id, i.pairCount])).toEqual([[first.incidents[0]?.id, 2]]);
  });
});

describe('incident items: the read', () => {
  /** INC-A on WKS-1, merged into B, B into C, and so on: `links` merges, each written as a run would. */
  function mergeChain(links: number): { t: ReturnType<typeof table>; ids: string[] } {
    const ids = Array.from({ length: links + 1 }, (_, i) => `INC-${String.fromCharCode(65 + i)}`);
    const t = table();
    t.put(incidentItems(HUNT, [incident(ids[0] as string, ['WKS-1', 'fs01'], 0)], T0, TTL));
    for (let i = 1; i <= links; i++) {
      const from = incident(ids[i - 1] as string, [`WKS-${i}`, `fs0${i}`], i - 1, ids[i] as string);
      t.put(incidentItems(HUNT, [from, incident(ids[i] as string, [`WKS-${i + 1}`, `fs0${i + 1}`], i)], T0, TTL));
    }
    return { t, ids };
  }

  it('follows three merge links from a host, and not a fourth; one lookup per link', async () => {
    const three = mergeChain(3);
    expect((await readIncidentsVia(three.t.get, HUNT, ['wks-1'], T0 + HOUR)).map((i) => i.id)).toEqual(three.ids);
    expect(three.t.lookups.map((keys) => keys.length)).toEqual([1, 2, 2, 2, 2]);
    const four = mergeChain(4);
    expect((await readIncidentsVia(four.t.get, HUNT, ['wks-1'], T0 + HOUR)).map((i) => i.id)).toEqual(four.ids.slice(0, 4));
    expect(four.t.lookups).toHaveLength(5);
  });

  it('looks nothing up for no hosts, and stops when no host or link leads anywhere', async () => {
    const t = table();
    t.put(incidentItems(HUNT, [incident('INC-LIVE', ['WKS-1', 'fs01'], 0)], T0, TTL));
    expect(await readIncidentsVia(t.get, HUNT, [], T0)).toEqual([]);
    expect(t.lookups).toEqual([]);
    expect(await readIncidentsVia(t.get, HUNT, ['wks-9'], T0)).toEqual([]);
    expect(t.lookups).toEqual([[incidentHostKey(HUNT, 'wks-9')]]);
    // An index item without an incident id (not written by this version) leads to no second lookup.
    t.items.set(incidentHostKey(HUNT, 'wks-8'), { pk: incidentHostKey(HUNT, 'wks-8'), lastSeen: T0, expiresAt: epochSeconds(T0 + TTL) });
    expect(await readIncidentsVia(t.get, HUNT, ['wks-8'], T0)).toEqual([]);
    expect(t.lookups).toHaveLength(2);
    expect((await readIncidentsVia(t.get, HUNT, ['wks-1'], T0)).map((i) => i.id)).toEqual(['INC-LIVE']);
    expect(t.lookups.slice(2)).toEqual([[incidentHostKey(HUNT, 'wks-1')], [incidentKey(HUNT, 'INC-LIVE'), incidentEvidenceKey(HUNT, 'INC-LIVE')]]);
  });

  it('an index item past its expiresAt leads nowhere, though TTL has not deleted it yet; at its last second it still leads', async () => {
    const t = table();
    t.put(incidentItems(HUNT, [incident('INC-LIVE', ['WKS-1', 'fs01'], 0)], T0, TTL));
    const at = T0 + 2 * HOUR;
    const index = (expiresAt: number) => t.items.set(incidentHostKey(HUNT, 'wks-1'), { pk: incidentHostKey(HUNT, 'wks-1'), incidentId: 'INC-LIVE', lastSeen: T0, expiresAt });
    index(epochSeconds(at));
    expect((await readIncidentsVia(t.get, HUNT, ['wks-1'], at)).map((i) => i.id)).toEqual(['INC-LIVE']);
    index(epochSeconds(at) - 1);
    expect(await readIncidentsVia(t.get, HUNT, ['wks-1'], at)).toEqual([]);
  });

  it('an incident item that names another hunt is not handed back as this hunt\'s', async () => {
    const t = table();
    t.put(incidentItems(HUNT, [incident('INC-LIVE', ['WKS-1', 'fs01'], 0)], T0, TTL));
    t.items.set(incidentKey(HUNT, 'INC-LIVE'), { ...t.items.get(incidentKey(HUNT, 'INC-LIVE')), huntId: 'HuntQuery-Windows-PsExec' });
    expect(await readIncidentsVia(t.get, HUNT, ['wks-1'], T0)).toEqual([]);
  });

  it('attaches live evidence, and not an evidence item past its expiresAt that TTL has not deleted yet', async () => {
    // Evidence recorded at T0 for 7 days; the incident rewritten on day 5 lives to day 12.
    const entry: IncidentEvidence = {
      huntId: 'HuntQuery-Target', fingerprint: 't1', pairFingerprint: 'fp-INC-LIVE', host: 'FS01', commandLine: 'cmd.exe /c whoami', eventIds: ['e1'], firstSeen: T0, lastSeen: T0,
    };
    const t = table();
    t.put(incidentItems(HUNT, [incident('INC-LIVE', ['WKS-1', 'fs01'], 0)], T0 + 5 * 24 * HOUR, TTL));
    t.items.set(incidentEvidenceKey(HUNT, 'INC-LIVE'), { pk: incidentEvidenceKey(HUNT, 'INC-LIVE'), entries: [entry], expiresAt: epochSeconds(T0 + TTL) });
    expect((await readIncidentsVia(t.get, HUNT, ['wks-1'], T0 + TTL))[0]?.evidence).toEqual([entry]);
    const [late] = await readIncidentsVia(t.get, HUNT, ['wks-1'], T0 + TTL + 1000);
    expect(late?.id).toBe('INC-LIVE');
    expect(late?.evidence).toBeUndefined();
  });
});
