import {
  KMSDisabledException,
  KMSThrottlingException,
  PublishBatchCommand,
  SNSClient,
  ThrottledException,
  type PublishBatchRequestEntry,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TrackedFinding } from '../../lambda/finding.js';
import { NotifyConfigError, SnsNotifier, SNS_MAX_BYTES } from '../../lambda/notify/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:wmic-hunt';
const sns = mockClient(SNSClient);
const ctx = makeContext();
const sleeps: number[] = [];
/** A fake clock that only sleeping advances: pacing is exact and instant. */
let clock = 0;

function notifier(stormLimit = 50, extra: Partial<ConstructorParameters<typeof SnsNotifier>[0]> = {}) {
  return new SnsNotifier({
    client: new SNSClient({ region: 'eu-west-1' }),
    topicArn: TOPIC,
    stormLimit,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    ...extra,
  });
}

function findings(n: number, overrides: Partial<TrackedFinding> = {}): TrackedFinding[] {
  return Array.from({ length: n }, (_, i) => makeFinding({ sourceHost: `WKS-${i}`, targetHost: `srv-${i}`, ...overrides }));
}

/** Fake-clock time and entry count of every PublishBatch call. */
const sent: { at: number; count: number }[] = [];

/** Answers every entry as accepted. */
function acceptAll(): void {
  sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
    sent.push({ at: clock, count: input.PublishBatchRequestEntries.length });
    return { Successful: input.PublishBatchRequestEntries.map((e) => ({ Id: e.Id, MessageId: `msg-${e.Id}` })), Failed: [] };
  });
}

/** Most messages sent within any one second (sliding). */
function busiestSecond(): number {
  return Math.max(0, ...sent.map((s) => sent.filter((t) => t.at >= s.at && t.at < s.at + 1_000).reduce((n, t) => n + t.count, 0)));
}

function entries(call: number): PublishBatchRequestEntry[] {
  return (sns.commandCalls(PublishBatchCommand)[call]?.args[0].input.PublishBatchRequestEntries ?? []) as PublishBatchRequestEntry[];
}

beforeEach(() => {
  sns.reset();
  sleeps.length = 0;
  sent.length = 0;
  clock = Date.UTC(2026, 10, 29, 12);
});

