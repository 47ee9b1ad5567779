/**
 * postToSlack, second round: which reply bodies count as Slack's error code (the operator reads it
 * in the error), how much of a reply is read, that the default sleep really waits, and that an
 * attempt leaves nothing listening on its signal.
 * Slack answers an incoming webhook with a short error code as the body, e.g. `invalid_payload`,
 * `no_text`, `invalid_token` (https://api.slack.com/messaging/webhooks#handling_errors).
 */
import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, MockAgent } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { postToSlack } from '../../lambda/slack-forwarder/index.js';

const T = Date.UTC(2031, 0, 15, 12);
const HOOK = new URL('https://hooks.slack.com/services/T0TEST/B0TEST/notarealtoken');
const JSON_BODY = JSON.stringify({ text: 'finding' });

/** A webhook (undici's MockAgent, the product's own client) that answers each post with `status` and `body`. */
function webhook(...replies: { status: number; body?: string }[]): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(HOOK.origin);
  for (const r of replies) pool.intercept({ path: HOOK.pathname, method: 'POST' }).reply(r.status, r.body ?? '', { headers: { 'content-type': 'text/html' } });
  return agent;
}

/**
 * postToSlack from a fresh copy of post.ts. Slack's code pattern and the default sleep are made when
 * the module loads: a copy loaded once and shared by many test files keeps what it was made with, so
 * the tests of those two load their own.
 */
async function freshPost(): Promise<typeof postToSlack> {
  vi.resetModules();
  return (await import('../../lambda/slack-forwarder/post.js')).postToSlack;
}

/** The message the operator reads when Slack answers `status` with `body` once. */
async function refusal(status: number, body: string): Promise<string> {
  let t = T;
  const err = await (await freshPost())(HOOK, JSON_BODY, T + 60_000, { dispatcher: webhook({ status, body }), maxAttempts: 1, now: () => t, sleep: async (ms) => { t += ms; } })
    .then(() => new Error('delivered'), (e: unknown) => e);
  return (err as Error).message;
}

describe("Slack's error code in the operator's error", () => {
  it('keeps a code of 1 to 64 characters (a-z first, then a-z, 0-9, _), and nothing longer', async () => {
    expect(await refusal(400, 'invalid_blocks')).toBe('Slack rejected the message: HTTP 400 invalid_blocks');
    expect(await refusal(403, 'x')).toBe('Slack rejected the message: HTTP 403 x');
    const longest = `a${'b_9'.repeat(21)}`; // 64 characters
    expect(await refusal(400, longest)).toBe(`Slack rejected the message: HTTP 400 ${longest}`);
    expect(await refusal(400, `${longest}c`)).toBe('Slack rejected the message: HTTP 400 no_error_code');
  });

  it('keeps no reply that only starts or only ends like a code (a proxy page could echo the webhook URL)', async () => {
    expect(await refusal(404, 'invalid_token for https://hooks.slack.com/services/T0/B0/notarealtoken'))
      .toBe('Slack rejected the message: HTTP 404 no_error_code');
    expect(await refusal(404, 'no service at https://hooks.slack.com/services/T0/B0/not_a_real_token'))
      .toBe('Slack rejected the message: HTTP 404 no_error_code');
    expect(await refusal(400, '9invalid_blocks')).toBe('Slack rejected the message: HTTP 400 no_error_code');
  });
});

describe('how much of a reply is read', () => {
  let server: Server | undefined;
  afterEach(async () => {
    const s = server;
    server = undefined;
    if (s !== undefined) { s.closeAllConnections(); await new Promise((ok) => s.close(ok)); }
  });

  /** A 400 whose body arrives in two chunks, the second 50 ms after the first. */
  async function twoChunks(first: string, second: string): Promise<URL> {
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.write(first);
      setTimeout(() => res.end(second), 50);
    });
    await new Promise<void>((ok) => server?.listen(0, '127.0.0.1', ok));
    return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/x`);
  }

  const refusedWith = async (url: URL): Promise<string> =>
    ((await postToSlack(url, JSON_BODY, Date.now() + 60_000, { dispatcher: new Agent(), maxAttempts: 1 }).catch((e: unknown) => e)) as Error).message;

  it('reads further chunks while fewer than 4,096 characters came, and stops at 4,096', async () => {
    expect(await refusedWith(await twoChunks(' '.repeat(4_095), 'invalid_blocks'))).toBe('Slack rejected the message: HTTP 400 invalid_blocks');
    expect(await refusedWith(await twoChunks(' '.repeat(4_096), 'invalid_blocks'))).toBe('Slack rejected the message: HTTP 400 no_error_code');
  });
});

describe('the default sleep', () => {
  it('waits the backoff it reports before the next attempt', async () => {
    // base 200, random 0: the first backoff is 100 ms (half the step, no jitter).
    const post = await freshPost();
    const started = Date.now();
    const r = await post(HOOK, JSON_BODY, Date.now() + 60_000, { dispatcher: webhook({ status: 500 }, { status: 200 }), baseDelayMs: 200, random: () => 0 });
    expect(r).toEqual({ attempts: 2, status: 200, waits: [100] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });
});

describe("an attempt's timeout signal", () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('has no abort listener left once the attempt ended (a warm Lambda posts many messages)', async () => {
    const signals: AbortSignal[] = [];
    const timeout = AbortSignal.timeout.bind(AbortSignal);
    vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms) => { const s = timeout(ms); signals.push(s); return s; });
    let t = T;
    await postToSlack(HOOK, JSON_BODY, T + 60_000, { dispatcher: webhook({ status: 503 }, { status: 200 }), now: () => t, sleep: async (ms) => { t += ms; } });
    expect(signals).toHaveLength(2);
    for (const s of signals) expect(getEventListeners(s, 'abort')).toHaveLength(0);
  });
});
