/**
 * The awaiting stage on its own (stages/awaiting.ts): which pairs a run re-checks for late
 * evidence, the pair it re-checks as the confirmation query sees it, and what it writes back to
 * the awaiting list. The state store is scripted per test (it records what it was asked).
 */
import { describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import type { Confirmation } from '../../lambda/confirm/index.js';
import type { TrackedFinding } from '../../lambda/finding.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import type { AwaitingPair, Log, StateStore } from '../../lambda/ports.js';
import type { RunContext } from '../../lambda/run/context.js';
import { awaitingFinding, readAwaiting, rememberAwaiting } from '../../lambda/run/stages/awaiting.js';
import { makeFinding, T0 } from '../fixtures/notify/findings.js';

const HUNT = WMIC_REMOTE_EXEC.id;
const MIN = 60_000;
const HOUR = 60 * MIN;
const SETTINGS = { ...defaultRunSettings(), confirmHorizonMs: 30 * MIN, lateArrivalMs: 6 * HOUR, stormLimit: 2 };

interface Recorded {
  reads: { huntId: string; now: number; horizonMs: number }[];
  updates: { huntId: string; add: readonly AwaitingPair[]; remove: readonly string[]; now: number; horizonMs: number }[];
}

/** A store with the awaiting list and follow-up claims; `omit` drops a method, `fail` makes both calls throw `fail`. */
function store(entries: AwaitingPair[], options: { omit?: 'readAwaiting' | 'updateAwaiting' | 'claimFollowUps'; fail?: unknown } = {}) {
  const recorded: Recorded = { reads: [], updates: [] };
  const state: Record<string, unknown> = {
    readAwaiting: async (huntId: string, now: number, horizonMs: number) => {
      recorded.reads.push({ huntId, now, horizonMs });
      if (options.fail !== undefined) throw options.fail;
      return entries;
    },
    updateAwaiting: async (huntId: string, change: { add: readonly AwaitingPair[]; remove: readonly string[] }, now: number, horizonMs: number) => {
      recorded.updates.push({ huntId, ...change, now, horizonMs });
      if (options.fail !== undefined) throw options.fail;
    },
    claimFollowUps: async (_h: string, fps: readonly string[]) => [...fps],
  };
  if (options.omit !== undefined) delete state[options.omit];
  return { state: state as unknown as StateStore, recorded };
}

let warnings: { message: string; extra?: Record<string, unknown> }[] = [];
const log: Log = { debug() {}, info() {}, error() {}, warn: (message, extra) => warnings.push({ message, extra }) };

function context(state: StateStore, publish = true): RunContext {
  warnings = [];
  return {
    ports: { clock: { now: () => T0 }, log, state } as unknown as RunContext['ports'],
    request: { hunt: WMIC_REMOTE_EXEC, settings: SETTINGS, runId: 'run-1', deadline: T0 + 10 * MIN },
    flags: { window: null, advancesCheckpoint: true, publish },
  };
}

/** An entry notified `ageMs` before T0 (fs01, from the WMIC sample's admin host). */
const entry = (fingerprint: string, ageMs: number, extra: Partial<AwaitingPair> = {}): AwaitingPair => ({
  fingerprint, sourceHost: 'WKS-FIN-042', targetHost: 'srv-file-01', remoteCommand: 'powershell.exe -nop -w hidden', user: 'CORP\\jdoe',
  firstSeen: T0 - ageMs - 5 * MIN, lastSeen: T0 - ageMs - MIN, severity: 'high', riskScore: 70, notifiedAt: T0 - ageMs, ...extra,
});

const judged = (status: Confirmation['status']): Confirmation => ({
  status, target: 'srv-file-01', eventId: null, time: null, process: null, commandLine: null, user: null,
  agentId: 'agent-fs01', agentHostname: 'SRV-FILE-01', detail: 'checked',
});

describe('readAwaiting', () => {
  it('a window\'s chunk re-checks every entry within the confirmation horizon', async () => {
    const entries = [entry('young', 10 * MIN), entry('old', 2 * HOUR)];
    const { state, recorded } = store(entries);
    // No third argument: a window's chunk, not a sweep's.
    expect((await readAwaiting(context(state), T0)).map((e) => e.fingerprint)).toEqual(['young', 'old']);
    expect(recorded.reads).toEqual([{ huntId: HUNT, now: T0, horizonMs: 30 * MIN }]);
  });

  it('a sweep\'s chunk reads within the late-arrival horizon, and keeps only entries older than the confirmation horizon: exactly at it is left to the window\'s chunk', async () => {
    const entries = [entry('at-horizon', 30 * MIN), entry('past-horizon', 30 * MIN + 1), entry('young', MIN)];
    const { state, recorded } = store(entries);
    expect((await readAwaiting(context(state), T0, true)).map((e) => e.fingerprint)).toEqual(['past-horizon']);
    expect(recorded.reads).toEqual([{ huntId: HUNT, now: T0, horizonMs: 6 * HOUR }]);
  });

  it('reads nothing in shadow mode, or from a store without the awaiting list or follow-up claims', async () => {
    const entries = [entry('young', 10 * MIN)];
    const shadow = store(entries);
    expect(await readAwaiting(context(shadow.state, false), T0)).toEqual([]);
    expect(shadow.recorded.reads).toEqual([]);
    expect(await readAwaiting(context(store(entries, { omit: 'readAwaiting' }).state), T0)).toEqual([]);
    const noClaims = store(entries, { omit: 'claimFollowUps' });
    expect(await readAwaiting(context(noClaims.state), T0)).toEqual([]);
    expect(noClaims.recorded.reads).toEqual([]);
  });

  it('a failed read re-checks nothing, and ops are told which error it was (its name, never its message)', async () => {
    const throttled = Object.assign(new Error('Rate exceeded for table hunt-state'), { name: 'ProvisionedThroughputExceededException' });
    expect(await readAwaiting(context(store([], { fail: throttled }).state), T0)).toEqual([]);
    expect(warnings).toEqual([{ message: expect.stringContaining('awaiting late evidence') as string, extra: { error: 'ProvisionedThroughputExceededException' } }]);
    // Something thrown that is not an Error (a rejected plain value) is named, never blank.
    expect(await readAwaiting(context(store([], { fail: 'socket hang up' }).state), T0)).toEqual([]);
    expect(warnings.map((w) => w.extra)).toEqual([{ error: 'UnknownError' }]);
  });
});

describe('awaitingFinding', () => {
  it('is the notified pair as the follow-up sees it: no events, no reasons, confirmation still unavailable', () => {
    const e = entry('fp-1', 40 * MIN);
    expect(awaitingFinding(HUNT, e)).toStrictEqual({
      huntId: HUNT, fingerprint: 'fp-1', sourceHost: 'WKS-FIN-042', targetHost: 'srv-file-01', remoteCommand: 'powershell.exe -nop -w hidden',
      commandLine: 'powershell.exe -nop -w hidden', user: 'CORP\\jdoe', lineUser: null, parentImage: null, parentCommandLine: null, causalitySha256: null,
      agentId: null, eventIds: [], firstSeen: e.firstSeen, lastSeen: e.lastSeen, riskScore: 70, severity: 'high', reasons: [],
      suppressed: null, count: 1, status: 'NOTIFIED', sent: { notifiedAt: T0 - 40 * MIN, confirmation: 'unavailable', followUpSent: null },
    });
  });

  it('a pair without a remote command has an empty command line', () => {
    expect(awaitingFinding(HUNT, entry('fp-1', MIN, { remoteCommand: null })).commandLine).toBe('');
  });

  it('carries the late arrival only when both its time and its delay are stored', () => {
    const both = awaitingFinding(HUNT, entry('fp-1', MIN, { arrivedAt: T0 - 20 * MIN, arrivedLateMs: 3 * HOUR }));
    expect(both).toMatchObject({ arrivedAt: T0 - 20 * MIN, arrivedLateMs: 3 * HOUR });
    expect(Object.keys(awaitingFinding(HUNT, entry('fp-2', MIN, { arrivedAt: T0 - 20 * MIN })))).not.toContain('arrivedLateMs');
    expect(Object.keys(awaitingFinding(HUNT, entry('fp-2', MIN, { arrivedAt: T0 - 20 * MIN })))).not.toContain('arrivedAt');
    expect(Object.keys(awaitingFinding(HUNT, entry('fp-3', MIN, { arrivedLateMs: 3 * HOUR })))).not.toContain('arrivedAt');
    expect(Object.keys(awaitingFinding(HUNT, entry('fp-4', MIN)))).not.toContain('arrivedAt');
  });
});

describe('rememberAwaiting', () => {
  const notSeen = (extra: Partial<TrackedFinding> = {}) => makeFinding({ status: 'NOTIFIED', confirmation: judged('not-seen'), ...extra });

  it('adds the pairs notified not-seen or unavailable (stamped now), drops the confirmed ones up to the storm limit', async () => {
    const { state, recorded } = store([]);
    const a = notSeen({ arrivedAt: T0 - 2 * HOUR, arrivedLateMs: 90 * MIN });
    const b = makeFinding({ status: 'NOTIFIED', confirmation: judged('unavailable') });
    const c = makeFinding({ status: 'NOTIFIED', confirmation: judged('confirmed') });
    const d = makeFinding({ status: 'NOTIFIED' });
    const late = [makeFinding(), makeFinding(), makeFinding()];
    await rememberAwaiting(context(state), [a, b, c, d], late);
    expect(recorded.updates).toHaveLength(1);
    const [update] = recorded.updates;
    expect(update).toMatchObject({ huntId: HUNT, now: T0, horizonMs: 6 * HOUR, remove: [late[0]!.fingerprint, late[1]!.fingerprint] });
    expect(update!.add).toStrictEqual([
      {
        fingerprint: a.fingerprint, sourceHost: a.sourceHost, targetHost: a.targetHost, remoteCommand: a.remoteCommand, user: a.user,
        firstSeen: a.firstSeen, lastSeen: a.lastSeen, severity: a.severity, riskScore: a.riskScore, notifiedAt: T0, arrivedAt: T0 - 2 * HOUR, arrivedLateMs: 90 * MIN,
      },
      {
        fingerprint: b.fingerprint, sourceHost: b.sourceHost, targetHost: b.targetHost, remoteCommand: b.remoteCommand, user: b.user,
        firstSeen: b.firstSeen, lastSeen: b.lastSeen, severity: b.severity, riskScore: b.riskScore, notifiedAt: T0,
      },
    ]);
  });

  it('stores the late arrival only when both its time and its delay are known', async () => {
    const { state, recorded } = store([]);
    await rememberAwaiting(context(state), [notSeen({ arrivedAt: T0 - HOUR }), notSeen({ arrivedLateMs: HOUR })], []);
    for (const added of recorded.updates[0]!.add) {
      expect(Object.keys(added)).not.toContain('arrivedAt');
      expect(Object.keys(added)).not.toContain('arrivedLateMs');
    }
  });

  it('writes nothing when nothing is added or dropped, in shadow mode, or to a store without the list or claims', async () => {
    const idle = store([]);
    await rememberAwaiting(context(idle.state), [makeFinding({ status: 'NOTIFIED', confirmation: judged('confirmed') })], []);
    expect(idle.recorded.updates).toEqual([]);
    const shadow = store([]);
    await rememberAwaiting(context(shadow.state, false), [notSeen()], [makeFinding()]);
    expect(shadow.recorded.updates).toEqual([]);
    const noClaims = store([], { omit: 'claimFollowUps' });
    await rememberAwaiting(context(noClaims.state), [notSeen()], [makeFinding()]);
    expect(noClaims.recorded.updates).toEqual([]);
    await expect(rememberAwaiting(context(store([], { omit: 'updateAwaiting' }).state), [notSeen()], [])).resolves.toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('a confirmed pair alone is dropped from the list', async () => {
    const { state, recorded } = store([]);
    const confirmed = makeFinding();
    await rememberAwaiting(context(state), [], [confirmed]);
    expect(recorded.updates.map((u) => [u.add, u.remove])).toEqual([[[], [confirmed.fingerprint]]]);
  });

  it('a failed write holds nothing back; ops are told the error and how many were added and dropped', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
    await expect(rememberAwaiting(context(store([], { fail: throttled }).state), [notSeen(), notSeen()], [makeFinding()])).resolves.toBeUndefined();
    expect(warnings).toEqual([{ message: expect.stringContaining('awaiting late evidence') as string, extra: { error: 'ProvisionedThroughputExceededException', added: 2, removed: 1 } }]);
  });
});