describe('SnsNotifier', () => {
  it('publishes one message per finding in batches of at most 10 with unique ids', async () => {
    acceptAll();
    const fs = findings(23);

    const outcome = await notifier().publish(fs, ctx);

    expect(outcome).toEqual({ delivered: fs.map((f) => f.fingerprint), failed: [], messages: 23, digest: false });
    const calls = sns.commandCalls(PublishBatchCommand);
    expect(calls.map((c) => c.args[0].input.PublishBatchRequestEntries?.length)).toEqual([10, 10, 3]);
    for (const c of calls) {
      const ids = c.args[0].input.PublishBatchRequestEntries?.map((e) => e.Id) ?? [];
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
      expect(c.args[0].input.TopicArn).toBe(TOPIC);
    }
  });

  it('sends MessageStructure json with email, https and default keys and a subject; filter fields are in `default`, not attributes', async () => {
    acceptAll();
    const [f] = findings(1, { severity: 'high', riskScore: 90 });

    await notifier().publish([f!], ctx);

    const [entry] = entries(0);
    expect(entry?.MessageStructure).toBe('json');
    expect(entry?.Subject).toBe('[HIGH] WMIC remote exec "WKS-0" -> "srv-0" (risk 90)');
    const body = JSON.parse(entry?.Message ?? '{}') as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['default', 'email', 'https']);
    expect(body['email']).toContain('"WKS-0" -> "srv-0"');
    expect(JSON.parse(body['https'] ?? '')).toMatchObject({ version: '1.0', source: 'custom' });
    expect(JSON.parse(body['default'] ?? '')).toMatchObject({
      kind: 'finding', fingerprint: f!.fingerprint, severity: 'high', riskScore: 90, sourceHost: 'WKS-0', hunt: { id: 'HuntQuery-Windows-WMIC-RemoteExec' },
    });
    // SNS does not deliver attributes of a json-structure message: none are sent.
    expect(entry?.MessageAttributes).toBeUndefined();
  });

  it('splits batches by size so no call exceeds 256 KiB', async () => {
    acceptAll();
    const big = 'C'.repeat(30_000);
    const fs = findings(10, { remoteCommand: big, commandLine: big, parentCommandLine: big });

    const outcome = await notifier().publish(fs, ctx);

    expect(outcome.delivered).toHaveLength(10);
    const calls = sns.commandCalls(PublishBatchCommand);
    expect(calls.length).toBeGreaterThan(1);
    for (const c of calls) {
      const bytes = (c.args[0].input.PublishBatchRequestEntries ?? []).reduce(
        (n, e) =>
          n +
          Buffer.byteLength(e.Message ?? '') +
          Buffer.byteLength(e.Subject ?? '') +
          Object.entries(e.MessageAttributes ?? {}).reduce((m, [k, v]) => m + k.length + (v.DataType?.length ?? 0) + Buffer.byteLength(v.StringValue ?? ''), 0),
        0,
      );
      expect(bytes).toBeLessThanOrEqual(SNS_MAX_BYTES);
    }
  });

  it('reports entries in Failed[] as failed with the SNS code and delivers the rest', async () => {
    sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => ({
      Successful: input.PublishBatchRequestEntries.filter((e) => e.Id !== 'm1').map((e) => ({ Id: e.Id, MessageId: 'x' })),
      Failed: [{ Id: 'm1', Code: 'InvalidParameter', Message: 'Invalid parameter: Message too long', SenderFault: true }],
    }));
    const fs = findings(3);

    const outcome = await notifier().publish(fs, ctx);

    expect(outcome.delivered).toEqual([fs[0]!.fingerprint, fs[2]!.fingerprint]);
    expect(outcome.failed).toEqual([{ fingerprint: fs[1]!.fingerprint, code: 'InvalidParameter', message: 'Invalid parameter: Message too long' }]);
    expect(outcome.messages).toBe(2);
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(1);
  });

  it('treats an entry SNS answered for in neither list as undelivered', async () => {
    sns.on(PublishBatchCommand).resolves({ Successful: [{ Id: 'm0', MessageId: 'x' }], Failed: [] });
    const fs = findings(2);

    const outcome = await notifier().publish(fs, ctx);

    expect(outcome.delivered).toEqual([fs[0]!.fingerprint]);
    expect(outcome.failed).toEqual([expect.objectContaining({ fingerprint: fs[1]!.fingerprint, code: 'MissingResult' })]);
  });

  it('retries a throttled batch with backoff and then delivers it', async () => {
    sns
      .on(PublishBatchCommand)
      .rejectsOnce(new ThrottledException({ message: 'Rate exceeded', $metadata: {} }))
      .resolves({ Successful: [{ Id: 'm0', MessageId: 'x' }], Failed: [] });
    const fs = findings(1);

    const outcome = await notifier().publish(fs, ctx);

    expect(outcome.delivered).toEqual([fs[0]!.fingerprint]);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 2);
    expect(sleeps).toEqual([250]);
  });

  it('gives up on a batch that stays throttled and reports it failed', async () => {
    sns.on(PublishBatchCommand).rejects(new KMSThrottlingException({ message: 'KMS rate exceeded', $metadata: {} }));
    const fs = findings(2);

    const outcome = await notifier(50, { maxAttempts: 3 }).publish(fs, ctx);

    expect(outcome.delivered).toEqual([]);
    expect(outcome.messages).toBe(0);
    expect(outcome.failed).toEqual(fs.map((f) => ({ fingerprint: f.fingerprint, code: 'KMSThrottlingException', message: 'KMS rate exceeded' })));
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 3);
    expect(sleeps).toEqual([250, 500]);
  });

  it('retries only the throttled entries of a partial failure', async () => {
    sns
      .on(PublishBatchCommand)
      .resolvesOnce({ Successful: [{ Id: 'm0', MessageId: 'x' }], Failed: [{ Id: 'm1', Code: 'Throttling', SenderFault: false, Message: 'slow down' }] })
      .resolves({ Successful: [{ Id: 'm1', MessageId: 'y' }], Failed: [] });
    const fs = findings(2);

    const outcome = await notifier().publish(fs, ctx);

    expect(outcome.delivered).toEqual([fs[0]!.fingerprint, fs[1]!.fingerprint]);
    expect(entries(1).map((e) => e.Id)).toEqual(['m1']);
  });

  it('fails a batch at once on a KMS error the SDK does not retry', async () => {
    sns.on(PublishBatchCommand).rejects(new KMSDisabledException({ message: 'key is disabled', $metadata: {} }));
    const fs = findings(3);

    const outcome = await notifier().publish(fs, ctx);

    expect(outcome.failed.map((f) => f.code)).toEqual(['KMSDisabledException', 'KMSDisabledException', 'KMSDisabledException']);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 1);
    expect(sleeps).toEqual([]);
  });

  it('fails only the batch whose call failed; other batches still go out', async () => {
    sns
      .on(PublishBatchCommand)
      .rejectsOnce(new Error('socket hang up'))
      .callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => ({
        Successful: input.PublishBatchRequestEntries.map((e) => ({ Id: e.Id, MessageId: 'x' })),
      }));
    const fs = findings(12);

    const outcome = await notifier().publish(fs, ctx);

    expect(outcome.failed).toHaveLength(10);
    expect(outcome.failed[0]).toEqual({ fingerprint: fs[0]!.fingerprint, code: 'Error', message: 'socket hang up' });
    expect(outcome.delivered).toEqual([fs[10]!.fingerprint, fs[11]!.fingerprint]);
  });

  it('fails a finding that cannot be rendered alone', async () => {
    acceptAll();
    const good = makeFinding();
    const bad = { ...makeFinding(), attack: undefined, reasons: [{ get code(): string { throw new Error('boom'); }, points: 1, detail: '' }] } as unknown as TrackedFinding;

    const outcome = await notifier().publish([bad, good], ctx);

    expect(outcome.delivered).toEqual([good.fingerprint]);
    expect(outcome.failed).toEqual([expect.objectContaining({ fingerprint: bad.fingerprint, code: 'RenderError' })]);
    expect(outcome.failed[0]?.message).toContain('boom');
  });

  it('sends nothing for no findings', async () => {
    acceptAll();
    expect(await notifier().publish([], ctx)).toEqual({ delivered: [], failed: [], messages: 0, digest: false });
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 0);
  });

  describe('storm digest', () => {
    it('sends one digest instead of a flood and still delivers every fingerprint', async () => {
      acceptAll();
      const fs = findings(30, { severity: 'high' });

      const outcome = await notifier(25).publish(fs, makeContext({ totals: { findings: 31, newPairs: 30, repeats: 1, suppressed: 0 } }));

      expect(outcome.digest).toBe(true);
      expect(outcome.messages).toBe(1);
      expect(outcome.delivered).toEqual(fs.map((f) => f.fingerprint));
      const [entry] = entries(0);
      expect(entries(0)).toHaveLength(1);
      expect(entry?.Subject).toBe('[HIGH] WMIC remote exec storm: 30 new host pairs (digest)');
      expect(entry?.MessageAttributes).toBeUndefined();
      const body = JSON.parse(entry?.Message ?? '{}') as Record<string, string>;
      // The same filter fields as a finding's, so one MessageBody policy routes both.
      expect(JSON.parse(body['default'] ?? '')).toMatchObject({ kind: 'digest', severity: 'high', highestSeverity: 'high', riskScore: 95 });
      expect(body['email']).toContain('this digest replaces the 30 per-pair messages');
    });

    it('sends per-pair messages at exactly the storm limit', async () => {
      acceptAll();
      const outcome = await notifier(5).publish(findings(5), ctx);
      expect(outcome).toMatchObject({ digest: false, messages: 5 });
    });

    it('reports every covered fingerprint failed when the digest is rejected', async () => {
      sns.on(PublishBatchCommand).resolves({ Failed: [{ Id: 'm0', Code: 'AuthorizationError', SenderFault: true, Message: 'not authorized' }] });
      const fs = findings(4);

      const outcome = await notifier(3).publish(fs, ctx);

      expect(outcome.digest).toBe(true);
      expect(outcome.delivered).toEqual([]);
      expect(outcome.failed.map((f) => [f.fingerprint, f.code])).toEqual(fs.map((f) => [f.fingerprint, 'AuthorizationError']));
    });

    it('leaves a malformed finding out of the digest and still sends it for the others', async () => {
      acceptAll();
      const fs = findings(4);
      const bad = { ...makeFinding(), get sourceHost(): string { throw new Error('corrupt record'); } } as unknown as TrackedFinding;

      const outcome = await notifier(3).publish([...fs, bad], ctx);

      expect(outcome.digest).toBe(true);
      expect(outcome.delivered).toEqual(fs.map((f) => f.fingerprint));
      expect(outcome.failed).toEqual([expect.objectContaining({ fingerprint: bad.fingerprint, code: 'RenderError' })]);
      expect(outcome.failed[0]?.message).toContain('corrupt record');
    });

    it('keeps a huge storm digest under the SNS limit', async () => {
      acceptAll();
      const fs = findings(5_000, { remoteCommand: 'D'.repeat(5_000) });

      const outcome = await notifier(100).publish(fs, ctx);

      expect(outcome.delivered).toHaveLength(5_000);
      expect(Buffer.byteLength(entries(0)[0]?.Message ?? '')).toBeLessThan(SNS_MAX_BYTES);
    });
  });

  it('rejects unusable options, listing every problem', () => {
    expect(() => new SnsNotifier({ client: new SNSClient({ region: 'eu-west-1' }), topicArn: 'wmic-hunt', stormLimit: 0 })).toThrow(NotifyConfigError);
    try {
      new SnsNotifier({ client: undefined as never, topicArn: '', stormLimit: 1.5, maxAttempts: 0 });
    } catch (error) {
      expect(error).toBeInstanceOf(NotifyConfigError);
      expect((error as NotifyConfigError).problems).toHaveLength(4);
      expect((error as NotifyConfigError).name).toBe('NotifyConfigError');
    }
    expect.assertions(4);
  });
});

