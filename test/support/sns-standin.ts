/**
 * A loopback SNS topic for tests: the real SNSClient talks to it over SNS's query protocol, and it
 * enforces the documented rules and limits of SNS and of the subscribers behind it. What a real
 * topic would reject comes back as the same error; what a subscriber would silently lose (an email
 * subscription deactivated for its rate, a Chatbot description Slack cannot show, attributes of a
 * json-structure message) is recorded in `violations`, so a test can assert none happened.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SNSClient } from '@aws-sdk/client-sns';
import { type WireEntry, batchEntries, batchReply, entryBytes, errorReply, publishEntry, publishReply } from './sns-query.js';

/** Where AWS Chatbot subscribes a topic (protocol https). */
export const CHATBOT_ENDPOINT = 'https://global.sns-api.chatbot.amazonaws.com';

export interface StandinSubscription {
  readonly protocol: 'email' | 'email-json' | 'https' | 'sqs' | 'lambda';
  readonly endpoint: string;
  /** A payload filter policy (FilterPolicyScope MessageBody): exact string/number lists, nested keys. */
  readonly bodyFilterPolicy?: Record<string, unknown>;
}

export interface Delivery {
  /** The topic the message was published to. */
  readonly topicArn: string;
  readonly endpoint: string;
  readonly protocol: StandinSubscription['protocol'];
  /** Arrival time of the publish call (ms, the stand-in's clock). */
  readonly at: number;
  readonly subject: string | undefined;
  /** What this subscriber receives: the protocol's key of a json structure, else `default`, or the raw message. */
  readonly body: string;
  /** Attributes the subscriber receives (none for a json structure). */
  readonly attributes: WireEntry['attributes'];
}

export interface Violation {
  readonly rule: 'email-rate' | 'slack-section-limit' | 'chatbot-schema' | 'attributes-not-delivered';
  readonly endpoint: string;
  readonly at: number;
  readonly detail: string;
}

export interface SnsStandin {
  readonly endpoint: string;
  readonly topicArn: string;
  /** Every call as received: action, arrival time, entries. */
  readonly calls: { action: string; at: number; entries: WireEntry[]; topicArn: string }[];
  readonly deliveries: Delivery[];
  readonly violations: Violation[];
  /** `Confirmed`, or `PendingConfirmation` once SNS would have deactivated the subscription. */
  status(endpoint: string): 'Confirmed' | 'PendingConfirmation';
  /** An SNSClient (real SDK, no retries) pointed at the stand-in. */
  client(): SNSClient;
  close(): Promise<void>;
}

export interface StandinOptions {
  readonly topicArn?: string;
  /** @default one email subscription and the Chatbot https subscription */
  readonly subscriptions?: readonly StandinSubscription[];
  /** More topics on the same endpoint (a hunt's own topic), each with its subscriptions. @default none */
  readonly otherTopics?: Readonly<Record<string, readonly StandinSubscription[]>>;
  readonly now?: () => number;
}

/** 256 KiB per message and per batch (https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html). */
const MAX_BYTES = 262_144;
/** 10 entries per batch (https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html). */
const MAX_ENTRIES = 10;
/** Email: 10 messages per second per subscription, a hard limit; above it the subscription is deactivated (https://repost.aws/knowledge-center/sns-email-subscription-disabled). */
const EMAIL_PER_SECOND = 10;
/** Slack section text: at most 3,000 characters (https://api.slack.com/reference/block-kit/blocks#section). */
const SLACK_SECTION = 3_000;

