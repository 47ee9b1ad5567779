/**
 * The follow-up stage on its own (stages/follow-up.ts): what it sends, into which Slack thread,
 * what it counts, and when ops get the "not delivered" warning. The real SnsNotifier over the
 * SDK-mocked SNS client (fake clock: pacing is exact); the state store is scripted per test
 * (the claim another run won, the incidents a read returns).
 */
import { PublishBatchCommand, SNSClient, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import type { TrackedFinding } from '../../lambda/finding.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import type { Incident } from '../../lambda/incidents/index.js';
import { SnsNotifier } from '../../lambda/notify/index.js';
import type { Log, StateStore } from '../../lambda/ports.js';
import type { RunContext } from '../../lambda/run/context.js';
import { MARK_RESERVE_MS } from '../../lambda/run/limits.js';
import { followUp } from '../../lambda/run/stages/follow-up.js';
import { makeFinding, T0 } from '../fixtures/notify/findings.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:wmic-hunt';
const HUNT = WMIC_REMOTE_EXEC.id;
const MIN = 60_000;
const WINDOW = { from: T0 - 60 * MIN, to: T0 };
const TOTALS = { findings: 2, newPairs: 0, repeats: 2, suppressed: 0 };
/** The run's deadline: the Lambda's end minus its margin. */
const DEADLINE = T0 + 10 * MIN;

const sns = mockClient(SNSClient);
/** The notifier's clock: only sleeping advances it. */
let clock = T0;
let warnings: { message: string; extra?: Record<string, unknown> }[] = [];

const log: Log = { debug() {}, info() {}, error() {}, warn: (message, extra) => warnings.push({ message, extra }) };

/** SNS accepts every entry except those whose message names `refusedTarget` (a KMS key disabled for it, say). */
function snsAnswers(refusedTarget?: string): void {
  sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
    const refused = input.PublishBatchRequestEntries.filter((e) => refusedTarget !== undefined && (e.Message ?? '').includes(refusedTarget));
    return {
      Successful: input.PublishBatchRequestEntries.filter((e) => !refused.includes(e)).map((e) => ({ Id: e.Id, MessageId: `msg-${e.Id}` })),
      Failed: refused.map((e) => ({ Id: e.Id, Code: 'AuthorizationError', SenderFault: true, Message: 'not authorized' })),
    };
  });
}

/** Slack thread of every message sent (Chatbot's `metadata.threadId`), in order. */
const threads = (): string[] => sns.commandCalls(PublishBatchCommand).flatMap((c) => (c.args[0].input.PublishBatchRequestEntries ?? []).map((e) => {
  const message = JSON.parse(e.Message ?? '{}') as { https: string };
  return (JSON.parse(message.https) as { metadata: { threadId: string } }).metadata.threadId;
}));

/** A pair notified `not-seen` that its target now confirms: the follow-up the awaiting stage hands over. */
const late = (target: string): TrackedFinding => makeFinding({
  targetHost: target, status: 'NOTIFIED', followUp: true,
  confirmation: {
    status: 'confirmed', target, eventId: `evt-${target}`, time: T0 - 50 * MIN, process: 'powershell.exe', commandLine: 'powershell.exe -nop -w hidden',
    user: 'NT AUTHORITY\\NETWORK SERVICE', agentId: `agent-${target}`, agentHostname: target.toUpperCase(), detail: `WmiPrvSE.exe started powershell.exe on ${target.toUpperCase()}.`,
  },
});

interface Script {
  /** What the claim returns: the fingerprints it was given, unless another run won them. */
  readonly claim?: ((fps: readonly string[]) => string[]) | null;
  readonly incidents?: () => Promise<Incident[]>;
}

/** A state store that answers only what the stage reads; `calls` counts each read. */
function store(script: Script = {}): { state: StateStore; calls: { claim: number; incidents: number } } {
  const calls = { claim: 0, incidents: 0 };
  const claim = script.claim === undefined ? (fps: readonly string[]) => [...fps] : script.claim;
  const state = {
    readIncidents: async () => {
      calls.incidents += 1;
      return (await script.incidents?.()) ?? [];
    },
    ...(claim === null ? {} : { claimFollowUps: async (_h: string, fps: readonly string[]) => { calls.claim += 1; return claim(fps); } }),
  } as unknown as StateStore;
  return { state, calls };
}

function context(state: StateStore, deadline = DEADLINE): RunContext {
  const notifier = new SnsNotifier({
    client: new SNSClient({ region: 'eu-west-1' }), topicArn: TOPIC, stormLimit: 50,
    now: () => clock, sleep: async (ms) => { clock += ms; },
  });
  return {
    ports: { clock: { now: () => T0 }, log, state, notifier } as unknown as RunContext['ports'],
    request: { hunt: WMIC_REMOTE_EXEC, settings: defaultRunSettings(), runId: 'run-1', deadline },
    flags: { window: null, advancesCheckpoint: true, publish: true },
  };
}

