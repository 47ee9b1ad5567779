/**
 * Target-side confirmation in whole runs: DynamoDB Local for state, the local XSIAM (hunt query,
 * confirmation query and get_endpoint), the real detector and the real SnsNotifier over the
 * SDK-faked SNS client. Every outcome, the IP-prefix trap, a target event outside the pair's
 * time ignored, and the one late-evidence follow-up (never twice, never after the horizon).
 */
import { PublishBatchCommand, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunPorts } from '../../lambda/run/index.js';
import { MIN, T0, snsMock, wmicRow, type Harness } from '../integration/harness.js';
import { startConfirmHarness } from './confirm-harness.js';
import { AGENTS, child, noise } from './fixture.js';

const PAYLOAD = 'powershell.exe -enc SQBFAFgA';
const attack = (target: string): string => `wmic /node:"${target}" /user:"CORP\\svc" /password:"Hunter2!" process call create "${PAYLOAD}"`;
const SEC = 1000;

interface Sent {
  readonly entry: PublishBatchRequestEntry;
  readonly doc: Record<string, unknown> & { confirmation: Record<string, unknown> | null; targetHost: string; reasons: { code: string }[] };
  readonly email: string;
  readonly chatbot: { content: { title: string; description: string }; metadata: { threadId: string } };
}

function sent(): Sent[] {
  return snsMock.commandCalls(PublishBatchCommand).flatMap((call) => (call.args[0].input.PublishBatchRequestEntries ?? []).map((entry) => {
    const message = JSON.parse(entry.Message ?? '{}') as { default: string; email: string; https: string };
    return { entry, doc: JSON.parse(message.default) as Sent['doc'], email: message.email, chatbot: JSON.parse(message.https) as Sent['chatbot'] };
  }));
}

let h: Harness;
let ports: Partial<RunPorts>;

beforeEach(async () => {
  ({ h, ports } = await startConfirmHarness());
});

afterEach(async () => h.close());

