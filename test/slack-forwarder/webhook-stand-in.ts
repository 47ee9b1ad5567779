/**
 * A loopback Slack incoming webhook that enforces Slack's documented rules and limits on what it
 * receives, replies the way Slack does (HTTP status plus a short error code as the body), can be
 * told to answer 429 with Retry-After or 5xx a number of times, and records every request.
 * Numbers are written out here rather than imported from the product, so the two cannot share a
 * mistake.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** Handling errors of incoming webhooks: https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks#handling_errors */
const WEBHOOK_ERRORS = 'https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks#handling_errors';

export interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly raw: string;
  readonly body: unknown;
  readonly status: number;
  readonly reply: string;
}

export interface ScriptedReply {
  readonly status: number;
  readonly body: string;
  readonly retryAfterSeconds?: number;
}

export interface StandInOptions {
  /**
   * The posting rate: about one message per second per webhook, short bursts allowed
   * (https://docs.slack.dev/apis/web-api/rate-limits, "Incoming webhooks: 1 per second"). Slack
   * does not document the burst size, so the default allows none. `false` turns the check off,
   * for tests whose forwarder runs on a fake clock. @default { perSecond: 1, burst: 1 }
   */
  readonly enforceRate?: { readonly perSecond: number; readonly burst: number } | false;
  /**
   * Serve HTTPS with this certificate (for `hooks.slack.com`) instead of plain HTTP: for the built
   * forwarder, which accepts only `https://hooks.slack.com/services/…`. `url` is then that URL; the
   * client must route hooks.slack.com:443 to `port` (test/support/forwarder-bundle.ts).
   */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** Why a payload is refused: Slack's error code and the documentation of the rule. */
type Refusal = { readonly code: string; readonly why: string };

function textObject(t: unknown, where: string, max: number, types: readonly string[]): Refusal | undefined {
  if (typeof t !== 'object' || t === null) return { code: 'invalid_blocks', why: `${where}: text object required` };
  const o = t as Record<string, unknown>;
  // Text object: type plain_text or mrkdwn, text 1..3000 characters (https://docs.slack.dev/reference/block-kit/composition-objects/text-object).
  if (typeof o.type !== 'string' || !types.includes(o.type)) return { code: 'invalid_blocks', why: `${where}: text type must be ${types.join(' or ')}` };
  if (typeof o.text !== 'string' || o.text.length < 1) return { code: 'invalid_blocks', why: `${where}: text must be at least 1 character` };
  if (o.text.length > max) return { code: 'invalid_blocks', why: `${where}: text is ${o.text.length} characters, the maximum is ${max}` };
  if (o.verbatim !== undefined && typeof o.verbatim !== 'boolean') return { code: 'invalid_blocks', why: `${where}: verbatim must be a boolean` };
  if (o.emoji !== undefined && (typeof o.emoji !== 'boolean' || o.type !== 'plain_text')) return { code: 'invalid_blocks', why: `${where}: emoji is a boolean of plain_text only` };
  return undefined;
}

/** Checks one Block Kit block (the types this product sends; any other is refused as unknown here). */
function checkBlock(b: unknown, i: number): Refusal | undefined {
  const where = `blocks[${i}]`;
  if (typeof b !== 'object' || b === null) return { code: 'invalid_blocks', why: `${where} is not an object` };
  const o = b as Record<string, unknown>;
  // block_id: at most 255 characters (https://docs.slack.dev/reference/block-kit/blocks).
  if (o.block_id !== undefined && (typeof o.block_id !== 'string' || o.block_id.length > 255)) return { code: 'invalid_blocks', why: `${where}.block_id longer than 255` };
  switch (o.type) {
    case 'header':
      // Header: plain_text only, at most 150 characters (https://docs.slack.dev/reference/block-kit/blocks/header-block).
      return textObject(o.text, `${where}.text`, 150, ['plain_text']);
    case 'section':
      // Section: text at most 3,000 characters; fields (at most 10, 2,000 each) not used here
      // (https://docs.slack.dev/reference/block-kit/blocks/section-block).
      if (o.fields !== undefined) return { code: 'invalid_blocks', why: `${where}.fields not modelled by the stand-in` };
      return textObject(o.text, `${where}.text`, 3_000, ['plain_text', 'mrkdwn']);
    case 'context': {
      // Context: 1..10 elements, images or text objects (https://docs.slack.dev/reference/block-kit/blocks/context-block).
      const els = o.elements;
      if (!Array.isArray(els) || els.length < 1 || els.length > 10) return { code: 'invalid_blocks', why: `${where}.elements must hold 1 to 10 elements` };
      for (const [j, e] of els.entries()) {
        const bad = textObject(e, `${where}.elements[${j}]`, 3_000, ['plain_text', 'mrkdwn']);
        if (bad) return bad;
      }
      return undefined;
    }
    case 'divider':
      // Divider: no fields beyond type and block_id (https://docs.slack.dev/reference/block-kit/blocks/divider-block).
      return Object.keys(o).every((k) => k === 'type' || k === 'block_id') ? undefined : { code: 'invalid_blocks', why: `${where}: divider takes no fields` };
    default:
      return { code: 'invalid_blocks', why: `${where}: block type ${JSON.stringify(o.type)} is not modelled by the stand-in` };
  }
}

/** Validates a webhook payload; undefined when Slack would accept it. */
export function checkPayload(contentType: string | undefined, raw: string): Refusal | undefined {
  // Incoming webhooks take a JSON body with Content-type: application/json (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks).
  if (!/^application\/json\b/i.test(contentType ?? '')) return { code: 'invalid_payload', why: `content-type ${contentType ?? '(none)'}: ${WEBHOOK_ERRORS}` };
  let body: unknown;
  try { body = JSON.parse(raw); } catch { return { code: 'invalid_payload', why: `body is not JSON: ${WEBHOOK_ERRORS}` }; }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { code: 'invalid_payload', why: 'body is not a JSON object' };
  const o = body as Record<string, unknown>;
  // A message needs text, blocks or attachments: no_text (documented) / missing_text_or_fallback_or_attachments (what hooks.slack.com answers, slackapi/slack-github-action#117).
  const hasText = typeof o.text === 'string' && o.text.trim() !== '';
  if (!hasText && !Array.isArray(o.blocks)) return { code: 'no_text', why: WEBHOOK_ERRORS };
  if (o.text !== undefined && typeof o.text !== 'string') return { code: 'invalid_payload', why: 'text must be a string' };
  // chat.postMessage: text beyond 40,000 characters is truncated; the stand-in refuses it (https://docs.slack.dev/reference/methods/chat.postMessage).
  if (typeof o.text === 'string' && o.text.length > 40_000) return { code: 'msg_too_long', why: 'text longer than 40,000 characters' };
  if (o.blocks !== undefined) {
    if (!Array.isArray(o.blocks) || o.blocks.length < 1) return { code: 'invalid_blocks', why: 'blocks must be a non-empty array' };
    // Up to 50 blocks in each message (https://docs.slack.dev/reference/block-kit/blocks).
    if (o.blocks.length > 50) return { code: 'invalid_blocks', why: `${o.blocks.length} blocks, the maximum is 50` };
    for (const [i, b] of o.blocks.entries()) {
      const bad = checkBlock(b, i);
      if (bad) return bad;
    }
    // Not documented, but observed: block messages of about 13,000 characters are refused with
    // msg_blocks_too_long (slackapi/bolt-js#2509); the stand-in refuses from 13,000.
    const texts = (v: unknown): number => (typeof v !== 'object' || v === null ? 0
      : Object.entries(v).reduce((n, [k, x]) => n + (k === 'text' && typeof x === 'string' ? x.length : texts(x)), 0));
    if (texts(o.blocks) >= 13_000) return { code: 'msg_blocks_too_long', why: 'block text of 13,000 characters or more' };
  }
  return undefined;
}

/** The running stand-in. */
export class WebhookStandIn {
  readonly received: Received[] = [];
  readonly #script: ScriptedReply[] = [];
  #server: Server | undefined;
  #tokens = 0;
  #lastRefill = 0;