const incident = (id: string, pairs: readonly TrackedFinding[], mergedInto: string | null = null): Incident => ({
  id, huntId: HUNT, chain: ['WKS-FIN-042', 'srv-file-01'], hosts: ['wks-fin-042', 'srv-file-01'],
  pairs: pairs.map((f) => ({ fingerprint: f.fingerprint, source: f.sourceHost, target: f.targetHost, severity: f.severity, riskScore: f.riskScore, firstSeen: f.firstSeen, lastSeen: f.lastSeen })),
  pairCount: pairs.length, severity: 'critical', firstSeen: T0 - 60 * MIN, lastSeen: T0, threadId: `thread-${id}`, mergedInto,
});

beforeEach(() => {
  sns.reset();
  snsAnswers();
  clock = T0;
  warnings = [];
});

describe('the follow-up stage', () => {
  it('sends nothing and warns of nothing when there is nothing to follow up, or the store keeps no follow-up claims', async () => {
    const none = store();
    expect(await followUp(context(none.state), WINDOW, [], TOTALS)).toEqual({ sent: [], counts: {} });
    expect(none.calls.claim).toBe(0);

    // A store without claimFollowUps sends no follow-ups (ports.ts): quietly, not as a failure.
    const noClaims = store({ claim: null });
    expect(await followUp(context(noClaims.state), WINDOW, [late('srv-file-01')], TOTALS)).toEqual({ sent: [], counts: {} });
    expect(warnings).toEqual([]);
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(0);
  });

  it('a run that lost every claim to another run reads and sends nothing, even when the incident read would fail', async () => {
    const lost = store({ claim: () => [], incidents: async () => { throw Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }); } });
    expect(await followUp(context(lost.state), WINDOW, [late('srv-file-01'), late('srv-sql-01')], TOTALS)).toEqual({ sent: [], counts: {} });
    expect(lost.calls).toEqual({ claim: 1, incidents: 0 });
    expect(warnings).toEqual([]);
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(0);
  });

  it('counts only the follow-ups SNS accepted, and warns once that the refused one is not retried', async () => {
    snsAnswers('srv-sql-01');
    const fs01 = late('srv-file-01');
    const out = await followUp(context(store().state), WINDOW, [fs01, late('srv-sql-01')], TOTALS);
    expect(out.sent.map((f) => f.fingerprint)).toEqual([fs01.fingerprint]);
    expect(out.counts).toEqual({ followUps: 1, messages: 1 });
    expect(warnings).toHaveLength(1);
  });

  it('warns of nothing when every follow-up went out', async () => {
    const out = await followUp(context(store().state), WINDOW, [late('srv-file-01'), late('srv-sql-01')], TOTALS);
    expect(out.counts).toEqual({ followUps: 2, messages: 2 });
    expect(warnings).toEqual([]);
  });

  it(`leaves the last ${MARK_RESERVE_MS / 1000} s before the deadline to marking: a send due exactly then goes out, one ms later it is held and ops are told`, async () => {
    clock = DEADLINE - MARK_RESERVE_MS;
    expect((await followUp(context(store().state), WINDOW, [late('srv-file-01')], TOTALS)).counts).toEqual({ followUps: 1, messages: 1 });
    expect(warnings).toEqual([]);

    sns.reset();
    snsAnswers();
    clock = DEADLINE - MARK_RESERVE_MS + 1;
    // Deferred only, nothing failed: still not delivered, and a claimed follow-up is never retried.
    expect(await followUp(context(store().state), WINDOW, [late('srv-sql-01')], TOTALS)).toEqual({ sent: [], counts: { followUps: 0, messages: 0 } });
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(0);
    expect(warnings).toHaveLength(1);
  });

  it('sends the follow-up into the thread of the live incident, not of one merged into it, in whatever order the store returns them', async () => {
    const pair = late('srv-file-01');
    const alone = late('srv-bkp-02');
    // INC-B absorbed INC-A (a pair bridged them): both list the pair; the store returns the merged one last.
    const incidents = async () => [incident('INC-B', [pair]), incident('INC-A', [pair], 'INC-B')];
    const out = await followUp(context(store({ incidents }).state), WINDOW, [pair, alone], TOTALS);
    expect(out.sent.map((f) => [f.incidentId, f.threadId])).toEqual([['INC-B', 'thread-INC-B'], [undefined, undefined]]);
    // A pair no incident lists keeps its own thread (its fingerprint).
    expect(threads()).toEqual([`${HUNT}:thread-INC-B`, `${HUNT}:${alone.fingerprint}`]);
  });

  it('a store that fails the claim holds nothing back: no follow-up, the run goes on, ops are warned', async () => {
    const failing = store({ claim: () => { throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' }); } });
    expect(await followUp(context(failing.state), WINDOW, [late('srv-file-01')], TOTALS)).toEqual({ sent: [], counts: {} });
    expect(warnings).toHaveLength(1);
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(0);
  });
});
