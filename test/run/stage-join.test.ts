/**
 * The join stage on its own (stages/join.ts), through its ports: which target-side findings a
 * stored wmic pair explains (held as that pair's evidence, never notified on their own), which
 * incident they join, what is written to the incident and the awaiting list, and the one
 * late-evidence follow-up a `not-seen` pair now earns. Findings come from the real detectors
 * (rows shaped like XDR PROCESS_START events, as in test/hunts/wmi-target-join.test.ts); the
 * state store and notifier are scripted fakes recording what the stage asks of them.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import { DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import type { Finding, TrackedFinding } from '../../lambda/finding.js';
import type { Incident, IncidentEvidence } from '../../lambda/incidents/index.js';
import { EMBEDDED_HUNTS, huntById } from '../../lambda/modules/index.js';
import type { Log, Notifier, StateStore } from '../../lambda/ports.js';
import type { RunContext } from '../../lambda/run/context.js';
import { applyJoins, explainByPairs, pairExplains, type Join } from '../../lambda/run/stages/join.js';

const T = Date.UTC(2026, 10, 28, 3, 0, 0);
const MIN = 60_000;
const WMIC = huntById(EMBEDDED_HUNTS, 'HuntQuery-Windows-WMIC-RemoteExec');
const TARGET_SIDE = huntById(EMBEDDED_HUNTS, 'HuntQuery-Windows-WMI-RemoteExec-TargetSide');
const REMOTE = 'cmd.exe /c copy \\\\dc01\\c$\\ntds.dit C:\\Windows\\Temp\\n.dit';
const WINDOW = { from: T - 60 * MIN, to: T + 60 * MIN };
const TOTALS = { findings: 1, newPairs: 0, repeats: 0, suppressed: 1 };
const row = { event_type: 'PROCESS', event_sub_type: 'PROCESS_START', agent_os_type: 'AGENT_OS_WINDOWS', _product: 'XDR agent', actor_effective_username: 'CORP\\adm-k' };

/** A stored wmic pair `source` → `target`, launched at `at`, notified `not-seen` five minutes later unless `sent` says otherwise. */
function pair(at: number, target = 'fs03', sent: TrackedFinding['sent'] = { notifiedAt: at + 5 * MIN, confirmation: 'not-seen', followUpSent: null }, source = 'WS01'): TrackedFinding {
  const launch = {
    ...row, _time: at, event_id: `w-${at}`, agent_hostname: source, action_process_image_name: 'wmic.exe', actor_process_image_name: 'cmd.exe',
    action_process_image_command_line: `wmic.exe /node:${target} process call create "${REMOTE}"`,
  };
  const [f] = WMIC.detector(DEFAULT_ALLOWLIST)([launch], at).findings;
  return { ...f!, count: 1, status: 'NOTIFIED', sent };
}

/** The WmiPrvSE.exe child the target's agent reports at `at`. */
function child(at: number, host = 'FS03', eventId = 'c1'): Finding {
  const started = {
    ...row, _time: at, event_id: eventId, agent_hostname: host, action_process_image_name: 'cmd.exe', action_process_image_command_line: REMOTE,
    actor_process_image_name: 'WmiPrvSE.exe', actor_process_command_line: 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding',
  };
  return TARGET_SIDE.detector(DEFAULT_ALLOWLIST)([started], at).findings[0]!;
}

const incident = (id: string, pairs: readonly TrackedFinding[], mergedInto: string | null = null): Incident => ({
  id, huntId: WMIC.card.id, chain: ['WS01', 'fs03'], hosts: ['ws01', 'fs03'],
  pairs: pairs.map((f) => ({ fingerprint: f.fingerprint, source: f.sourceHost, target: f.targetHost, severity: f.severity, riskScore: f.riskScore, firstSeen: f.firstSeen, lastSeen: f.lastSeen })),
  pairCount: pairs.length, severity: 'high', firstSeen: T, lastSeen: T, threadId: `thread-${id}`, mergedInto,
});