describe('pacing for the SNS email limit (10 messages per second per email subscription)', () => {
  it('never sends more than 10 messages in any second, however many pairs a run has', async () => {
    acceptAll();
    const fs = findings(45);

    const outcome = await notifier().publish(fs, ctx);

    expect(outcome.delivered).toHaveLength(45);
    expect(sent.map((s) => s.count)).toEqual([10, 10, 10, 10, 5]);
    expect(busiestSecond()).toBe(10);
  });

  it('paces a later publish of the same notifier against the earlier one (recovery, next chunk, next warm run)', async () => {
    acceptAll();
    const n = notifier(25);

    await n.publish(findings(8), ctx);
    await n.publish(findings(8), ctx);
    await n.publish(findings(30), ctx); // a digest: one message, still paced

    expect(sent.map((s) => s.count)).toEqual([8, 8, 1]);
    expect(busiestSecond()).toBeLessThanOrEqual(10);
  });

  it('counts retried entries again: a throttled batch of 10 waits for the window, not only the backoff', async () => {
    let calls = 0;
    sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
      sent.push({ at: clock, count: input.PublishBatchRequestEntries.length });
      calls += 1;
      if (calls === 1) throw new ThrottledException({ message: 'Rate exceeded', $metadata: {} });
      return { Successful: input.PublishBatchRequestEntries.map((e) => ({ Id: e.Id, MessageId: 'm' })), Failed: [] };
    });

    const outcome = await notifier().publish(findings(10), ctx);

    expect(outcome.delivered).toHaveLength(10);
    expect(busiestSecond()).toBe(10);
    expect((sent[1]?.at ?? 0) - (sent[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it('leaves what the deadline does not allow PENDING as deferred, in order, and sends none of it', async () => {
    acceptAll();
    const fs = findings(25);

    const outcome = await notifier().publish(fs, makeContext({ deadline: clock + 1_500 }));

    expect(outcome.delivered).toEqual(fs.slice(0, 20).map((f) => f.fingerprint));
    expect(outcome.deferred).toEqual(fs.slice(20).map((f) => f.fingerprint));
    expect(outcome.failed).toEqual([]);
    expect(sent.map((s) => s.count)).toEqual([10, 10]);
  });

  it('rejects a rate above the email limit', () => {
    expect(() => notifier(50, { maxMessagesPerSecond: 11 })).toThrow(/maxMessagesPerSecond must be a whole number from 1 to 10/);
    expect(() => notifier(50, { paceWindowMs: 500 })).toThrow(/paceWindowMs must be at least 1000/);
  });
});
