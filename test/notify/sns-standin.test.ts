/**
 * The notifier against the SNS stand-in (real SDK, query protocol, real clock): an intrusion burst
 * reaches the email subscriber without tripping its 10-per-second limit, Slack gets descriptions it
 * can show, and no attribute is sent that SNS would not deliver. The first tests show the stand-in
 * does catch each of those faults, so a pass means something.
 */
import { PublishBatchCommand, PublishCommand } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrackedFinding } from '../../lambda/finding.js';
import { SnsNotifier } from '../../lambda/notify/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';
import { CHATBOT_ENDPOINT, type SnsStandin, startSnsStandin } from '../support/sns-standin.js';

let sns: SnsStandin;

beforeEach(async () => {
  sns = await startSnsStandin();
});

afterEach(async () => {
  await sns.close();
});

/** Most email deliveries that arrived within any one second (sliding). */
function busiestSecond(endpoint = 'soc@example.com'): number {
  const times = sns.deliveries.filter((d) => d.endpoint === endpoint).map((d) => d.at);
  return Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + 1_000).length));
}

/** `n` new high pairs of one intrusion, each carrying a `payloadChars`-character remote command. */
function burst(n: number, payloadChars = 0): TrackedFinding[] {
  return Array.from({ length: n }, (_, i) => {
    const remoteCommand = payloadChars > 0 ? `powershell.exe -nop -w hidden -enc ${'SQBFAFgA'.repeat(payloadChars / 8)}`.slice(0, payloadChars) : undefined;
    return makeFinding({
      sourceHost: 'WS-FIN-023', targetHost: `SRV-${String(i).padStart(2, '0')}`, severity: 'high', riskScore: 88,
      ...(remoteCommand ? { remoteCommand, commandLine: `wmic /node:"SRV-${i}" process call create "${remoteCommand}"` } : {}),
    });
  });
}

const entry = (i: number, message: string, extra: Record<string, unknown> = {}) => ({ Id: `e${i}`, Message: message, MessageStructure: 'json', ...extra });
const chatbot = (description: string) => JSON.stringify({ version: '1.0', source: 'custom', content: { textType: 'client-markdown', title: 't', description } });

describe('the SNS stand-in enforces what SNS and its subscribers enforce', () => {
  it('deactivates the email subscription when two unpaced batches put 18 messages into one second', async () => {
    const client = sns.client();
    const body = JSON.stringify({ default: '{}', email: 'x' });
    await client.send(new PublishBatchCommand({ TopicArn: sns.topicArn, PublishBatchRequestEntries: Array.from({ length: 10 }, (_, i) => entry(i, body)) }));
    await client.send(new PublishBatchCommand({ TopicArn: sns.topicArn, PublishBatchRequestEntries: Array.from({ length: 8 }, (_, i) => entry(i, body)) }));

    expect(sns.violations.map((v) => v.rule)).toContain('email-rate');
    expect(sns.status('soc@example.com')).toBe('PendingConfirmation');
    expect(sns.deliveries.filter((d) => d.protocol === 'email')).toHaveLength(10);
  });

  it('rejects an 11-entry batch and a json message without `default`, as SNS does', async () => {
    const client = sns.client();
    await expect(
      client.send(new PublishBatchCommand({ TopicArn: sns.topicArn, PublishBatchRequestEntries: Array.from({ length: 11 }, (_, i) => entry(i, '{"default":"x"}')) })),
    ).rejects.toMatchObject({ name: 'TooManyEntriesInBatchRequestException' });
    const reply = await client.send(new PublishBatchCommand({ TopicArn: sns.topicArn, PublishBatchRequestEntries: [entry(0, JSON.stringify({ email: 'x' }))] }));
    expect(reply.Failed?.[0]).toMatchObject({ Code: 'InvalidParameter', Message: expect.stringContaining('No default entry') });
  });

  it('flags a Chatbot description longer than a Slack section, and attributes sent with a json structure', async () => {
    await sns.client().send(
      new PublishCommand({
        TopicArn: sns.topicArn, MessageStructure: 'json',
        Message: JSON.stringify({ default: '{}', https: chatbot('x'.repeat(3_001)) }),
        MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } },
      }),
    );

    expect(sns.violations.map((v) => v.rule).sort()).toEqual(['attributes-not-delivered', 'slack-section-limit']);
    expect(sns.deliveries.every((d) => Object.keys(d.attributes).length === 0)).toBe(true);
  });
});

