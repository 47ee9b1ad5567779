/**
 * The forwarder's pipeline over small ports: each SNS record is rendered, paced and posted. A
 * record that cannot be delivered is logged and makes the invocation fail, so Lambda's async
 * retries and then the dead-letter queue (with its alarm) take over; the other records of the
 * event are still attempted first.
 */
import type { SNSEvent } from 'aws-lambda';
import type { Log } from '../ports.js';
import { SlackRejectedError } from './errors.js';
import { type PostOptions, postToSlack } from './post.js';
import { renderSnsMessage } from './render.js';
import { textSize } from './blocks.js';

/** Where the webhook URL comes from (Secrets Manager, cached). */
export interface WebhookUrlSource {
  url(): Promise<URL>;
  forget(): void;
}

export interface ForwarderDeps {
  readonly secret: WebhookUrlSource;
  readonly log: Log;
  readonly post?: PostOptions;
  /**
   * Least time between two posts from one execution environment: Slack allows about one message
   * per second per webhook (https://docs.slack.dev/apis/web-api/rate-limits). @default 1000
   */
  readonly minIntervalMs?: number;
  /** Time kept back from the Lambda timeout. @default 2000 */
  readonly safetyMarginMs?: number;
}

export interface ForwardSummary {
  readonly delivered: number;
  readonly failed: number;
}

/** Statuses after which the cached URL is dropped: the webhook was revoked or its channel is gone. */
const STALE_URL_STATUSES = new Set([403, 404, 410]);

/** Name, message and cause chain of an error, with the webhook URL's path cut out as a last guard. */
export function describeError(err: unknown, url?: URL): Record<string, unknown> {
  const scrub = (text: string): string => (url === undefined ? text : text.split(url.href).join('[webhook]').split(url.pathname).join('[webhook]'));
  if (!(err instanceof Error)) return { name: 'NonError', message: scrub(String(err)).slice(0, 300) };
  const out: Record<string, unknown> = { name: err.name, message: scrub(err.message).slice(0, 1000) };
  if (err.cause !== undefined) out.cause = describeError(err.cause, url);
  return out;
}

export type ForwarderHandler = (event: SNSEvent, context: { getRemainingTimeInMillis(): number }) => Promise<ForwardSummary>;

export function makeForwarder(deps: ForwarderDeps): ForwarderHandler {
  const now = deps.post?.now ?? Date.now;
  const sleep = deps.post?.sleep ?? ((ms: number) => new Promise<void>((ok) => { setTimeout(ok, ms); }));
  const minInterval = deps.minIntervalMs ?? 1_000;
  let lastPostAt = Number.NEGATIVE_INFINITY;

  return async (event, context) => {
    const deadline = now() + context.getRemainingTimeInMillis() - (deps.safetyMarginMs ?? 2_000);
    const records = Array.isArray(event?.Records) ? event.Records : [];
    let delivered = 0;
    let firstError: unknown;
    for (const record of records) {
      const messageId = String(record?.Sns?.MessageId ?? '(no id)').slice(0, 80);
      let url: URL | undefined;
      try {
        // Stryker disable next-line StringLiteral: an absent Message and any other non-JSON text give the same 'the message is not JSON' error; only the parser's wording in the log's cause differs
        const rendered = renderSnsMessage(messageId, String(record?.Sns?.Message ?? ''));
        url = await deps.secret.url();
        const gap = lastPostAt + minInterval - now();
        if (gap > 0) await sleep(gap);
        const body = JSON.stringify(rendered.message);
        try {
          const result = await postToSlack(url, body, deadline, deps.post);
          deps.log.info('slack message delivered', {
            messageId, kind: rendered.kind, ref: rendered.ref, attempts: result.attempts, waitsMs: result.waits,
            blocks: rendered.message.blocks.length, chars: textSize(rendered.message), bytes: Buffer.byteLength(body),
          });
          delivered += 1;
        } finally {
          lastPostAt = now();
        }
      } catch (err) {
        if (err instanceof SlackRejectedError && STALE_URL_STATUSES.has(err.status)) deps.secret.forget();
        deps.log.error('slack message not delivered', { messageId, error: describeError(err, url) });
        firstError ??= err;
      }
    }
    if (firstError !== undefined) throw firstError;
    return { delivered, failed: 0 };
  };
}