/** Problem with one entry as SNS words it, or null. */
function entryProblem(e: WireEntry): string | null {
  if (e.message === '') return 'Invalid parameter: Empty message';
  if (entryBytes(e) > MAX_BYTES) return 'Invalid parameter: Message too long';
  // Subject: ASCII, starts with a letter, number or punctuation, no line breaks, < 100 characters (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
  if (e.subject !== undefined && (e.subject.length >= 100 || !/^[\x21-\x7E][\x20-\x7E]*$/.test(e.subject))) return 'Invalid parameter: Subject';
  for (const name of Object.keys(e.attributes)) {
    // Attribute names: A-Z a-z 0-9 _ - . up to 256, not AWS./Amazon. (https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html)
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name) || /^(AWS\.|Amazon\.)/i.test(name)) return `Invalid parameter: MessageAttributes name ${name}`;
  }
  if (e.messageStructure === undefined) return null;
  if (e.messageStructure !== 'json') return 'Invalid parameter: MessageStructure';
  // json: an object whose `default` key is a string (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
  let parsed: unknown;
  try {
    parsed = JSON.parse(e.message);
  } catch {
    return 'Invalid parameter: Message Structure - JSON message body failed to parse';
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as Record<string, unknown>)['default'] !== 'string') {
    return 'Invalid parameter: Message Structure - No default entry in JSON message body';
  }
  return null;
}

/** Exact-match payload filtering, the subset the project documents (https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering-scope.html). */
function matches(policy: Record<string, unknown>, body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  return Object.entries(policy).every(([key, rule]) => {
    const value = (body as Record<string, unknown>)[key];
    if (Array.isArray(rule)) return rule.some((r) => r === value);
    return typeof rule === 'object' && rule !== null && matches(rule as Record<string, unknown>, value);
  });
}

