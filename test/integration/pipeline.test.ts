import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createDetector, loadAllowlist } from '../../lambda/detect/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { findingKey } from '../../lambda/state/index.js';
import { localClient } from '../state/dynamo-support.js';
import type { Notifier } from '../../lambda/ports.js';
import { PublishFailedError } from '../../lambda/run/index.js';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { HOUR, MIN, T0, publishedFindings, snsAcceptsAll, snsMock, startHarness, wmicRow, type Harness } from './harness.js';

const ATTACK = (target: string) => `wmic /node:"${target}" /user:"CORP\\svc" /password:"Hunter2!" process call create "powershell.exe -enc SQBFAFgA"`;
// Every pair a message covers: an incident's message lists its pairs in `pairs`.
const pairs = () => publishedFindings().flatMap((f) => (f.pairs ?? [f]) as { sourceHost?: string; targetHost?: string }[]).map((f) => `${f.sourceHost}→${f.targetHost}`);

let h: Harness;
beforeEach(async () => {
  snsMock.reset();
  snsAcceptsAll();
  h = await startHarness({ initialLookbackMs: 2 * HOUR, overlapMs: 10 * MIN, ingestLagMs: 5 * MIN, maxWindowMs: 6 * HOUR });
});
afterEach(async () => h.close());

