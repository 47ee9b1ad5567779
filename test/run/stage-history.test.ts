/**
 * The history stages on their own (stages/history.ts), through the state port: the counters the
 * run summary shows (first and routine sources, warming up, history unavailable), the findings'
 * new scores, the warning when history cannot be read, the "warming up" note, and what is
 * written after mark. The state store is a scripted fake; the finding is the notify fixture's
 * wmic pair (source WKS-FIN-042).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import type { Finding } from '../../lambda/finding.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { dayOf, type HistoryUpdate, type HuntHistory, type SubjectHistory } from '../../lambda/history/index.js';
import type { Log, StateStore } from '../../lambda/ports.js';
import type { RunContext } from '../../lambda/run/context.js';
import { judgeHistory, recordHistory } from '../../lambda/run/stages/history.js';
import { makeFinding, T0 } from '../fixtures/notify/findings.js';

const DAY = 86_400_000;
const WINDOW = { from: T0 - 3_600_000, to: T0 };
const TODAY = dayOf(T0);
/** The `n` days before today. */
const daysBefore = (n: number): number[] => Array.from({ length: n }, (_, i) => TODAY - n + i);

let logged: { level: 'info' | 'warn'; message: string }[];
let recorded: HistoryUpdate[];
beforeEach(() => {
  logged = [];
  recorded = [];
});
const log: Log = { debug() {}, error() {}, info: (message) => logged.push({ level: 'info', message }), warn: (message) => logged.push({ level: 'warn', message }) };

/** A store whose history covers `covered` baseline days and saw `hosts`; `read: 'fails'` throws like a throttled read. */
function store(covered: number, hosts: Record<string, number> = {}, read: 'ok' | 'fails' = 'ok'): StateStore {
  const subjects = new Map<string, SubjectHistory>(Object.entries(hosts).map(([name, days]) => [name, { kind: 'host', name, days: daysBefore(days), targets: [], targetCount: 1 } as SubjectHistory]));
  const history: HuntHistory = { coveredDays: daysBefore(covered), hosts: subjects, users: new Map() };
  return {
    readHistory: async () => {
      if (read === 'fails') throw new Error('ProvisionedThroughputExceededException: rate of requests exceeds the allowed throughput');
      return history;
    },
    recordHistory: async (_h: string, update: HistoryUpdate) => { recorded.push(update); },
  } as unknown as StateStore;
}

const context = (state: StateStore): RunContext => ({
  ports: { clock: { now: () => T0 }, log, state } as unknown as RunContext['ports'],
  request: { hunt: WMIC_REMOTE_EXEC, settings: defaultRunSettings(), runId: 'run-1', deadline: T0 + 600_000 },
  flags: { window: null, advancesCheckpoint: true, publish: true },
});

const finding = (): Finding => makeFinding({ firstSeen: T0 - 600_000, lastSeen: T0 - 600_000 });

describe('judgeHistory', () => {
  it('a source never seen in a covered baseline is a first source: scored up and counted', async () => {
    const f = finding();
    const out = await judgeHistory(context(store(10)), WINDOW, [f]);
    expect(out.counts).toEqual({ firstSources: 1, routineSources: 0, historyWarmingUp: 0, historyUnavailable: 0 });
    expect(out.findings[0]!.reasons.map((r) => r.code)).toContain('history.first-source');
    expect(out.findings[0]!.riskScore).toBeGreaterThan(f.riskScore);
    expect(logged).toEqual([]);
  });

  it('a source seen on five baseline days is routine', async () => {
    const out = await judgeHistory(context(store(10, { 'wks-fin-042': 5 })), WINDOW, [finding()]);
    expect(out.counts).toMatchObject({ firstSources: 0, routineSources: 1 });
  });

  it('a history that cannot be read: judged without it, counted and warned, the hunt goes on', async () => {
    const f = finding();
    const out = await judgeHistory(context(store(10, {}, 'fails')), WINDOW, [f]);
    expect(out.findings).toEqual([f]);
    expect(out.counts).toEqual({ firstSources: 0, routineSources: 0, historyWarmingUp: 1, historyUnavailable: 1 });
    expect(logged.map((l) => l.level)).toEqual(['warn']);
  });

  it('warming up (six of seven days covered) says so once, only when there were findings to judge', async () => {
    const out = await judgeHistory(context(store(6)), WINDOW, [finding()]);
    expect(out.counts).toEqual({ firstSources: 0, routineSources: 0, historyWarmingUp: 1, historyUnavailable: 0 });
    expect(out.findings[0]!.reasons.map((r) => r.code)).not.toContain('history.first-source');
    expect(logged.map((l) => l.level)).toEqual(['info']);

    logged = [];
    await judgeHistory(context(store(6)), WINDOW, []);
    await judgeHistory(context(store(7)), WINDOW, [finding()]);
    expect(logged).toEqual([]);
  });
});

describe('recordHistory', () => {
  it('writes the chunk\'s sightings and the days its window covered', async () => {
    await recordHistory(context(store(0)), { from: T0 - DAY, to: T0 }, [finding()]);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.coveredDays).toEqual([TODAY - 1, TODAY]);
    expect(recorded[0]!.sightings.map((s) => s.name)).toContain('wks-fin-042');
  });
});