describe('SnsNotifier through the real SDK to the SNS stand-in', () => {
  it('publishes a burst of 18 new high pairs without ever putting more than 10 messages into one second', async () => {
    const fs = burst(18, 2_500);
    const notifier = new SnsNotifier({ client: sns.client(), topicArn: sns.topicArn, stormLimit: 25 });

    const outcome = await notifier.publish(fs, makeContext({ deadline: Date.now() + 60_000 }));

    expect(outcome).toEqual({ delivered: fs.map((f) => f.fingerprint), failed: [], messages: 18, digest: false });
    expect(sns.violations).toEqual([]);
    expect(sns.status('soc@example.com')).toBe('Confirmed');
    expect(sns.deliveries.filter((d) => d.protocol === 'email')).toHaveLength(18);
    expect(busiestSecond()).toBeLessThanOrEqual(10);
    expect(sns.calls.every((c) => c.entries.every((e) => Object.keys(e.attributes).length === 0))).toBe(true);
  });

  it('keeps every Chatbot description within 3,000 characters with a 2,500-character payload, marks the cut, keeps the full text in the email and JSON', async () => {
    const [f] = burst(1, 2_500);
    await new SnsNotifier({ client: sns.client(), topicArn: sns.topicArn, stormLimit: 25 }).publish([f!], makeContext());

    const slack = sns.deliveries.find((d) => d.endpoint === CHATBOT_ENDPOINT);
    const description = (JSON.parse(slack?.body ?? '{}') as { content: { description: string } }).content.description;
    expect(description.length).toBeLessThanOrEqual(3_000);
    expect(description).toMatch(/… \(cut: \d+ more characters; full text in the email\)/);
    expect((description.match(/```/g) ?? []).length % 2).toBe(0);
    const email = sns.deliveries.find((d) => d.protocol === 'email')?.body ?? '';
    expect(email).toContain(f!.remoteCommand);
    expect(sns.violations).toEqual([]);
  });

  it('paces a second publish of the same warm notifier against the first (recovery or the next chunk)', async () => {
    const notifier = new SnsNotifier({ client: sns.client(), topicArn: sns.topicArn, stormLimit: 25 });

    await notifier.publish(burst(7), makeContext());
    await notifier.publish(burst(7), makeContext());

    expect(sns.deliveries.filter((d) => d.protocol === 'email')).toHaveLength(14);
    expect(sns.violations).toEqual([]);
    expect(busiestSecond()).toBeLessThanOrEqual(10);
  });

  it('routes with a MessageBody filter policy on the `default` JSON: critical pairs and digests only', async () => {
    await sns.close();
    const policy = { kind: ['finding', 'digest'], severity: ['critical'] };
    sns = await startSnsStandin({ subscriptions: [{ protocol: 'sqs', endpoint: 'pager-queue', bodyFilterPolicy: policy }] });
    const notifier = new SnsNotifier({ client: sns.client(), topicArn: sns.topicArn, stormLimit: 3 });

    await notifier.publish([makeFinding({ severity: 'critical' }), makeFinding({ severity: 'high' })], makeContext());
    await notifier.publish([...burst(3), makeFinding({ severity: 'critical', riskScore: 99 })], makeContext());

    const got = sns.deliveries.map((d) => JSON.parse(d.body) as { kind: string; severity: string });
    expect(got.map((d) => [d.kind, d.severity])).toEqual([['finding', 'critical'], ['digest', 'critical']]);
  });
});
