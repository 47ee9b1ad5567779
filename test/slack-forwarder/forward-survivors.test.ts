/**
 * The forwarder's own behaviour around each record: what the operator's log line says (which
 * message, how it went, the error without the webhook URL), pacing between posts, malformed
 * records and events, and when the cached webhook URL is dropped.
 */
import type { SNSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeFinding } from '../../lambda/notify/index.js';
import { describeError, type ForwarderDeps, makeForwarder, SlackRejectedError, UnrenderableMessageError } from '../../lambda/slack-forwarder/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';
import { captureLog, lambdaContext, snsEvent } from './support.js';
import { WebhookStandIn } from './webhook-stand-in.js';

const HOOK = new URL('https://hooks.slack.com/services/T0TEST/B0TEST/c4n4ryT0k3n');

let slack: WebhookStandIn;
beforeEach(async () => {
  slack = new WebhookStandIn(undefined, { enforceRate: false });
  await slack.start();
});
afterEach(async () => { await slack.stop(); });

/** A forwarder on the stand-in with a URL source that counts how often the URL was dropped. */
function forwarder(overrides: Partial<ForwarderDeps> = {}) {
  const log = captureLog();
  const waits: number[] = [];
  const source = { forgets: 0, url: async () => new URL(slack.url), forget: () => { source.forgets += 1; } };
  const forward = makeForwarder({ secret: source, log, post: { sleep: async (ms) => { waits.push(ms); }, random: () => 0.5 }, ...overrides });
  return { forward, log, waits, source };
}

const finding = () => composeFinding(makeFinding(), makeContext());
const logged = (lines: string[], message: string): Record<string, unknown>[] =>
  lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === message);

describe('describeError', () => {
  it('cuts the webhook URL, whole or as a path, out of messages and causes', () => {
    const err = new Error(`POST ${HOOK.href} failed`, { cause: new Error(`socket closed during POST ${HOOK.pathname}`) });
    expect(describeError(err, HOOK)).toEqual({
      name: 'Error', message: 'POST [webhook] failed',
      cause: { name: 'Error', message: 'socket closed during POST [webhook]' },
    });
  });

  it('has no cause key when the error has no cause', () => {
    expect(describeError(new SlackRejectedError(400, 'invalid_blocks'))).toEqual({ name: 'SlackRejectedError', message: 'Slack rejected the message: HTTP 400 invalid_blocks' });
  });

  it('caps a message at 1,000 characters, and a thrown non-error at 300, scrubbed too', () => {
    expect((describeError(new Error('e'.repeat(1_001))).message as string)).toHaveLength(1_000);
    expect(describeError(new Error('e'.repeat(1_000))).message).toBe('e'.repeat(1_000));
    expect(describeError(`${HOOK.href} ${'x'.repeat(400)}`, HOOK)).toEqual({ name: 'NonError', message: `[webhook] ${'x'.repeat(290)}` });
    expect(describeError('x'.repeat(300))).toEqual({ name: 'NonError', message: 'x'.repeat(300) });
  });
});

describe('the log line of a delivered message', () => {
  it('names the SNS message, what was rendered and how the post went', async () => {
    const { forward, log } = forwarder();
    const f = makeFinding();
    await forward(snsEvent(composeFinding(f, makeContext())), lambdaContext());
    const [line] = logged(log.lines, 'slack message delivered');
    expect(line).toMatchObject({ level: 'info', messageId: 'msg-0', kind: 'finding', ref: f.fingerprint, attempts: 1, waitsMs: [] });
    expect(line?.bytes).toBe(Buffer.byteLength(slack.received[0]?.raw ?? ''));
  });

  it('keeps the first 80 characters of a long MessageId', async () => {
    const { forward, log } = forwarder();
    const event = snsEvent(finding());
    const id = `${'0123456789'.repeat(8)}-and-more`;
    (event.Records[0] as { Sns: { MessageId: string } }).Sns.MessageId = id;
    await forward(event, lambdaContext());
    expect(logged(log.lines, 'slack message delivered')[0]?.messageId).toBe(id.slice(0, 80));
  });
});

describe('malformed events and records', () => {
  it('forwards nothing, and does not fail, for an invocation without an event', async () => {
    const { forward } = forwarder();
    await expect(forward(null as unknown as SNSEvent, lambdaContext())).resolves.toEqual({ delivered: 0, failed: 0 });
    expect(slack.received).toEqual([]);
  });

  it.each([
    ['a null record', null],
    ['a record without Sns', {}],
    ['a record without MessageId or Message', { Sns: {} }],
  ])('reports %s as "(no id)" not JSON, after delivering the good record', async (_label, bad) => {
    const { forward, log } = forwarder();
    const event = snsEvent(finding());
    (event.Records as unknown[]).unshift(bad);
    const err = await forward(event, lambdaContext()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnrenderableMessageError);
    expect((err as Error).message).toBe('SNS message (no id) cannot be rendered for Slack: the message is not JSON');
    expect(slack.delivered).toHaveLength(1);
    expect(logged(log.lines, 'slack message not delivered')[0]).toMatchObject({ messageId: '(no id)' });
  });
});

describe('pacing between posts', () => {
  it('does not wait when the interval is 0 (clock frozen: the gap is exactly 0)', async () => {
    const { forward, waits } = forwarder({ minIntervalMs: 0, post: { now: () => Date.UTC(2031, 0, 15, 12), sleep: async (ms) => { waits.push(ms); } } });
    await forward(snsEvent(finding(), finding()), lambdaContext());
    expect(slack.delivered).toHaveLength(2);
    expect(waits).toEqual([]);
  });

  it('really waits the interval when no sleep is given: a 1-per-second webhook accepts both posts first time', async () => {
    await slack.stop();
    slack = new WebhookStandIn(); // enforces Slack's one message per second
    await slack.start();
    const { forward } = forwarder({ post: undefined });
    await forward(snsEvent(finding(), finding()), lambdaContext());
    expect(slack.received.map((r) => r.status)).toEqual([200, 200]);
  }, 10_000);
});

describe('the cached webhook URL', () => {
  it.each([
    [400, 'invalid_blocks', 0],
    [401, 'invalid_token', 0],
    [403, 'action_prohibited', 1],
    [404, 'no_service', 1],
    [410, 'channel_is_archived', 1],
  ])('after HTTP %i %s it is dropped %i time(s)', async (status, body, forgets) => {
    slack.script({ status, body });
    const { forward, source } = forwarder();
    await expect(forward(snsEvent(finding()), lambdaContext())).rejects.toThrow(`HTTP ${status} ${body}`);
    expect(source.forgets).toBe(forgets);
  });
});