interface Calls {
  incidents: { huntId: string; hosts: readonly string[] }[];
  pairs: (readonly string[])[];
  evidence: { huntId: string; incidentId: string; evidence: readonly IncidentEvidence[]; ttlMs: number }[];
  awaiting: { huntId: string; remove: readonly string[] }[];
  published: TrackedFinding[];
  warnings: string[];
}
let calls: Calls;
beforeEach(() => {
  calls = { incidents: [], pairs: [], evidence: [], awaiting: [], published: [], warnings: [] };
});

/** A store holding `incidents` and `stored` pairs (returned in the order given). */
function store(incidents: readonly Incident[], stored: readonly TrackedFinding[], awaitingFails = false): StateStore {
  return {
    readIncidents: async (huntId: string, hosts: readonly string[]) => { calls.incidents.push({ huntId, hosts }); return [...incidents]; },
    readPairs: async (_h: string, fps: readonly string[]) => { calls.pairs.push(fps); return stored.filter((p) => fps.includes(p.fingerprint)); },
    recordIncidentEvidence: async (huntId: string, incidentId: string, evidence: readonly IncidentEvidence[], _now: number, ttlMs: number) => {
      calls.evidence.push({ huntId, incidentId, evidence, ttlMs });
    },
    updateAwaiting: async (huntId: string, change: { remove: readonly string[] }) => {
      if (awaitingFails) throw new Error('ProvisionedThroughputExceededException');
      calls.awaiting.push({ huntId, remove: change.remove });
    },
    claimFollowUps: async (_h: string, fps: readonly string[]) => [...fps],
  } as unknown as StateStore;
}

const notifier: Notifier = {
  publish: async (findings) => {
    calls.published.push(...findings);
    return { delivered: findings.map((f) => f.fingerprint), failed: [], messages: findings.length, digest: false };
  },
};
const log: Log = { debug() {}, info() {}, error() {}, warn: (message) => calls.warnings.push(message) };

function context(state: StateStore, options: { publish?: boolean; stormLimit?: number; pairJoin?: boolean } = {}): RunContext {
  return {
    ports: {
      clock: { now: () => T + 30 * MIN }, log, state, notifier,
      ...(options.pairJoin === false ? {} : { pairJoin: TARGET_SIDE.pairJoin }),
    } as unknown as RunContext['ports'],
    request: {
      hunt: TARGET_SIDE.card, runId: 'run-1', deadline: T + 40 * MIN,
      settings: { ...defaultRunSettings(), dedupeWindowMs: 2 * 60 * MIN, incidentGapMs: 60 * MIN, stormLimit: options.stormLimit ?? 25 },
    },
    flags: { window: null, advancesCheckpoint: true, publish: options.publish ?? true },
  };
}

describe('pairExplains: the confirmation window, edge by edge', () => {
  it('holds an event from one minute before the first launch to five minutes after the last, to the millisecond', () => {
    const p = pair(T);
    expect(pairExplains(p, child(T - MIN))).toBe(true);
    expect(pairExplains(p, child(T - MIN - 1))).toBe(false);
    expect(pairExplains(p, child(T + 5 * MIN))).toBe(true);
    expect(pairExplains(p, child(T + 5 * MIN + 1))).toBe(false);
  });
});

