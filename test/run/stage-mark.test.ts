/**
 * The mark stage on its own (stages/mark.ts): which pairs are stored NOTIFIED and with which
 * confirmation, what the summary counts, the arrival-to-notification latencies, and the claims of
 * pairs not sent handed back for the next run. The state store is scripted (it records each call).
 */
import { describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import type { Confirmation } from '../../lambda/confirm/index.js';
import { LATE_ARRIVAL_NOTICE_MS } from '../../lambda/finding.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import type { Log, PublishOutcome, StateStore } from '../../lambda/ports.js';
import type { RunContext } from '../../lambda/run/context.js';
import { PublishFailedError } from '../../lambda/run/index.js';
import { mark } from '../../lambda/run/stages/mark.js';
import { makeFinding, T0 } from '../fixtures/notify/findings.js';

const HUNT = WMIC_REMOTE_EXEC.id;
const MIN = 60_000;

interface Calls {
  marked: { huntId: string; fingerprints: readonly string[]; now: number; confirmations: ReadonlyMap<string, string> | undefined }[];
  released: { huntId: string; fingerprints: readonly string[]; runId: string }[];
}

function store(options: { release?: 'none' | 'fail' | 'reject-value' } = {}): { state: StateStore; calls: Calls } {
  const calls: Calls = { marked: [], released: [] };
  const state: Record<string, unknown> = {
    markNotified: async (huntId: string, fingerprints: readonly string[], now: number, confirmations?: ReadonlyMap<string, string>) => {
      calls.marked.push({ huntId, fingerprints, now, confirmations });
    },
  };
  if (options.release !== 'none') {
    state.releaseClaims = async (huntId: string, fingerprints: readonly string[], runId: string) => {
      calls.released.push({ huntId, fingerprints, runId });
      if (options.release === 'fail') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      if (options.release === 'reject-value') throw 'socket hang up' as unknown as Error;
    };
  }
  return { state: state as unknown as StateStore, calls };
}

let warnings: { message: string; extra?: Record<string, unknown> }[] = [];
const log: Log = { debug() {}, info() {}, error() {}, warn: (message, extra) => warnings.push({ message, extra }) };

function context(state: StateStore): RunContext {
  warnings = [];
  return {
    ports: { clock: { now: () => T0 }, log, state } as unknown as RunContext['ports'],
    request: { hunt: WMIC_REMOTE_EXEC, settings: defaultRunSettings(), runId: 'run-7', deadline: T0 + 10 * MIN },
    flags: { window: null, advancesCheckpoint: true, publish: true },
  };
}

const outcome = (extra: Partial<PublishOutcome>): PublishOutcome => ({ delivered: [], failed: [], messages: 0, digest: false, ...extra });

const judged = (status: Confirmation['status']): Confirmation => ({
  status, target: 'srv-file-01', eventId: null, time: null, process: null, commandLine: null, user: null,
  agentId: 'agent-fs01', agentHostname: 'SRV-FILE-01', detail: 'checked',
});

describe('mark', () => {
  it('stores only the delivered pairs NOTIFIED, with the confirmation each notification carried, and counts them', async () => {
    const { state, calls } = store();
    const notSeen = makeFinding({ confirmation: judged('not-seen') });
    const unchecked = makeFinding();
    const deferred = makeFinding();
    const out = await mark(context(state), [notSeen, unchecked, deferred], outcome({ delivered: [notSeen.fingerprint, unchecked.fingerprint], messages: 2 }));
    expect(out.sent).toEqual([notSeen, unchecked]);
    expect(out.counts).toEqual({ notified: 2, latePairs: 0 });
    expect(calls.marked).toEqual([{ huntId: HUNT, fingerprints: [notSeen.fingerprint, unchecked.fingerprint], now: T0, confirmations: new Map([[notSeen.fingerprint, 'not-seen']]) }]);
  });

  it('counts as late only the pairs that arrived at least the notice threshold late', async () => {
    const { state } = store();
    const late = makeFinding({ arrivedAt: T0 - 30 * MIN, arrivedLateMs: LATE_ARRIVAL_NOTICE_MS });
    const onTime = makeFinding({ arrivedAt: T0 - 30 * MIN, arrivedLateMs: LATE_ARRIVAL_NOTICE_MS - 1 });
    const out = await mark(context(state), [late, onTime], outcome({ delivered: [late.fingerprint, onTime.fingerprint] }));
    expect(out.counts).toEqual({ notified: 2, latePairs: 1 });
  });

  it('latency is from the arrival in XSIAM to SNS accepting; an arrival stamped after it (clock skew) counts as 0; no arrival, no latency', async () => {
    const { state } = store();
    const arrived = makeFinding({ arrivedAt: T0 - 20 * MIN, arrivedLateMs: 0 });
    const skewed = makeFinding({ arrivedAt: T0 + 2_000, arrivedLateMs: 0 });
    const unknown = makeFinding();
    const out = await mark(context(state), [arrived, skewed, unknown], outcome({ delivered: [arrived.fingerprint, skewed.fingerprint, unknown.fingerprint] }));
    expect(out.latenciesMs).toEqual([20 * MIN, 0]);
  });

  it('stores nothing and releases nothing when nothing was sent or held', async () => {
    const { state, calls } = store();
    expect(await mark(context(state), [makeFinding()], outcome({}))).toEqual({ sent: [], counts: { notified: 0, latePairs: 0 }, latenciesMs: [] });
    expect(calls).toEqual({ marked: [], released: [] });
  });

  it('hands back the claims of pairs deferred past the deadline and refused by the sink, each once, then fails the run for the refused', async () => {
    const { state, calls } = store();
    const [sent, deferred, refused] = [makeFinding(), makeFinding(), makeFinding()];
    const failed = [{ fingerprint: refused.fingerprint, code: 'KMSDisabled', message: 'key disabled' }];
    const err = await mark(context(state), [sent, deferred, refused], outcome({ delivered: [sent.fingerprint], failed, deferred: [deferred.fingerprint, refused.fingerprint] }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishFailedError);
    expect(calls.released).toEqual([{ huntId: HUNT, fingerprints: [deferred.fingerprint, refused.fingerprint], runId: 'run-7' }]);
    expect(calls.marked.map((m) => m.fingerprints)).toEqual([[sent.fingerprint]]);
  });

  it('a deferred pair alone is released and the run goes on', async () => {
    const { state, calls } = store();
    const [sent, deferred] = [makeFinding(), makeFinding()];
    const out = await mark(context(state), [sent, deferred], outcome({ delivered: [sent.fingerprint], deferred: [deferred.fingerprint] }));
    expect(out.counts.notified).toBe(1);
    expect(calls.released.map((r) => r.fingerprints)).toEqual([[deferred.fingerprint]]);
  });

  it('a refused pair alone is released too', async () => {
    const { state, calls } = store();
    const refused = makeFinding();
    const failed = [{ fingerprint: refused.fingerprint, code: 'AuthorizationError', message: 'not authorized' }];
    await expect(mark(context(state), [refused], outcome({ failed }))).rejects.toBeInstanceOf(PublishFailedError);
    expect(calls.released.map((r) => r.fingerprints)).toEqual([[refused.fingerprint]]);
  });

  it('a failed release still marks what was sent; ops are told the error by name', async () => {
    const { state, calls } = store({ release: 'fail' });
    const [sent, deferred] = [makeFinding(), makeFinding()];
    const out = await mark(context(state), [sent, deferred], outcome({ delivered: [sent.fingerprint], deferred: [deferred.fingerprint] }));
    expect(out.counts.notified).toBe(1);
    expect(calls.marked).toHaveLength(1);
    expect(warnings).toEqual([{ message: expect.stringContaining('could not release the claims') as string, extra: { error: 'ThrottlingException' } }]);
    // Something thrown that is not an Error is named, never blank.
    await mark(context(store({ release: 'reject-value' }).state), [deferred], outcome({ deferred: [deferred.fingerprint] }));
    expect(warnings.map((w) => w.extra)).toEqual([{ error: 'UnknownError' }]);
  });

  it('a store without claim release marks as usual', async () => {
    const { state, calls } = store({ release: 'none' });
    const [sent, deferred] = [makeFinding(), makeFinding()];
    expect((await mark(context(state), [sent, deferred], outcome({ delivered: [sent.fingerprint], deferred: [deferred.fingerprint] }))).counts.notified).toBe(1);
    expect(calls.marked).toHaveLength(1);
    expect(warnings).toEqual([]);
  });
});
