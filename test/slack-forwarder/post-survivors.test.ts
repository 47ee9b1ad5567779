/**
 * postToSlack at its edges: what the operator reads in the error (Slack's code, the network
 * failure's code, why it gave up), how long it waits between attempts, and that it never starts a
 * request without the time to finish it. Replies come from undici's MockAgent (the same client
 * the product uses) or from loopback sockets that never answer.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Agent, MockAgent } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type PostOptions, postToSlack, retryAfterMs, SlackDeliveryError, SlackRejectedError } from '../../lambda/slack-forwarder/index.js';

const T = Date.UTC(2031, 0, 15, 12);
const HOOK = new URL('https://hooks.slack.com/services/T0TEST/B0TEST/notarealtoken');
const JSON_BODY = JSON.stringify({ text: 'finding' });

type Reply = { status: number; body?: string; headers?: Record<string, string> } | Error;

/** A webhook that answers `replies` in order, and nothing else (no network). */
function webhook(...replies: Reply[]): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(HOOK.origin);
  for (const r of replies) {
    const i = pool.intercept({ path: HOOK.pathname, method: 'POST' });
    if (r instanceof Error) i.replyWithError(r);
    else i.reply(r.status, r.body ?? '', { headers: { 'content-type': 'text/html', ...r.headers } });
  }
  return agent;
}

/** A frozen clock that moves only while the poster sleeps (by what it asked, plus `overrun`). */
function clock(overrun = 0): Pick<PostOptions, 'now' | 'sleep'> {
  let t = T;
  return { now: () => t, sleep: async (ms) => { t += ms + overrun; } };
}

const post = (dispatcher: MockAgent, options: PostOptions = {}, deadline = T + 60_000) =>
  postToSlack(HOOK, JSON_BODY, deadline, { random: () => 0.5, ...clock(), ...options, dispatcher });