describe('explainByPairs: a child a stored pair explains is that pair\'s evidence', () => {
  it('holds the child with the pair\'s reason, names the incident, and counts it', async () => {
    const p = pair(T);
    const c = child(T + 2 * MIN);
    const out = await explainByPairs(context(store([incident('INC-1', [p])], [p])), [c], T + 30 * MIN);
    expect(calls.incidents).toEqual([{ huntId: WMIC.card.id, hosts: ['fs03'] }]);
    expect(calls.pairs).toEqual([[p.fingerprint]]);
    expect(out.counts).toEqual({ joinedEvidence: 1 });
    expect(out.joins).toEqual([{ finding: c, pair: p, incidentId: 'INC-1' }]);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]!.suppressed).toMatchObject({ entryId: 'wmic-pair', owner: WMIC.card.id });
    expect(out.findings[0]!.suppressed!.reason).toContain('(incident INC-1)');
  });

  it('reads nothing when there is no finding, no join port, or no incident on the findings\' hosts, and keeps the findings', async () => {
    const p = pair(T);
    const c = child(T + 2 * MIN);
    expect(await explainByPairs(context(store([incident('INC-1', [p])], [p])), [], T)).toEqual({ findings: [], joins: [], counts: {} });
    expect(await explainByPairs(context(store([incident('INC-1', [p])], [p]), { pairJoin: false }), [c], T)).toEqual({ findings: [c], joins: [], counts: {} });
    expect(calls.incidents).toEqual([]);
    // The only incident lists a pair on another target: nothing to read, the child stays a finding of its own.
    const elsewhere = pair(T, 'fs04');
    expect(await explainByPairs(context(store([incident('INC-2', [elsewhere])], [elsewhere])), [c], T)).toEqual({ findings: [c], joins: [], counts: {} });
    expect(calls.pairs).toEqual([]);
  });

  it('reads only the pairs on the findings\' hosts, at most 500, and joins the earliest pair that explains the child', async () => {
    const early = pair(T);
    const later = pair(T + 2 * MIN, 'fs03', undefined, 'WS02');
    const elsewhere = pair(T, 'fs04');
    const c = child(T + 3 * MIN);
    // The store returns the later pair first: the stage sorts by first launch.
    const out = await explainByPairs(context(store([incident('INC-1', [later, early, elsewhere])], [later, early])), [c], T + 30 * MIN);
    expect(calls.pairs).toEqual([[later.fingerprint, early.fingerprint]]);
    expect(out.joins.map((j) => j.pair.fingerprint)).toEqual([early.fingerprint]);

    const many = Array.from({ length: 501 }, (_, i) => ({ ...early, fingerprint: `fp-${i}` }));
    await explainByPairs(context(store([incident('INC-3', many)], [])), [c], T + 30 * MIN);
    expect(calls.pairs[1]).toHaveLength(500);
  });

  it('an allowlist entry keeps its own word; the pair hunt\'s in-run explanation gives way to the stored pair\'s', async () => {
    const p = pair(T);
    const allowlisted = { ...child(T + MIN), suppressed: { entryId: 'al-7', owner: 'soc@corp.example', expires: '2027-01-01', reason: 'backup job' } };
    const inRun = { ...child(T + MIN), suppressed: { entryId: 'wmic-launch', owner: WMIC.card.id, expires: '9999-12-31', reason: 'the wmic launch in this run' } };
    const out = await explainByPairs(context(store([incident('INC-1', [p])], [p])), [allowlisted, inRun], T + 30 * MIN);
    expect(out.joins).toHaveLength(2);
    expect(out.findings[0]!.suppressed).toEqual(allowlisted.suppressed);
    expect(out.findings[1]!.suppressed).toMatchObject({ entryId: 'wmic-pair' });
  });

  it('a merged incident\'s pairs join the incident it went to, four hops at most, and a merge cycle ends', async () => {
    const p = pair(T);
    const c = child(T + MIN);
    const chain = [incident('A1', [p], 'A2'), incident('A2', [], 'A3'), incident('A3', [], 'A4'), incident('A4', [], 'A5'), incident('A5', [], 'A6'), incident('A6', [])];
    expect((await explainByPairs(context(store(chain, [p])), [c], T)).joins[0]!.incidentId).toBe('A5');
    expect((await explainByPairs(context(store(chain.slice(0, 2).concat(incident('A3', [])), [p])), [c], T)).joins[0]!.incidentId).toBe('A3');
    const cycle = [incident('B1', [p], 'B2'), incident('B2', [], 'B1')];
    expect((await explainByPairs(context(store(cycle, [p])), [c], T)).joins[0]!.incidentId).toBe('B1');
  });
});

