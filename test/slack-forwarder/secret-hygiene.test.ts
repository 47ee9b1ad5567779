import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeFinding } from '../../lambda/notify/index.js';
import { describeError, parseWebhookUrl, WebhookSecretError } from '../../lambda/slack-forwarder/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';
import { lambdaContext, rig, SecretsStandIn, snsEvent } from './support.js';
import { WebhookStandIn } from './webhook-stand-in.js';

/** The secret part of the webhook URL: it must appear nowhere but in the request line. */
const CANARY = 'T0CANARY/B0CANARY/c4n4ryW3bh00kT0k3n';

let slack: WebhookStandIn;
let secrets: SecretsStandIn;

beforeEach(async () => {
  slack = new WebhookStandIn(CANARY);
  await slack.start();
  secrets = new SecretsStandIn(() => ({ value: slack.url }));
});
afterEach(async () => {
  await slack.stop();
  await secrets.stop();
});

/** Runs one delivery; returns every log line and the thrown error's text (message, causes, stack, JSON). */
async function run(): Promise<string[]> {
  const client = await secrets.start();
  const { forward, log } = await rig(client, { post: { sleep: async () => {}, maxAttempts: 3 } });
  const out: string[] = [];
  try {
    await forward(snsEvent(composeFinding(makeFinding(), makeContext())), lambdaContext());
  } catch (err) {
    out.push(String(err), (err as Error).stack ?? '', JSON.stringify(describeError(err)), JSON.stringify(err), String((err as Error).cause ?? ''));
  }
  return [...log.lines, ...out];
}

const leaks = (texts: string[]): string[] => texts.filter((t) => t.includes('c4n4ry') || t.includes('B0CANARY'));

describe('the webhook URL never reaches a log line or an error', () => {
  const scenarios: [string, () => void][] = [
    ['delivered', () => {}],
    ['429 until the retries run out', () => { slack.script({ status: 429, body: 'rate_limited', retryAfterSeconds: 1 }, 5); }],
    ['5xx until the retries run out', () => { slack.script({ status: 502, body: 'bad_gateway' }, 5); }],
    ['webhook revoked (404 no_service)', () => { slack.script({ status: 404, body: 'no_service' }); }],
    ['channel archived (410)', () => { slack.script({ status: 410, body: 'channel_is_archived' }); }],
    ['a reply body that echoes the URL', () => { slack.script({ status: 400, body: `bad ${slack.url}` }); }],
    ['connection refused', () => { secrets.answer = () => ({ value: slack.url.replace(/:\d+\//, ':1/') }); }],
    ['the secret holds a non-Slack URL', () => { secrets.answer = () => ({ value: `https://evil.example/services/${CANARY}` }); }],
    ['the secret holds an http Slack URL', () => { secrets.answer = () => ({ value: `http://hooks.slack.com/services/${CANARY}` }); }],
    ['the secret holds JSON without a url', () => { secrets.answer = () => ({ value: JSON.stringify({ hook: `https://hooks.slack.com/services/${CANARY}` }) }); }],
    ['Secrets Manager denies access', () => { secrets.answer = () => ({ error: 'AccessDeniedException', status: 400 }); }],
  ];
  for (const [name, arrange] of scenarios) {
    it(name, async () => {
      arrange();
      const texts = await run();
      expect(texts.length).toBeGreaterThan(0);
      expect(leaks(texts)).toEqual([]);
    });
  }
});

describe('parseWebhookUrl', () => {
  const ok = (v: string) => parseWebhookUrl('hunt/slack', v).href;
  const problem = (v: string, loopback = false): string => {
    try { parseWebhookUrl('hunt/slack', v, loopback); } catch (err) { expect(err).toBeInstanceOf(WebhookSecretError); return (err as Error).message; }
    throw new Error('accepted');
  };

  it('accepts an incoming-webhook URL, alone or as JSON', () => {
    expect(ok(' https://hooks.slack.com/services/T0/B0/abc ')).toBe('https://hooks.slack.com/services/T0/B0/abc');
    expect(ok(JSON.stringify({ url: 'https://hooks.slack.com/services/T0/B0/abc' }))).toBe('https://hooks.slack.com/services/T0/B0/abc');
    expect(ok(JSON.stringify({ webhookUrl: 'https://hooks.slack-gov.com/services/T0/B0/abc' }))).toContain('slack-gov');
  });

  it('refuses anything else with a reason that does not quote the value', () => {
    expect(problem('')).toBe('Slack webhook secret hunt/slack: the secret has no string value (put the webhook URL as its SecretString)');
    expect(problem('c4n4ry')).toContain('not a URL');
    expect(problem('http://hooks.slack.com/services/T0/B0/c4n4ry')).toContain('must use https');
    expect(problem('https://hooks.slack.com.evil.example/services/c4n4ry')).toContain('must point to hooks.slack.com');
    expect(problem('https://hooks.slack.com/workflows/c4n4ry')).toContain('incoming-webhook URL');
    expect(problem('https://hooks.slack.com/services/T0/B0/c4n4ry?x=1')).toContain('incoming-webhook URL');
    expect(problem('https://u:c4n4ry@hooks.slack.com/services/T0')).toContain('user information');
    expect(problem('http://127.0.0.1:8080/services/c4n4ry')).toContain('must use https'); // loopback only for tests
    for (const v of ['c4n4ry', 'http://hooks.slack.com/services/c4n4ry', 'https://evil.example/c4n4ry']) expect(problem(v)).not.toContain('c4n4ry');
  });

  it('accepts a loopback URL only when told to (the tests\' stand-in)', () => {
    expect(parseWebhookUrl('s', 'http://127.0.0.1:8080/services/x', true).port).toBe('8080');
  });
});