/** The error's message when the post fails (the operator's log line carries it). */
async function failure(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => new Error('delivered'), (e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  return (err as Error).message;
}

/** A network error as Node reports it: `code` on the error, or deeper in its cause chain. */
const netError = (code: unknown, message = 'socket hang up'): Error => Object.assign(new Error(message), { code });

/** An error whose cause chain is `depth` plain errors deep before one with `code`. */
function wrapped(depth: number, code: string): Error {
  let e: Error = netError(code, `read ${code}`);
  for (let i = 0; i < depth; i++) e = new TypeError('fetch failed', { cause: e });
  return e;
}

const gaveUp = (last: string, attempts = 1) =>
  `Slack did not accept the message after ${attempts} attempt(s) (last: ${last}); gave up after ${attempts} attempts`;

describe('retryAfterMs', () => {
  it('reads whole and fractional seconds, rounding up to the millisecond', () => {
    expect(retryAfterMs('3', T)).toBe(3_000);
    expect(retryAfterMs('1.5', T)).toBe(1_500);
    expect(retryAfterMs('1.25', T)).toBe(1_250);
    expect(retryAfterMs(' 3 ', T)).toBe(3_000);
    expect(retryAfterMs(['2', '9'], T)).toBe(2_000);
  });

  it('reads an HTTP date as the time from now until then, never negative', () => {
    // RFC 9110 §10.2.3: Retry-After = HTTP-date / delay-seconds.
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:03 GMT', now)).toBe(3_000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
  });

  it('gives up on values that are neither (the poster then backs off on its own)', () => {
    for (const v of [undefined, '', '  ', '120abc', 'x5', '5 seconds']) expect(retryAfterMs(v, T)).toBeUndefined();
  });
});

describe('what the operator reads when Slack is not reached', () => {
  it('names the network failure by its code', async () => {
    const message = await failure(post(webhook(netError('ECONNREFUSED', 'connect ECONNREFUSED 54.0.0.1:443')), { maxAttempts: 1 }));
    expect(message).toBe(gaveUp('ECONNREFUSED'));
  });

  it('finds the code up to five errors deep in the cause chain, and looks no deeper', async () => {
    expect(await failure(post(webhook(wrapped(4, 'ECONNRESET')), { maxAttempts: 1 }))).toBe(gaveUp('ECONNRESET'));
    expect(await failure(post(webhook(wrapped(5, 'ECONNRESET')), { maxAttempts: 1 }))).toBe(gaveUp('NETWORK_ERROR'));
  });

  it('says NETWORK_ERROR when no error in the chain has a code (chain ending in undefined or null)', async () => {
    expect(await failure(post(webhook(new TypeError('fetch failed', { cause: new Error('other side closed') })), { maxAttempts: 1 })))
      .toBe(gaveUp('NETWORK_ERROR'));
    expect(await failure(post(webhook(new Error('terminated', { cause: null })), { maxAttempts: 1 }))).toBe(gaveUp('NETWORK_ERROR'));
  });

  it('keeps only codes that look like codes: 2 to 64 of A-Z, 0-9, _', async () => {
    const last = async (code: unknown) => (await failure(post(webhook(netError(code)), { maxAttempts: 1 }))).replace(/.*\(last: (.*)\); .*/, '$1');
    expect(await last('E'.repeat(64))).toBe('E'.repeat(64));
    expect(await last('E'.repeat(65))).toBe('NETWORK_ERROR');
    expect(await last('E')).toBe('NETWORK_ERROR');
    expect(await last('see https://hooks.slack.com/services/T0/B0/SECRET_TOKEN')).toBe('NETWORK_ERROR');
    expect(await last('ECONNRESET at https://hooks.slack.com/services/T0/B0/x')).toBe('NETWORK_ERROR');
    expect(await last(23)).toBe('NETWORK_ERROR');
  });

  it('says TIMEOUT for an aborted request (DOMException AbortError, as fetch throws)', async () => {
    expect(await failure(post(webhook(new DOMException('This operation was aborted', 'AbortError')), { maxAttempts: 1 }))).toBe(gaveUp('TIMEOUT'));
  });

  it("keeps Slack's error code when the reply ends with a newline, and says no_error_code for anything else", async () => {
    expect(await failure(post(webhook({ status: 400, body: 'invalid_blocks\n' })))).toBe('Slack rejected the message: HTTP 400 invalid_blocks');
    expect(await failure(post(webhook({ status: 502, body: '<html><body>502 Bad Gateway</body></html>' }), { maxAttempts: 1 })))
      .toBe(gaveUp('HTTP 502 no_error_code'));
  });

  it('takes 2xx (up to 299) as delivered and a 300 as refused', async () => {
    await expect(post(webhook({ status: 299 }))).resolves.toEqual({ attempts: 1, status: 299, waits: [] });
    const refused = await post(webhook({ status: 300 })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SlackRejectedError);
    expect((refused as Error).message).toBe('Slack rejected the message: HTTP 300 no_error_code');
  });
});

describe('waits between attempts', () => {
  it('retries after a network error, then delivers', async () => {
    await expect(post(webhook(netError('ECONNRESET'), { status: 200, body: 'ok' })))
      .resolves.toEqual({ attempts: 2, status: 200, waits: [375] });
  });

  it('backs off 5xx with equal jitter: half the step plus random × half, the step doubling up to the cap', async () => {
    // base 500, cap 1000, random 0.5: steps 500, 1000, 1000 -> waits 250 + 125, 500 + 250, 500 + 250.
    const r = await post(webhook(...Array.from({ length: 3 }, () => ({ status: 503, body: 'service_unavailable' })), { status: 200 }), { maxDelayMs: 1_000 });
    expect(r).toEqual({ attempts: 4, status: 200, waits: [375, 750, 750] });
  });

  it('doubles from the base, without jitter, on a 429 that names no Retry-After', async () => {
    const r = await post(webhook(...Array.from({ length: 3 }, () => ({ status: 429, body: 'rate_limited' })), { status: 200 }));
    expect(r).toEqual({ attempts: 4, status: 200, waits: [500, 1_000, 2_000] });
  });

  it('really waits when no sleep is given', async () => {
    const r = await postToSlack(HOOK, JSON_BODY, Date.now() + 60_000, { dispatcher: webhook({ status: 500 }, { status: 200 }), baseDelayMs: 20 });
    expect(r.attempts).toBe(2);
  }, 3_000);
});

describe("the function's remaining time", () => {
  const ranOut = (attempts: number, last: string) =>
    `Slack did not accept the message after ${attempts} attempt(s) (last: ${last}); the function's remaining time ran out before another attempt`;

  it('starts a request with exactly the minimum time left (1 s), and not with 1 ms less', async () => {
    await expect(post(webhook({ status: 200 }), {}, T + 1_000)).resolves.toMatchObject({ attempts: 1 });
    const slack = webhook({ status: 200 });
    expect(await failure(post(slack, {}, T + 999))).toBe(ranOut(0, 'not sent'));
    expect(slack.pendingInterceptors()).toHaveLength(1); // nothing was posted
  });

  it('stops after a wait that overran the deadline, naming the attempts made and the last reply', async () => {
    // Attempt 1 at T gets a 500; the 375 ms wait fits, but the sleep took 4 s longer (a frozen sandbox).
    const message = await failure(post(webhook({ status: 500, body: 'rollup_error' }, { status: 200 }), clock(4_000), T + 5_000));
    expect(message).toBe(ranOut(1, 'HTTP 500 rollup_error'));
  });
});

describe('requests that hang', () => {
  let http: HttpServer | undefined;
  let tcp: TcpServer | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    http?.closeAllConnections();
    for (const s of sockets) s.destroy();
    await Promise.all([http, tcp].map((s) => (s === undefined ? undefined : new Promise((ok) => s.close(ok)))));
    http = undefined;
    tcp = undefined;
  });

  /** A webhook URL on a server that accepts TCP and never speaks TLS: the handshake hangs. */
  async function hangingTls(): Promise<URL> {
    tcp = createTcpServer((s) => { sockets.push(s); });
    await new Promise<void>((ok) => tcp?.listen(0, '127.0.0.1', ok));
    return new URL(`https://127.0.0.1:${(tcp.address() as AddressInfo).port}/services/T0/B0/x`);
  }

  it('aborts a request after requestTimeoutMs and says TIMEOUT', async () => {
    http = createHttpServer(() => { /* never answers */ });
    await new Promise<void>((ok) => http?.listen(0, '127.0.0.1', ok));
    const url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/services/T0/B0/x`);
    const started = Date.now();
    const message = await failure(postToSlack(url, JSON_BODY, Date.now() + 60_000, { maxAttempts: 1, requestTimeoutMs: 200, dispatcher: new Agent() }));
    expect(message).toBe(gaveUp('TIMEOUT'));
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 10_000);

  it('gives up connecting after 5 s (a host that never completes the TLS handshake), leaving time to retry', async () => {
    const url = await hangingTls();
    // A fresh copy of the module, so its keep-alive agent is made here with the product's options.
    vi.resetModules();
    const fresh = await import('../../lambda/slack-forwarder/post.js');
    // undici's abort signal does not end a TLS handshake: the agent's own 5 s connect timeout ends
    // it, before this attempt's 8 s timeout (postToSlack's own race would end it at 8 s).
    const started = Date.now();
    const err = await fresh.postToSlack(url, JSON_BODY, Date.now() + 60_000, { maxAttempts: 1, requestTimeoutMs: 8_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as SlackDeliveryError).message).toBe(gaveUp('UND_ERR_CONNECT_TIMEOUT'));
    expect(Date.now() - started).toBeLessThan(8_000);
  }, 15_000);

  it('a handshake that hangs with little time left ends at the deadline, not at the 5 s connect timeout', async () => {
    const url = await hangingTls();
    const started = Date.now();
    const message = await failure(postToSlack(url, JSON_BODY, started + 1_500, { maxAttempts: 1, dispatcher: new Agent({ connect: { timeout: 5_000 } }) }));
    expect(message).toBe(gaveUp('TIMEOUT'));
    // it ran 5 s (the connect timeout) before the attempt was bounded by the deadline
    expect(Date.now() - started).toBeLessThan(4_000);
  }, 15_000);
});