export async function startSnsStandin(options: StandinOptions = {}): Promise<SnsStandin> {
  const topicArn = options.topicArn ?? 'arn:aws:sns:us-east-1:123456789012:wmic-hunt';
  const topics = new Map<string, readonly StandinSubscription[]>([[topicArn, options.subscriptions ?? [
    { protocol: 'email', endpoint: 'soc@example.com' },
    { protocol: 'https', endpoint: CHATBOT_ENDPOINT },
  ]], ...Object.entries(options.otherTopics ?? {})]);
  const now = options.now ?? Date.now;
  const calls: SnsStandin['calls'] = [];
  const deliveries: Delivery[] = [];
  const violations: Violation[] = [];
  const deactivated = new Set<string>();
  const emailTimes = new Map<string, number[]>();

  const deliver = (e: WireEntry, at: number, arn: string): void => {
    const subscriptions = topics.get(arn) ?? [];
    const structure = e.messageStructure === 'json' ? (JSON.parse(e.message) as Record<string, unknown>) : null;
    if (structure && Object.keys(e.attributes).length > 0) {
      // "Message attributes are sent only when the message structure is String, not JSON" (https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html).
      violations.push({ rule: 'attributes-not-delivered', endpoint: '*', at, detail: `attributes ${Object.keys(e.attributes).join(', ')} sent with MessageStructure json` });
    }
    for (const sub of subscriptions) {
      // Each topic's subscription is its own (the email rate is per subscription); the main topic's keep the bare endpoint.
      const subKey = arn === topicArn ? sub.endpoint : `${arn}|${sub.endpoint}`;
      if (deactivated.has(subKey)) continue;
      const own = structure?.[sub.protocol];
      const body = structure ? (typeof own === 'string' ? own : (structure['default'] as string)) : e.message;
      if (sub.bodyFilterPolicy) {
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = null;
        }
        if (!matches(sub.bodyFilterPolicy, parsed)) continue;
      }
      if (sub.protocol === 'email' || sub.protocol === 'email-json') {
        const times = emailTimes.get(subKey) ?? [];
        times.push(at);
        emailTimes.set(subKey, times);
        const inSecond = times.filter((t) => t > at - 1_000).length;
        if (inSecond > EMAIL_PER_SECOND) {
          violations.push({ rule: 'email-rate', endpoint: sub.endpoint, at, detail: `${inSecond} messages within one second (limit ${EMAIL_PER_SECOND}); subscription deactivated` });
          deactivated.add(subKey);
          continue;
        }
      }
      if (sub.protocol === 'https' && sub.endpoint === CHATBOT_ENDPOINT) checkChatbot(body, at);
      deliveries.push({ topicArn: arn, endpoint: sub.endpoint, protocol: sub.protocol, at, subject: e.subject, body, attributes: structure ? {} : e.attributes });
    }
  };

  const checkChatbot = (body: string, at: number): void => {
    // Custom notification schema: version "1.0", source "custom", content.description (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html).
    type Custom = { version?: unknown; source?: unknown; content?: { description?: unknown } } | null;
    let n: Custom;
    try {
      n = JSON.parse(body) as Custom;
    } catch {
      n = null;
    }
    const description = n?.content?.description;
    if (n?.version !== '1.0' || n.source !== 'custom' || typeof description !== 'string') {
      violations.push({ rule: 'chatbot-schema', endpoint: CHATBOT_ENDPOINT, at, detail: 'not a Chatbot custom notification: dropped without an error' });
    } else if (description.length > SLACK_SECTION) {
      violations.push({ rule: 'slack-section-limit', endpoint: CHATBOT_ENDPOINT, at, detail: `description of ${description.length} characters (Slack section limit ${SLACK_SECTION})` });
    }
  };

  const handle = (params: URLSearchParams, at: number): { status: number; body: string } => {
    const requestId = randomUUID();
    const action = params.get('Action') ?? '';
    if (action !== 'Publish' && action !== 'PublishBatch') return errorReply(400, 'InvalidAction', `Unknown action ${action}`, requestId);
    const arn = params.get('TopicArn') ?? '';
    if (!topics.has(arn)) return errorReply(404, 'NotFound', 'Topic does not exist', requestId);
    if (action === 'Publish') {
      const entry = publishEntry(params);
      calls.push({ action, at, entries: [entry], topicArn: arn });
      const problem = entryProblem(entry);
      if (problem) return errorReply(400, 'InvalidParameter', problem, requestId);
      deliver(entry, at, arn);
      return publishReply(randomUUID(), requestId);
    }
    const entries = batchEntries(params);
    calls.push({ action, at, entries, topicArn: arn });
    // Batch rules (https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html).
    if (entries.length === 0) return errorReply(400, 'EmptyBatchRequest', 'The batch request does not contain any entries', requestId);
    if (entries.length > MAX_ENTRIES) return errorReply(400, 'TooManyEntriesInBatchRequest', `${entries.length} entries; at most ${MAX_ENTRIES}`, requestId);
    if (new Set(entries.map((e) => e.id)).size !== entries.length) return errorReply(400, 'BatchEntryIdsNotDistinct', 'Two or more batch entries have the same Id', requestId);
    if (entries.some((e) => !/^[A-Za-z0-9_-]{1,80}$/.test(e.id))) return errorReply(400, 'InvalidBatchEntryId', 'A batch entry Id is invalid', requestId);
    const total = entries.reduce((n, e) => n + entryBytes(e), 0);
    if (total > MAX_BYTES) return errorReply(400, 'BatchRequestTooLong', `${total} bytes in the batch; at most ${MAX_BYTES}`, requestId);
    const ok: { id: string; messageId: string }[] = [];
    const failed: { id: string; code: string; message: string }[] = [];
    for (const e of entries) {
      const problem = entryProblem(e);
      if (problem) failed.push({ id: e.id, code: 'InvalidParameter', message: problem });
      else {
        deliver(e, at, arn);
        ok.push({ id: e.id, messageId: randomUUID() });
      }
    }
    return batchReply(ok, failed, requestId);
  };

  const server: Server = createServer((req, res) => {
    const at = now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { status, body } = handle(new URLSearchParams(Buffer.concat(chunks).toString('utf8')), at);
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'standin' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint, topicArn, calls, deliveries, violations,
    status: (e) => (deactivated.has(e) ? 'PendingConfirmation' : 'Confirmed'),
    client: () => new SNSClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'standin-secret' }, maxAttempts: 1 }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