describe('one run end to end (DynamoDB Local, local XSIAM, SNS at the SDK)', () => {
  it('notifies each new host pair once; later runs count repeats without re-sending', async () => {
    h.events.push(wmicRow(T0 - 60 * MIN, 'WS-01', ATTACK('fs01')), wmicRow(T0 - 50 * MIN, 'WS-01', ATTACK('db01')));
    const first = await h.run();
    expect(first).toMatchObject({ status: 'completed', rows: 2, newPairs: 2, notified: 2, repeats: 0 });
    expect(pairs().sort()).toEqual(['WS-01→db01', 'WS-01→fs01']);

    // 15 minutes later: one event re-read in the overlap, one new event of a known pair.
    h.events.push(wmicRow(T0 + 2 * MIN, 'WS-01', ATTACK('fs01')));
    h.events.push(wmicRow(T0 - 8 * MIN, 'WS-01', ATTACK('db01')));
    h.clock.now = T0 + 15 * MIN;
    const second = await h.run();
    expect(second).toMatchObject({ newPairs: 0, notified: 0, repeats: 2 });
    expect(snsMock.commandCalls(PublishBatchCommand)).toHaveLength(1);

    h.clock.now = T0 + 30 * MIN;
    expect((await h.run()).notified).toBe(0);
    expect(pairs()).toHaveLength(2);
  });

  it('counts distinct events per pair across overlapping windows', async () => {
    const e1 = wmicRow(T0 - 9 * MIN, 'WS-01', ATTACK('fs01'));
    h.events.push(e1);
    h.clock.now = T0;
    await h.run();
    h.clock.now = T0 + 5 * MIN; // the overlap re-reads e1
    h.events.push(wmicRow(T0 - 1 * MIN, 'WS-01', ATTACK('fs01')));
    await h.run();
    const fingerprint = publishedFindings()[0]!.fingerprint as string;
    const { Item } = await getFinding(h, fingerprint);
    expect(Item?.count).toBe(2);
  });

  it('notifies a pair again once its dedupe window has passed', async () => {
    h.events.push(wmicRow(T0 - 30 * MIN, 'WS-01', ATTACK('fs01')));
    await h.run({}, { dedupeWindowMs: HOUR });
    h.events.push(wmicRow(T0 + 2 * HOUR, 'WS-01', ATTACK('fs01')));
    h.clock.now = T0 + 2 * HOUR + 10 * MIN;
    const later = await h.run({}, { dedupeWindowMs: HOUR });
    expect(later).toMatchObject({ newPairs: 1, notified: 1 });
    expect(pairs()).toEqual(['WS-01→fs01', 'WS-01→fs01']);
  });

  it('recovers a crash between claim and publish: the next run publishes, and nothing is sent twice', async () => {
    h.events.push(wmicRow(T0 - 30 * MIN, 'WS-01', ATTACK('fs01')));
    const crashing: Notifier = { publish: async () => { throw new Error('process killed'); } };
    await expect(h.run({ notifier: crashing })).rejects.toThrow('process killed');
    expect(await h.state.readCheckpoint('HuntQuery-Windows-WMIC-RemoteExec')).toBeNull();

    h.clock.now = T0 + 15 * MIN;
    const next = await h.run();
    expect(next).toMatchObject({ recovered: 1, notified: 1 });
    h.clock.now = T0 + 30 * MIN;
    expect((await h.run()).notified).toBe(0);
    expect(pairs()).toEqual(['WS-01→fs01']);
  });

  it('fails loudly when SNS refuses, keeps the findings PENDING and the checkpoint in place', async () => {
    h.events.push(wmicRow(T0 - 30 * MIN, 'WS-01', ATTACK('fs01')));
    await h.run();
    const before = await h.state.readCheckpoint('HuntQuery-Windows-WMIC-RemoteExec');

    h.events.push(wmicRow(T0 + 5 * MIN, 'WS-02', ATTACK('app01')));
    h.clock.now = T0 + 15 * MIN;
    snsMock.reset();
    snsMock.on(PublishBatchCommand).resolves({ Successful: [], Failed: [{ Id: 'x', Code: 'KMSAccessDenied', SenderFault: true, Message: 'denied' }] });
    const err = await h.run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishFailedError);
    expect(await h.state.readCheckpoint('HuntQuery-Windows-WMIC-RemoteExec')).toEqual(before);

    snsMock.reset();
    snsAcceptsAll();
    h.clock.now = T0 + 30 * MIN;
    const retry = await h.run();
    expect(retry.notified).toBe(1);
    expect(pairs()).toEqual(['WS-02→app01']);
  });

  it('leaves the checkpoint in place after a failed query; the next run covers the gap', async () => {
    await h.run();
    const before = await h.state.readCheckpoint('HuntQuery-Windows-WMIC-RemoteExec');
    h.events.push(wmicRow(T0 + 3 * MIN, 'WS-03', ATTACK('hr01')));
    h.xsiam.faults.add('start_xql_query', { status: 503, times: 10 });
    h.clock.now = T0 + 15 * MIN;
    await expect(h.run()).rejects.toThrow();
    expect(await h.state.readCheckpoint('HuntQuery-Windows-WMIC-RemoteExec')).toEqual(before);

    h.xsiam.faults.clear();
    h.clock.now = T0 + 60 * MIN;
    const next = await h.run();
    expect(next.window?.from).toBe(before!.coveredUntil - 10 * MIN);
    expect(pairs()).toEqual(['WS-03→hr01']);
  });

  it('catches up after an outage in bounded chunks, advancing the checkpoint chunk by chunk', async () => {
    await h.run();
    h.events.push(wmicRow(T0 + 3 * HOUR, 'WS-04', ATTACK('a01')), wmicRow(T0 + 17 * HOUR, 'WS-04', ATTACK('b01')));
    h.clock.now = T0 + 20 * HOUR;
    const catchUp = await h.run();
    expect(catchUp.chunks).toBe(4);
    expect(catchUp.status).toBe('completed');
    expect((await h.state.readCheckpoint('HuntQuery-Windows-WMIC-RemoteExec'))?.coveredUntil).toBe(T0 + 20 * HOUR - 5 * MIN);
    expect(pairs().sort()).toEqual(['WS-04→a01', 'WS-04→b01']);
  });

  it('stops a long catch-up near the deadline after a committed chunk; the next run continues from there', async () => {
    await h.run();
    h.events.push(wmicRow(T0 + 17 * HOUR, 'WS-05', ATTACK('late01')));
    h.clock.now = T0 + 20 * HOUR;
    const partial = await h.run({}, {}, 30_000);
    expect(partial).toMatchObject({ status: 'partial', chunks: 1 });
    const checkpoint = await h.state.readCheckpoint('HuntQuery-Windows-WMIC-RemoteExec');
    expect(checkpoint?.coveredUntil).toBe(partial.window?.to);

    const rest = await h.run();
    expect(rest.status).toBe('completed');
    expect(rest.window?.from).toBe(checkpoint!.coveredUntil - 10 * MIN);
    expect(pairs()).toEqual(['WS-05→late01']);
  });

  it('skips time older than the maximum lookback and reports it', async () => {
    await h.run();
    h.clock.now = T0 + 100 * HOUR;
    const summary = await h.run({}, { maxLookbackMs: 72 * HOUR, maxWindowMs: 24 * HOUR });
    expect(summary.skippedMs).toBe(28 * HOUR + 5 * MIN); // from the checkpoint (T0 − lag) to now − max lookback
  });

  it('does not run while another run holds the lease', async () => {
    expect(await h.state.acquireLease('HuntQuery-Windows-WMIC-RemoteExec', 'manual-invoke', T0, 15 * MIN)).toBe(true);
    h.events.push(wmicRow(T0 - 30 * MIN, 'WS-01', ATTACK('fs01')));
    const summary = await h.run();
    expect(summary.status).toBe('lease-held');
    expect(h.xsiam.stats.queriesStarted).toBe(0);
    expect(pairs()).toEqual([]);
  });

  it('keeps allowlisted and low-severity pairs out of notifications but counts them', async () => {
    // The allowlisted pair runs the same critical command as the pair that is notified, so only
    // the allowlist (not the minimum severity) can keep it out; the msiexec push scores high, below it.
    const allowlist = loadAllowlist({ schemaVersion: 1, entries: [{
      id: 'sccm-push', owner: 'it-ops@example.invalid', reason: 'software distribution', expires: '2999-12-31',
      sourceHost: 'SCCM01',
    }] });
    const detector = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist });
    h.events.push(wmicRow(T0 - 30 * MIN, 'SCCM01', ATTACK('ws-001')));
    h.events.push(wmicRow(T0 - 25 * MIN, 'WS-02', 'wmic /node:"ws-002" process call create "msiexec.exe /i C:\\pkg\\vpn.msi /qn"'));
    h.events.push(wmicRow(T0 - 20 * MIN, 'WS-01', ATTACK('fs01')));
    const summary = await h.run({ detector }, { minSeverity: 'critical' });
    expect(summary).toMatchObject({ findings: 3, newPairs: 3, suppressed: 1, belowMinSeverity: 1, notified: 1 });
    expect(pairs()).toEqual(['WS-01→fs01']);
  });
});

async function getFinding(h: Harness, fingerprint: string): Promise<{ Item?: Record<string, unknown> }> {
  const doc = DynamoDBDocumentClient.from(localClient(inject('dynamoDbEndpoint')));
  const tableName = (h.state as unknown as { tableName: string }).tableName;
  return doc.send(new GetCommand({ TableName: tableName, Key: { pk: findingKey('HuntQuery-Windows-WMIC-RemoteExec', fingerprint) } }));
}