describe('applyJoins: evidence on the incident, and the late follow-up', () => {
  const joined = (p: TrackedFinding, c: Finding, incidentId = 'INC-1'): Join => ({ finding: c, pair: p, incidentId });

  it('records every joined child on its incident, with the longer of dedupe window and incident gap as its life', async () => {
    const p = pair(T, 'fs03', { notifiedAt: T, confirmation: 'confirmed', followUpSent: null });
    const joins = [joined(p, child(T + MIN, 'FS03', 'c1')), joined(p, child(T + 2 * MIN, 'FS03', 'c2')), joined(p, child(T + 3 * MIN, 'FS03', 'c3'), 'INC-2')];
    expect(await applyJoins(context(store([], [])), WINDOW, joins, TOTALS)).toEqual({ counts: {} });
    expect(calls.evidence.map((e) => [e.huntId, e.incidentId, e.evidence.map((x) => x.eventIds[0]), e.ttlMs]))
      .toEqual([[WMIC.card.id, 'INC-1', ['c1', 'c2'], 120 * MIN], [WMIC.card.id, 'INC-2', ['c3'], 120 * MIN]]);
    expect(calls.evidence[0]!.evidence[0]).toMatchObject({ pairFingerprint: p.fingerprint, host: 'FS03', huntId: TARGET_SIDE.card.id });
    // A pair its notification already confirmed gets no follow-up, and the awaiting list is left alone.
    expect(calls.published).toEqual([]);
    expect(calls.awaiting).toEqual([]);
  });

  it('writes nothing in a shadow run or with no joins', async () => {
    const p = pair(T);
    expect(await applyJoins(context(store([], []), { publish: false }), WINDOW, [joined(p, child(T + MIN))], TOTALS)).toEqual({ counts: {} });
    expect(await applyJoins(context(store([], [])), WINDOW, [], TOTALS)).toEqual({ counts: {} });
    expect(calls).toMatchObject({ evidence: [], published: [], awaiting: [] });
  });

  it('a not-seen pair gets one follow-up, confirmed by the child, and leaves the awaiting list', async () => {
    const p = pair(T);
    const c = child(T + 2 * MIN);
    const out = await applyJoins(context(store([], [])), WINDOW, [joined(p, c), joined(p, child(T + 3 * MIN, 'FS03', 'c2'))], TOTALS);
    expect(out.counts).toEqual({ followUps: 1, messages: 1 });
    expect(calls.published).toHaveLength(1);
    const sent = calls.published[0]!;
    expect(sent).toMatchObject({ fingerprint: p.fingerprint, followUp: true, incidentId: 'INC-1' });
    expect(sent.confirmation).toMatchObject({ status: 'confirmed', target: 'fs03', eventId: 'c1', agentHostname: 'FS03', process: 'cmd.exe' });
    expect(sent.confirmation!.detail).toBe(`WmiPrvSE.exe started cmd.exe on FS03 at 2026-11-28T03:02:00Z (event c1), found by the hunt "${TARGET_SIDE.card.title}".`);
    expect(calls.awaiting).toEqual([{ huntId: WMIC.card.id, remove: [p.fingerprint] }]);
  });

  it('a child without parent, image or event id still reads as a sentence', async () => {
    const p = pair(T);
    const bare = { ...child(T + 2 * MIN), parentImage: null, imageName: null, eventIds: [] };
    await applyJoins(context(store([], [])), WINDOW, [joined(p, bare)], TOTALS);
    expect(calls.published[0]!.confirmation!.detail)
      .toBe(`The target started the remote command on FS03 at 2026-11-28T03:02:00Z (event unknown), found by the hunt "${TARGET_SIDE.card.title}".`);
  });

  it('at most the storm limit leave the awaiting list; a failed update warns and the run goes on', async () => {
    const a = pair(T);
    const b = pair(T, 'fs05');
    const joins = [joined(a, child(T + MIN)), joined(b, child(T + MIN, 'FS05'))];
    expect((await applyJoins(context(store([], []), { stormLimit: 1 }), WINDOW, joins, TOTALS)).counts).toEqual({ followUps: 1, messages: 1 });
    expect(calls.awaiting).toEqual([{ huntId: WMIC.card.id, remove: [a.fingerprint] }]);

    expect((await applyJoins(context(store([], [], true)), WINDOW, joins, TOTALS)).counts).toEqual({ followUps: 2, messages: 2 });
    expect(calls.warnings).toHaveLength(1);
  });
});