describe('a run with target-side confirmation', () => {
  it('gives every notified pair one outcome and renders it in the email, Slack and the default JSON', async () => {
    const launch = T0 - 60 * MIN;
    h.events.push(
      wmicRow(launch, 'WS-A', attack('fs01')),
      // FS01's agent saw WmiPrvSE.exe start the payload 3 s later: confirmed.
      child(AGENTS.fs01, launch + 3 * SEC, PAYLOAD, { event_id: 'target-evt-fs01' }),
      wmicRow(launch, 'WS-B', attack('app01')),
      // APP01 reports to XSIAM, but nothing started there: not-seen.
      noise(AGENTS.app01, launch - 10 * MIN),
      // HV02 has no agent at all: unmanaged.
      wmicRow(launch, 'WS-C', attack('hv02')),
      // The IP-prefix trap: BKP02 at 10.1.1.50 ran the payload; 10.1.1.5 has no agent: unmanaged, not confirmed.
      wmicRow(launch, 'WS-D', attack('10.1.1.5')),
      child(AGENTS.trap, launch + 2 * SEC, PAYLOAD),
      // SQL01 ran the payload, but 20 minutes after the launch: outside the pair's time, so not-seen.
      wmicRow(launch, 'WS-E', attack('sql01')),
      child(AGENTS.sql01, launch + 20 * MIN, PAYLOAD),
      // Targets read from a file on the source: cannot be checked.
      wmicRow(launch, 'WS-F', attack('@C:\\temp\\hosts.txt').replace('"@C:\\temp\\hosts.txt"', '@C:\\temp\\hosts.txt')),
    );

    const summary = await h.run(ports);

    expect(summary).toMatchObject({ status: 'completed', notified: 6, confirmed: 1, notSeen: 2, unmanaged: 2, unavailable: 1, confirmQueries: 1 });
    expect(summary.confirmHttpCalls).toBeGreaterThanOrEqual(4);
    expect(summary.confirmQueryCost).toBeGreaterThan(0);
    const byTarget = new Map(sent().map((s) => [s.doc.targetHost, s]));
    expect(Object.fromEntries([...byTarget].map(([t, s]) => [t, s.doc.confirmation?.status]))).toEqual({
      fs01: 'confirmed', app01: 'not-seen', hv02: 'unmanaged', '10.1.1.5': 'unmanaged', sql01: 'not-seen', '@c:\\temp\\hosts.txt': 'unavailable',
    });

    const fs01 = byTarget.get('fs01')!;
    expect(fs01.doc.confirmation).toMatchObject({ eventId: 'target-evt-fs01', agentHostname: 'FS01', commandLine: PAYLOAD, time: new Date(launch + 3 * SEC).toISOString() });
    expect(fs01.doc.reasons.map((r) => r.code)).toContain('target.confirmed');
    expect(fs01.doc.followUp).toBe(false);
    expect(fs01.email).toContain('ON THE TARGET');
    expect(fs01.email).toContain('Confirmed: the remote command started on the target');
    expect(fs01.email).toContain('target-evt-fs01');
    expect(fs01.chatbot.content.description).toContain('*On the target:* Confirmed');
    expect(byTarget.get('hv02')!.doc.reasons.map((r) => r.code)).toContain('target.unmanaged');
    expect(byTarget.get('10.1.1.5')!.doc.reasons.map((r) => r.code)).not.toContain('target.confirmed');
    expect(byTarget.get('app01')!.email).toContain('Not seen: the target reports to XSIAM');
    // The per-pair notifications are unchanged otherwise: one message each, no follow-up.
    expect(sent().every((s) => !String(s.entry.Subject).startsWith('UPDATE'))).toBe(true);
  });

  it('confirms a command whose password the detector redacted, and never shows the password from the target', async () => {
    const launch = T0 - 60 * MIN;
    const typed = 'net user backdoor /password:Winter2026! /add';
    h.events.push(
      wmicRow(launch, 'WS-A', `wmic /node:fs01 process call create "${typed}"`),
      child(AGENTS.fs01, launch + 2 * SEC, typed, { event_id: 'target-evt-net' }),
    );
    const summary = await h.run(ports);
    expect(summary).toMatchObject({ notified: 1, confirmed: 1 });
    const [message] = sent();
    expect(message!.doc.confirmation).toMatchObject({ status: 'confirmed', eventId: 'target-evt-net' });
    expect(JSON.stringify(message!.entry)).not.toContain('Winter2026!');
  });

  it('sends nothing extra and runs no confirmation query when hunt:confirmTargets is off', async () => {
    h.events.push(wmicRow(T0 - 60 * MIN, 'WS-A', attack('fs01')), child(AGENTS.fs01, T0 - 60 * MIN + 3 * SEC, PAYLOAD));
    const summary = await h.run(ports, { confirmTargets: false });
    expect(summary).toMatchObject({ notified: 1, confirmQueries: 0, confirmHttpCalls: 0, confirmed: 0 });
    expect(h.xsiam.stats.endpointRequests).toBe(0);
    expect(sent()[0]!.doc.confirmation).toBeNull();
  });

  it('runs no confirmation query in a chunk with nothing to notify', async () => {
    h.events.push(wmicRow(T0 - 60 * MIN, 'WS-A', attack('fs01')));
    await h.run(ports);
    const started = h.xsiam.stats.queriesStarted;
    h.clock.now = T0 + 15 * MIN;
    const second = await h.run(ports);
    expect(second).toMatchObject({ notified: 0, confirmQueries: 0, confirmHttpCalls: 0 });
    expect(h.xsiam.stats.queriesStarted).toBe(started + 1);
  });
});

