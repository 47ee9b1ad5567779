import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeDigest, composeFinding, renderChatbot } from '../../lambda/notify/index.js';
import { SlackDeliveryError, SlackRejectedError, UnrenderableMessageError } from '../../lambda/slack-forwarder/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';
import { lambdaContext, rig, SecretsStandIn, snsEvent } from './support.js';
import { WebhookStandIn } from './webhook-stand-in.js';

type Posted = { text: string; blocks: { type: string; text?: { type: string; text: string }; elements?: { text: string }[] }[] };

let slack: WebhookStandIn;
let secrets: SecretsStandIn;
let client: SecretsManagerClient;

beforeEach(async () => {
  slack = new WebhookStandIn();
  await slack.start();
  secrets = new SecretsStandIn(() => ({ value: slack.url }));
  client = await secrets.start();
});
afterEach(async () => {
  await slack.stop();
  await secrets.stop();
});

const sections = (m: Posted): string[] => m.blocks.filter((b) => b.type === 'section').map((b) => b.text?.text ?? '');
const allText = (m: Posted): string => [m.text, ...m.blocks.flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text)])].join('\n');

describe('Slack forwarder against the webhook stand-in', () => {
  it('posts a finding as Block Kit with the Chatbot notification\'s content and escaping, and a text fallback', async () => {
    const ctx = makeContext();
    const finding = makeFinding({ sourceHost: 'WS-<FIN>&023', user: 'CORP\\*bold*_x_' });
    const { forward, log } = await rig(client);
    await expect(forward(snsEvent(composeFinding(finding, ctx)), lambdaContext())).resolves.toEqual({ delivered: 1, failed: 0 });

    expect(slack.delivered).toHaveLength(1);
    const posted = slack.delivered[0] as unknown as Posted;
    const chatbot = renderChatbot(finding, ctx);
    // Same description, line for line, as the Chatbot notification of the same finding.
    expect(sections(posted)[0]).toBe(chatbot.content.description);
    expect(posted.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: expect.stringContaining('"WS-‹FIN›&023" → "srv-file-01"'), emoji: true } });
    expect(allText(posted)).toContain('`WS-&lt;FIN&gt;&amp;023`');
    expect(allText(posted)).toContain(chatbot.content.nextSteps?.[0]);
    expect(posted.text).toBe(chatbot.metadata?.summary);
    expect(slack.received[0]?.contentType).toMatch(/^application\/json/);
    expect(log.lines.some((l) => l.includes('slack message delivered'))).toBe(true);
  });

  it('keeps a 1 MB hostile command line inside every Slack limit, escaped, marked with its real length', async () => {
    const hostile = `powershell \u202Eexe.txt <!channel> <@U123> <https://evil.example|click> \`\`\` *x* ${'<&>'.repeat(349_000)}`;
    const finding = makeFinding({ remoteCommand: hostile, commandLine: `wmic /node:srv process call create "${hostile}"` });
    const { forward } = await rig(client);
    await forward(snsEvent(composeFinding(finding, makeContext())), lambdaContext());

    expect(slack.received.map((r) => r.status)).toEqual([200]); // the stand-in checked every limit
    const posted = slack.delivered[0] as unknown as Posted;
    expect(posted.blocks.length).toBeLessThanOrEqual(50);
    for (const s of sections(posted)) expect(s.length).toBeLessThanOrEqual(3_000);
    const text = allText(posted);
    expect(text).not.toMatch(/<[!@#]|<https?:/);
    // The cut marker counts what was left out of the real 1 MB value (the email has it whole).
    const hidden = [...text.matchAll(/… \(cut: (\d+) more characters; full text in the email\)/g)].map((m) => Number(m[1]));
    expect(hidden.length).toBeGreaterThan(0);
    for (const n of hidden) expect(n).toBeGreaterThan(hostile.length - 3_000);
    expect(text).toContain('[U+202E]');
  });

  it('posts a storm digest: the pair count, the top pairs by risk and the run totals', async () => {
    const findings = Array.from({ length: 30 }, (_, i) => makeFinding({ targetHost: `srv-${String(i).padStart(2, '0')}`, riskScore: 60 + i }));
    const { forward } = await rig(client);
    await forward(snsEvent(composeDigest(findings, makeContext(), 25)), lambdaContext());

    const text = allText(slack.delivered[0] as unknown as Posted);
    expect(text).toContain('30 new host pairs');
    expect(text).toContain('`srv-29`');
    expect(text).toContain('… and 20 more');
    expect(text).not.toContain('`srv-00`');
  });

  it('waits at least Retry-After on 429, then delivers', async () => {
    slack.script({ status: 429, body: 'rate_limited', retryAfterSeconds: 3 }, 2);
    const { forward, waits } = await rig(client);
    await forward(snsEvent(composeFinding(makeFinding(), makeContext())), lambdaContext());

    expect(slack.received.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(waits).toHaveLength(2);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(3_000);
  });

  it('backs off on 5xx with growing waits, then delivers', async () => {
    slack.script({ status: 500, body: 'rollup_error' }, 3);
    const { forward, waits } = await rig(client);
    await forward(snsEvent(composeFinding(makeFinding(), makeContext())), lambdaContext());

    expect(slack.received.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(waits[1]).toBeGreaterThan(waits[0] ?? Infinity);
    expect(waits[2]).toBeGreaterThan(waits[1] ?? Infinity);
  });

  it('fails the invocation after a bounded number of attempts, so Lambda retries and then the DLQ take it', async () => {
    slack.script({ status: 503, body: 'service_unavailable' }, 20);
    const { forward, log } = await rig(client);
    await expect(forward(snsEvent(composeFinding(makeFinding(), makeContext())), lambdaContext())).rejects.toBeInstanceOf(SlackDeliveryError);
    expect(slack.received).toHaveLength(5);
    expect(log.lines.some((l) => l.includes('slack message not delivered') && l.includes('HTTP 503'))).toBe(true);
  });

  it('never waits past the function\'s remaining time', async () => {
    slack.script({ status: 429, body: 'rate_limited', retryAfterSeconds: 30 }, 5);
    const { forward, waits } = await rig(client);
    await expect(forward(snsEvent(composeFinding(makeFinding(), makeContext())), lambdaContext(10_000)))
      .rejects.toThrow(/would run past the function's remaining time/);
    expect(slack.received).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('does not retry a payload Slack refuses (4xx), and says which error Slack gave', async () => {
    slack.script({ status: 400, body: 'invalid_blocks' });
    const { forward } = await rig(client);
    const error = await forward(snsEvent(composeFinding(makeFinding(), makeContext())), lambdaContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackRejectedError);
    expect((error as Error).message).toBe('Slack rejected the message: HTTP 400 invalid_blocks');
    expect(slack.received).toHaveLength(1);
  });

  it('delivers the other records of an event when one cannot be rendered, then fails the invocation', async () => {
    const { forward } = await rig(client);
    const event = snsEvent('not json at all', composeFinding(makeFinding(), makeContext()));
    await expect(forward(event, lambdaContext())).rejects.toBeInstanceOf(UnrenderableMessageError);
    expect(slack.delivered).toHaveLength(1);
  });

  it('posts a CloudWatch alarm that shares the topic', async () => {
    const alarm = JSON.stringify({ AlarmName: 'Hunt-Errors <!here>', NewStateValue: 'ALARM', NewStateReason: 'Threshold crossed: 1 datapoint [2.0]', AlarmDescription: 'The hunt Lambda failed.', StateChangeTime: '2026-03-14T10:30:00.000+0000', Region: 'EU (Ireland)' });
    const { forward } = await rig(client);
    await forward(snsEvent(alarm), lambdaContext());
    const text = allText(slack.delivered[0] as unknown as Posted);
    expect(text).toContain('ALARM');
    expect(text).not.toContain('<!here>');
  });

  /** A stand-in without the rate check, for a forwarder on a fake clock (its waits take no time). */
  const unpaced = async (): Promise<void> => {
    await slack.stop();
    slack = new WebhookStandIn(undefined, { enforceRate: false });
    await slack.start();
    secrets.answer = () => ({ value: slack.url });
  };

  it('keeps to about one message per second per webhook: a second message waits for the first', async () => {
    await unpaced();
    const { forward, waits } = await rig(client);
    await forward(snsEvent(composeFinding(makeFinding(), makeContext()), composeFinding(makeFinding({ targetHost: 'srv-2' }), makeContext())), lambdaContext());
    expect(slack.delivered).toHaveLength(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(900);
  });

  it('is accepted by a stand-in that enforces the posting rate, with real waits', async () => {
    const { forward } = await rig(client, { post: { sleep: (ms) => new Promise((ok) => { setTimeout(ok, ms); }) } });
    const event = snsEvent(...['a', 'b', 'c'].map((t) => composeFinding(makeFinding({ targetHost: `srv-${t}` }), makeContext())));
    await forward(event, lambdaContext());
    expect(slack.received.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('re-reads the secret after Slack says the webhook is gone (404 no_service), to pick up a new URL', async () => {
    slack.script({ status: 404, body: 'no_service' });
    const { forward } = await rig(client);
    await expect(forward(snsEvent(composeFinding(makeFinding(), makeContext())), lambdaContext())).rejects.toThrow('HTTP 404 no_service');
    await forward(snsEvent(composeFinding(makeFinding(), makeContext())), lambdaContext());
    expect(secrets.calls).toBe(2);
    expect(slack.delivered).toHaveLength(1);
  });

  it('reads the secret once while warm', async () => {
    await unpaced();
    const { forward } = await rig(client);
    for (let i = 0; i < 3; i++) await forward(snsEvent(composeFinding(makeFinding(), makeContext())), lambdaContext());
    expect(secrets.calls).toBe(1);
    expect(slack.delivered).toHaveLength(3);
  });
});
