/**
 * Three small stages on their own: detect (what ops are warned of and what the summary counts),
 * select (suppressed pairs are counted as suppressed, not held) and incidents (a pair joins the open
 * incident the store holds for its hosts; incidents are kept as long as the dedupe records).
 * The detector and the state store are scripted; they record what they were asked.
 */
import { describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { hostKey, type Incident } from '../../lambda/incidents/index.js';
import type { DetectionResult, Log, RowProblem, RunSettings, StateStore } from '../../lambda/ports.js';
import type { RunContext } from '../../lambda/run/context.js';
import { LOGGED_PROBLEMS_LIMIT } from '../../lambda/run/limits.js';
import { detect } from '../../lambda/run/stages/detect.js';
import { incidents } from '../../lambda/run/stages/incidents.js';
import { select } from '../../lambda/run/stages/select.js';
import { makeFinding, T0 } from '../fixtures/notify/findings.js';

const HUNT = WMIC_REMOTE_EXEC.id;
const MIN = 60_000;

let warnings: { message: string; extra?: Record<string, unknown> }[] = [];
const log: Log = { debug() {}, info() {}, error() {}, warn: (message, extra) => warnings.push({ message, extra }) };

function context(ports: Record<string, unknown>, settings: Partial<RunSettings> = {}): RunContext {
  warnings = [];
  return {
    ports: { clock: { now: () => T0 }, log, ...ports } as unknown as RunContext['ports'],
    request: { hunt: WMIC_REMOTE_EXEC, settings: { ...defaultRunSettings(), ...settings }, runId: 'run-1', deadline: T0 + 10 * MIN },
    flags: { window: null, advancesCheckpoint: true, publish: true },
  };
}

describe('detect', () => {
  const detector = (result: Partial<DetectionResult>) => (): DetectionResult =>
    ({ findings: [], dismissed: 0, problems: [], expiredAllowlistEntries: [], ...result });
  /** A row the detector could not parse: wmic's /node: list cut off mid-quote. */
  const problem = (i: number): RowProblem => ({ eventId: `evt-${i}`, problem: 'unterminated quote in /node: list' });

  it(`logs the first ${LOGGED_PROBLEMS_LIMIT} skipped rows, each by event id and problem, and counts them all`, () => {
    const problems = Array.from({ length: LOGGED_PROBLEMS_LIMIT + 1 }, (_, i) => problem(i));
    const out = detect(context({ detector: detector({ problems, findings: [makeFinding()] }) }), [], T0);
    expect(out.counts).toEqual({ findings: 1, rowProblems: LOGGED_PROBLEMS_LIMIT + 1, pairsOverCap: 0 });
    expect(warnings).toHaveLength(LOGGED_PROBLEMS_LIMIT);
    expect(warnings[0]).toEqual({ message: 'row skipped', extra: { eventId: 'evt-0', problem: 'unterminated quote in /node: list' } });
  });

  it('warns of pairs the caps left out only when there is one, and counts them', () => {
    const one = detect(context({ detector: detector({ omittedPairs: 1 }) }), [], T0);
    expect(one.counts.pairsOverCap).toBe(1);
    expect(warnings).toEqual([{ message: expect.stringContaining('pairs left out by the caps') as string, extra: { pairsOverCap: 1 } }]);
    expect(detect(context({ detector: detector({ omittedPairs: 0 }) }), [], T0).counts.pairsOverCap).toBe(0);
    expect(warnings).toEqual([]);
    expect(detect(context({ detector: detector({}) }), [], T0).counts.pairsOverCap).toBe(0);
    expect(warnings).toEqual([]);
  });
});

describe('select', () => {
  /** An allowlist entry for the backup server's nightly job (the shape hunts' allowlists carry). */
  const SUPPRESSION = { entryId: 'AL-7', owner: 'it-ops', reason: 'nightly backup job', expires: '2026-12-31' };

  it('a suppressed pair is counted suppressed, neither sent nor held below the minimum severity', () => {
    const suppressed = makeFinding({ suppressed: SUPPRESSION, severity: 'low', riskScore: 20 });
    const sent = makeFinding();
    const out = select(context({}, { minSeverity: 'high' }), { created: [suppressed, sent], pending: [], repeats: [] });
    expect(out.toNotify).toEqual([sent]);
    expect(out.held).toEqual([]);
    expect(out.counts).toEqual({ suppressed: 1, belowMinSeverity: 0, recovered: 0, inFlight: 0 });
  });
});

describe('incidents', () => {
  interface Written { huntId: string; incidents: readonly Incident[]; now: number; ttlMs: number }

  /** A store holding `stored`; a read returns those listing one of the hosts asked about (ports.ts readIncidents). */
  function store(stored: Incident[]): { state: StateStore; reads: string[][]; writes: Written[] } {
    const reads: string[][] = [];
    const writes: Written[] = [];
    const state = {
      readIncidents: async (_h: string, hosts: readonly string[]) => {
        reads.push([...hosts]);
        return stored.filter((i) => i.hosts.some((h) => hosts.includes(h)));
      },
      writeIncidents: async (huntId: string, list: readonly Incident[], now: number, ttlMs: number) => { writes.push({ huntId, incidents: list, now, ttlMs }); },
    } as unknown as StateStore;
    return { state, reads, writes };
  }

  /** An open incident: the finance workstation reached the file server ten minutes ago. */
  const open = (id: string): Incident => ({
    id, huntId: HUNT, chain: ['WKS-FIN-042', 'srv-file-01'], hosts: [hostKey('WKS-FIN-042'), hostKey('srv-file-01')],
    pairs: [{ fingerprint: `fp-${id}`, source: 'WKS-FIN-042', target: 'srv-file-01', severity: 'critical', riskScore: 95, firstSeen: T0 - 20 * MIN, lastSeen: T0 - 10 * MIN }],
    pairCount: 1, severity: 'critical', firstSeen: T0 - 20 * MIN, lastSeen: T0 - 10 * MIN, threadId: `thread-${id}`, mergedInto: null,
  });

  it('reads the incidents of both hosts of every pair; a pair from the same workstation joins the open one', async () => {
    const { state, reads, writes } = store([open('INC-1')]);
    const next = makeFinding({ sourceHost: 'WKS-FIN-042', targetHost: 'srv-sql-01', firstSeen: T0, lastSeen: T0 });
    const out = await incidents(context({ state }), [next]);
    expect(reads.map((r) => [...r].sort())).toEqual([[hostKey('srv-sql-01'), hostKey('WKS-FIN-042')].sort()]);
    expect(out.toNotify.map((f) => f.incidentId)).toEqual(['INC-1']);
    expect(out.incidents.map((i) => i.id)).toEqual(['INC-1']);
    expect(writes.map((w) => w.incidents.map((i) => i.id))).toEqual([['INC-1']]);
  });

  it('keeps incidents as long as the dedupe records, and never shorter than the gap', async () => {
    const days = store([]);
    await incidents(context({ state: days.state }, { dedupeWindowMs: 24 * 60 * MIN }), [makeFinding()]);
    expect(days.writes.map((w) => [w.huntId, w.now, w.ttlMs])).toEqual([[HUNT, T0, 24 * 60 * MIN]]);
    const short = store([]);
    await incidents(context({ state: short.state }, { dedupeWindowMs: 30 * MIN, incidentGapMs: 90 * MIN }), [makeFinding()]);
    expect(short.writes.map((w) => w.ttlMs)).toEqual([90 * MIN]);
  });

  it('a chunk with no pair to notify makes no state call (the header promises two calls per chunk with pairs)', async () => {
    const { state, reads, writes } = store([open('INC-1')]);
    expect(await incidents(context({ state }), [])).toEqual({ toNotify: [], views: [], incidents: [] });
    expect(reads).toEqual([]);
    expect(writes).toEqual([]);
  });
});