  /** `token` is the secret part of the URL (a canary in the hygiene tests). */
  constructor(readonly token = 'T0STANDIN/B0STANDIN/standin0token0value', private readonly options: StandInOptions = {}) {}

  /** Accepted messages, parsed. */
  get delivered(): Record<string, unknown>[] {
    return this.received.filter((r) => r.status === 200).map((r) => r.body as Record<string, unknown>);
  }

  /** The next `times` posts get `reply` instead of being checked. */
  script(reply: ScriptedReply, times = 1): this {
    for (let i = 0; i < times; i++) this.#script.push(reply);
    return this;
  }

  async start(): Promise<string> {
    const handle = (req: IncomingMessage, res: ServerResponse): void => { this.#handle(req, res); };
    const tls = this.options.tls;
    this.#server = tls === undefined ? createServer(handle) : createTlsServer({ key: tls.key, cert: tls.cert }, handle);
    await new Promise<void>((ok) => this.#server?.listen(0, '127.0.0.1', ok));
    return this.url;
  }

  /** The loopback port it listens on. */
  get port(): number {
    return (this.#server?.address() as AddressInfo).port;
  }

  get url(): string {
    if (this.options.tls !== undefined) return `https://hooks.slack.com/services/${this.token}`;
    return `http://127.0.0.1:${this.port}/services/${this.token}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try { body = JSON.parse(raw); } catch { body = undefined; }
      const answer = (status: number, reply: string, headers: Record<string, string> = {}): void => {
        this.received.push({ path: req.url ?? '', contentType: req.headers['content-type'], raw, body, status, reply });
        res.writeHead(status, { 'content-type': 'text/html', ...headers });
        res.end(reply);
      };
      // Only POST to the webhook's own path; anything else is an unknown webhook (404 no_service, WEBHOOK_ERRORS).
      if (req.method !== 'POST' || req.url !== `/services/${this.token}`) return answer(404, 'no_service');
      const scripted = this.#script.shift();
      if (scripted) {
        return answer(scripted.status, scripted.body, scripted.retryAfterSeconds === undefined ? {} : { 'retry-after': String(scripted.retryAfterSeconds) });
      }
      const rate = this.options.enforceRate ?? { perSecond: 1, burst: 1 };
      if (rate !== false) {
        // Over the rate: HTTP 429 Too Many Requests with a Retry-After header in seconds (https://docs.slack.dev/apis/web-api/rate-limits).
        const now = Date.now();
        this.#tokens = Math.min(rate.burst, (this.#lastRefill === 0 ? rate.burst : this.#tokens + ((now - this.#lastRefill) / 1000) * rate.perSecond));
        this.#lastRefill = now;
        if (this.#tokens < 1) return answer(429, 'rate_limited', { 'retry-after': '1' });
        this.#tokens -= 1;
      }
      const refused = checkPayload(req.headers['content-type'], raw);
      if (refused) return answer(400, refused.code);
      return answer(200, 'ok');
    });
  }
}
