/**
 * Incidents end to end (local XSIAM, DynamoDB Local, SNS at the SDK): one message per incident,
 * chains that grow across runs in the same Slack thread, unrelated intrusions kept apart, a crash or
 * failed write around the incident items, and the DynamoDB requests a run makes for them.
 */
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { RunPorts } from '../../lambda/run/index.js';
import { DynamoStateStore } from '../../lambda/state/index.js';
import { crashAt } from '../proof/crash.js';
import { DynamoFaults, trackPhases } from '../proof/dynamo-faults.js';
import { freshTable, localClient } from '../state/dynamo-support.js';
import { HOUR, MIN, T0, snsAcceptsAll, snsMock, startHarness, wmicRow, type Harness } from './harness.js';

const ATTACK = (target: string) => `wmic /node:"${target}" /user:"CORP\\svc" /password:"Hunter2!" process call create "powershell.exe -enc SQBFAFgA"`;
const HUNT = 'HuntQuery-Windows-WMIC-RemoteExec';

interface Sent {
  readonly subject: string;
  readonly doc: { incident?: { id: string; chain: string[] }; pairs?: { sourceHost: string; targetHost: string }[]; sourceHost?: string; severity?: string };
  readonly chatbot: { metadata: { threadId: string }; content: { description: string } };
  readonly email: string;
}

function sent(): Sent[] {
  return snsMock.commandCalls(PublishBatchCommand).flatMap((call) =>
    (call.args[0].input.PublishBatchRequestEntries ?? []).map((e) => {
      const m = JSON.parse(e.Message ?? '{}') as { default: string; https: string; email: string };
      return { subject: e.Subject ?? '', doc: JSON.parse(m.default) as Sent['doc'], chatbot: JSON.parse(m.https) as Sent['chatbot'], email: m.email };
    }));
}
const pairsOf = (s: Sent) => (s.doc.pairs ?? []).map((p) => `${p.sourceHost}→${p.targetHost}`);

let h: Harness;
beforeEach(async () => {
  snsMock.reset();
  snsAcceptsAll();
  h = await startHarness({ initialLookbackMs: 2 * HOUR, overlapMs: 10 * MIN, ingestLagMs: 5 * MIN });
});
afterEach(async () => h.close());