describe('late evidence', () => {
  /**
   * The launch 4 minutes before the first run: the run covers the target only up to now − 2 min
   * (ingest lag), so the pair goes out `unavailable`; the target's event arrives afterwards.
   */
  async function notifiedBeforeTheEvidence(): Promise<{ launch: number; original: Sent }> {
    const launch = T0 - 4 * MIN;
    h.events.push(wmicRow(launch, 'WS-A', attack('fs01')), noise(AGENTS.fs01, launch - 30 * MIN));
    const first = await h.run(ports);
    expect(first).toMatchObject({ notified: 1, unavailable: 1 });
    const [original] = sent();
    expect(original!.doc.confirmation?.status).toBe('unavailable');
    h.events.push(child(AGENTS.fs01, launch + 4 * SEC, PAYLOAD, { event_id: 'late-target-evt' }));
    return { launch, original: original! };
  }

  it('sends exactly one follow-up in the same thread, marked as an update, when a later run confirms', async () => {
    const { launch, original } = await notifiedBeforeTheEvidence();

    // The next run re-reads the launch (overlap): a repeat, re-checked in its confirmation query.
    h.clock.now = T0 + 15 * MIN;
    const second = await h.run(ports);
    expect(second).toMatchObject({ repeats: 1, notified: 0, followUps: 1, confirmQueries: 1 });
    const followUps = sent().slice(1);
    expect(followUps).toHaveLength(1);
    const update = followUps[0]!;
    expect(update.entry.Subject).toMatch(/^UPDATE: confirmed on target - \[CRITICAL\] WMIC remote exec "WS-A" -> "fs01"/);
    expect(update.chatbot.metadata.threadId).toBe(original.chatbot.metadata.threadId);
    expect(update.chatbot.content.title).toMatch(/^UPDATE: confirmed on target/);
    expect(update.doc).toMatchObject({ followUp: true, fingerprint: original.doc.fingerprint });
    expect(update.doc.confirmation).toMatchObject({ status: 'confirmed', eventId: 'late-target-evt' });
    expect(update.doc.reasons.map((r) => r.code)).toContain('target.confirmed');
    expect(update.email).toContain('ON THE TARGET');

    // The attacker launches again: another repeat of the pair, and no second follow-up.
    h.events.push(wmicRow(T0 + 20 * MIN, 'WS-A', attack('fs01')));
    h.clock.now = T0 + 30 * MIN;
    const third = await h.run(ports);
    expect(third).toMatchObject({ repeats: 1, notified: 0, followUps: 0 });
    expect(sent()).toHaveLength(2);
    expect(launch).toBeLessThan(T0);
  });

  it('sends no follow-up once the horizon has passed, and spends no query on it', async () => {
    await notifiedBeforeTheEvidence();
    h.clock.now = T0 + 15 * MIN;
    const second = await h.run(ports, { confirmHorizonMs: 10 * MIN });
    expect(second).toMatchObject({ repeats: 1, followUps: 0, confirmQueries: 0 });
    expect(sent()).toHaveLength(1);
  });

  it('sends no follow-up for a pair first notified as not-seen while the target still shows nothing', async () => {
    const launch = T0 - 60 * MIN;
    h.events.push(wmicRow(launch, 'WS-B', attack('app01')), noise(AGENTS.app01, launch - 10 * MIN));
    expect(await h.run(ports)).toMatchObject({ notified: 1, notSeen: 1 });
    h.events.push(wmicRow(T0 + 2 * MIN, 'WS-B', attack('app01')));
    h.clock.now = T0 + 15 * MIN;
    expect(await h.run(ports)).toMatchObject({ repeats: 1, followUps: 0, confirmQueries: 1 });
    expect(sent()).toHaveLength(1);
  });

  it('follows up a not-seen pair whose launch no later run reads again, once, in its thread, and never after the horizon', async () => {
    // Launched 20 minutes before the first run: the next run's window (from the checkpoint − 10 min overlap) starts after it.
    const launch = T0 - 20 * MIN;
    h.events.push(wmicRow(launch, 'WS-A', attack('fs01')), noise(AGENTS.fs01, launch - 30 * MIN));
    expect(await h.run(ports)).toMatchObject({ notified: 1, notSeen: 1 });
    const [original] = sent();
    // The target's event is ingested only now (late), with the launch's time.
    h.events.push(child(AGENTS.fs01, launch + 4 * SEC, PAYLOAD, { event_id: 'late-target-evt' }));

    h.clock.now = T0 + 15 * MIN;
    const second = await h.run(ports);
    expect(second).toMatchObject({ findings: 0, repeats: 0, notified: 0, followUps: 1, confirmQueries: 1 });
    expect(sent()).toHaveLength(2);
    const update = sent()[1]!;
    expect(update.entry.Subject).toMatch(/^UPDATE: confirmed on target - \[CRITICAL\] WMIC remote exec "WS-A" -> "fs01"/);
    expect(update.chatbot.metadata.threadId).toBe(original!.chatbot.metadata.threadId);
    expect(update.doc).toMatchObject({ followUp: true, fingerprint: original!.doc.fingerprint });
    expect(update.doc.confirmation).toMatchObject({ status: 'confirmed', eventId: 'late-target-evt' });

    h.clock.now = T0 + 30 * MIN;
    expect(await h.run(ports)).toMatchObject({ followUps: 0, confirmQueries: 0 });
    expect(sent()).toHaveLength(2);
  });

  it('follows up an unavailable pair once its evidence arrives two runs later, after the overlap has moved past it', async () => {
    const { original } = await notifiedBeforeTheEvidence();
    h.events.pop(); // the evidence is not there yet at the second run
    h.clock.now = T0 + 15 * MIN;
    expect(await h.run(ports)).toMatchObject({ repeats: 1, followUps: 0 });
    h.events.push(child(AGENTS.fs01, T0 - 4 * MIN + 4 * SEC, PAYLOAD, { event_id: 'late-target-evt' }));
    h.clock.now = T0 + 30 * MIN;
    expect(await h.run(ports)).toMatchObject({ repeats: 0, followUps: 1, confirmQueries: 1 });
    expect(sent().slice(1).map((s) => [s.doc.fingerprint, s.doc.followUp])).toEqual([[original.doc.fingerprint, true]]);
    h.clock.now = T0 + 45 * MIN;
    expect(await h.run(ports)).toMatchObject({ followUps: 0, confirmQueries: 0 });
    expect(sent()).toHaveLength(2);
  });

  it('spends no query and sends nothing for an awaiting pair past the horizon', async () => {
    const launch = T0 - 20 * MIN;
    h.events.push(wmicRow(launch, 'WS-A', attack('fs01')), noise(AGENTS.fs01, launch - 30 * MIN));
    expect(await h.run(ports, { confirmHorizonMs: 10 * MIN })).toMatchObject({ notified: 1, notSeen: 1 });
    h.events.push(child(AGENTS.fs01, launch + 4 * SEC, PAYLOAD));
    h.clock.now = T0 + 15 * MIN;
    expect(await h.run(ports, { confirmHorizonMs: 10 * MIN })).toMatchObject({ followUps: 0, confirmQueries: 0 });
    expect(sent()).toHaveLength(1);
  });

  it('still notifies, and logs, when the awaiting list cannot be read or written', async () => {
    const broken = Object.assign(Object.create(h.state) as typeof h.state, {
      readAwaiting: () => Promise.reject(new Error('table gone')),
      updateAwaiting: () => Promise.reject(new Error('table gone')),
    });
    const warnings: string[] = [];
    const log = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (m: string) => { warnings.push(m); } };
    h.events.push(wmicRow(T0 - 20 * MIN, 'WS-A', attack('fs01')), noise(AGENTS.fs01, T0 - 50 * MIN));
    expect(await h.run({ ...ports, state: broken, log })).toMatchObject({ status: 'completed', notified: 1, notSeen: 1 });
    expect(sent()).toHaveLength(1);
    expect(warnings).toEqual(expect.arrayContaining([
      'could not read the pairs awaiting late evidence; the run goes on', 'could not update the pairs awaiting late evidence; the run goes on',
    ]));
  });
});