describe('incidents end to end', () => {
  it('tells a chain found over two runs as one incident: same id, same Slack thread, chain extended', async () => {
    h.events.push(wmicRow(T0 - 30 * MIN, 'WKS-77', ATTACK('FS01')));
    expect(await h.run()).toMatchObject({ notified: 1, messages: 1 });
    h.events.push(wmicRow(T0 + 3 * MIN, 'FS01', ATTACK('DC01')));
    h.clock.now = T0 + 15 * MIN;
    const second = await h.run();
    expect(second).toMatchObject({ newPairs: 1, notified: 1, messages: 1 });

    const [one, two] = sent();
    expect(one?.doc.incident?.id).toMatch(/^INC-[0-9A-F]{10}$/);
    expect(two?.doc.incident).toEqual({ id: one?.doc.incident?.id, chain: ['WKS-77', 'FS01', 'dc01'], severity: expect.any(String), pairCount: 2 });
    expect(two?.chatbot.metadata.threadId).toBe(one?.chatbot.metadata.threadId);
    expect(two?.subject).toContain(`incident ${one?.doc.incident?.id}: "FS01" -> "dc01" (1 new pair)`);
    expect(two?.email.split('\n')[0]).toBe(`INCIDENT ${one?.doc.incident?.id}: 1 new pair to 1 target(s), highest severity ${String(two?.doc.severity).toUpperCase()}`);
    expect(pairsOf(two as Sent)).toEqual(['FS01→dc01']);
    expect(second.incidents).toEqual([expect.objectContaining({ id: one?.doc.incident?.id, chain: ['WKS-77', 'FS01', 'dc01'] })]);
  });

  it('sends one message per incident per run and keeps two unrelated intrusions apart', async () => {
    h.events.push(
      wmicRow(T0 - 40 * MIN, 'WKS-1', ATTACK('FS01')), wmicRow(T0 - 35 * MIN, 'FS01', ATTACK('DC01')), wmicRow(T0 - 34 * MIN, 'WKS-1', ATTACK('BKP01')),
      wmicRow(T0 - 30 * MIN, 'WKS-2', ATTACK('APP01')), wmicRow(T0 - 25 * MIN, 'APP01', ATTACK('DB01')),
    );
    const run = await h.run();
    expect(run).toMatchObject({ newPairs: 5, notified: 5, messages: 2 });
    const messages = sent().sort((a, b) => String(a.doc.incident?.chain[0]).localeCompare(String(b.doc.incident?.chain[0])));
    expect(messages.map((m) => m.doc.incident?.chain)).toEqual([['WKS-1', 'FS01', 'dc01', 'bkp01'], ['WKS-2', 'APP01', 'db01']]);
    // Each message lists its pairs in the order they happened.
    expect(messages.map(pairsOf)).toEqual([['WKS-1→fs01', 'FS01→dc01', 'WKS-1→bkp01'], ['WKS-2→app01', 'APP01→db01']]);
    // The subject names the targets, most severe first, each in quotes; a fan-out is not a chain.
    expect(messages[0]?.subject).toMatch(/^\[[A-Z]+\] WMIC incident INC-[0-9A-F]+: "(WKS-1|FS01)" \+1 -> ("(fs01|dc01|bkp01)"(, )?){3} \(3 new pairs\)$/);
    expect(messages[0]?.chatbot.content.description.length).toBeLessThanOrEqual(3_000);
    expect(messages[0]?.chatbot.metadata.threadId).not.toBe(messages[1]?.chatbot.metadata.threadId);
    // The old per-pair fields stay in place, filled from the incident's highest-risk pair.
    for (const m of messages) {
      expect(pairsOf(m)).toContain(`${m.doc.sourceHost}→${(m.doc as { targetHost?: string }).targetHost}`);
      expect(m.doc.severity).toBe((m.doc.incident as { severity?: string }).severity);
    }
  });

  for (const fault of ['crash after the incident write', 'incident write failing'] as const) {
    it(`${fault}: the next run notifies each pair once under the same incident id`, async () => {
      h.events.push(wmicRow(T0 - 40 * MIN, 'WKS-77', ATTACK('FS01')), wmicRow(T0 - 30 * MIN, 'FS01', ATTACK('DC01')));
      const failing: Partial<RunPorts> = fault === 'crash after the incident write'
        ? crashAt(h.ports, 'after incident write')
        : { state: Object.assign(Object.create(h.state) as DynamoStateStore, { writeIncidents: async () => { throw new Error('write refused'); } }) };
      await expect(h.run(failing)).rejects.toMatchObject({ name: 'StageError', stage: 'incidents' });
      expect(sent()).toEqual([]);
      const before = await h.state.readIncidents(HUNT, ['wks-77'], h.clock.now);

      h.clock.now = T0 + 40 * MIN;
      const clean = await h.run();
      expect(clean).toMatchObject({ notified: 2, messages: 1 });
      const [message] = sent();
      expect(pairsOf(message as Sent)).toEqual(['WKS-77→fs01', 'FS01→dc01']);
      if (fault === 'crash after the incident write') expect(message?.doc.incident?.id).toBe(before[0]?.id);
      else expect(before).toEqual([]);
      expect(clean.incidents.map((i) => i.id)).toEqual([message?.doc.incident?.id]);
      h.clock.now = T0 + 55 * MIN;
      expect(await h.run()).toMatchObject({ notified: 0 });
      expect(sent()).toHaveLength(1);
    });
  }

  it('makes a few batched DynamoDB requests for the incidents of a run, none per pair', async () => {
    // 120 new pairs in 20 incidents (under the storm limit of 25 messages): each of 20 workstations reaches 6 servers.
    for (let w = 0; w < 20; w += 1) {
      for (let s = 0; s < 6; s += 1) h.events.push(wmicRow(T0 - 40 * MIN + w * 1000 + s, `WKS-${w}`, ATTACK(`srv-${w}-${s}`)));
    }
    const ddb = localClient(inject('dynamoDbEndpoint'));
    try {
      const faults = new DynamoFaults(ddb);
      const store = new DynamoStateStore({ client: ddb, tableName: await freshTable(ddb, 'inc-count') });
      const run = await h.run({ state: trackPhases(store, faults) });
      expect(run).toMatchObject({ newPairs: 120, notified: 120, messages: 20 });
      const ops = (phase: string) => Object.fromEntries([...faults.seen].filter(([k]) => k.startsWith(`${phase}:`)).map(([k, n]) => [k.slice(phase.length + 1), n]));
      // 140 hosts: two BatchGetItem calls of the host index (100 keys each); nothing stored yet, so no incident read.
      expect(ops('readIncidents')).toEqual({ BatchGetItem: 2 });
      // 20 incident items and 140 host index items: two transactions of at most 100 puts.
      expect(ops('writeIncidents')).toEqual({ TransactWriteItems: 2 });

      // The next run: 20 pivots, one per incident, join them (index read, incident read, write).
      faults.seen.clear();
      for (let w = 0; w < 20; w += 1) h.events.push(wmicRow(T0 + 2 * MIN + w * 1000, `SRV-${w}-0`, ATTACK(`dc-${w}`)));
      h.clock.now = T0 + 15 * MIN;
      const next = await h.run({ state: trackPhases(store, faults) });
      expect(next).toMatchObject({ newPairs: 20, notified: 20, messages: 20 });
      // 40 hosts: one host index read, one incident read.
      expect(ops('readIncidents')).toEqual({ BatchGetItem: 2 });
      // 20 incidents, now of 8 hosts each, rewritten with their 160 host index items (TTL renewed): two transactions.
      expect(ops('writeIncidents')).toEqual({ TransactWriteItems: 2 });
      expect(new Set(next.incidents.map((i) => i.id))).toEqual(new Set(run.incidents.map((i) => i.id)));
      expect(next.incidents.every((i) => i.chain.length === 8)).toBe(true);
    } finally {
      ddb.destroy();
    }
  });
});
