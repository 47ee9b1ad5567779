/**
 * Publishes notifications to an SNS topic with PublishBatch. Each accepted entry delivers its
 * findings; each failed entry or failed call leaves them undelivered with the SNS code, so the
 * caller keeps them PENDING and fails the run loudly. Every call, retries included, is paced so
 * no second carries more than 10 messages (pacer.ts), and, given a shared SendBudget, none across
 * every publisher of the deployment either; what the deadline leaves unsent is deferred.
 */
import { PublishBatchCommand, type PublishBatchCommandOutput, type SNSClient } from '@aws-sdk/client-sns';
import type { TrackedFinding } from '../finding.js';
import type { Log, NotificationContext, Notifier, PublishOutcome, SendBudget } from '../ports.js';
import type { SnsMessage } from './message.js';
import { SNS_MAX_BATCH_ENTRIES } from './limits.js';
import { SendPacer } from './pacer.js';
import { type Failure, assertOptions, checkStormLimit, failureOf, packBatches, planMessages } from './publish-plan.js';

/**
 * SNS email delivery: at most 10 messages per second per email subscription, a hard limit; above
 * it SNS deactivates the subscription (https://repost.aws/knowledge-center/sns-email-subscription-disabled).
 */
export const EMAIL_MESSAGES_PER_SECOND = 10;

/**
 * The pacing window: one second plus a margin, because SNS counts deliveries, which follow our
 * publish by a variable delay; 10 % keeps a burst of two batches from landing in one second.
 */
export const PACE_WINDOW_MS = 1_100;

/**
 * Codes worth a bounded retry. The SDK already retries Throttling/ThrottlingException on the call,
 * but not KMSThrottlingException (HTTP 400) nor throttled entries inside a 200 response.
 */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'KMSThrottling',
  'KMSThrottlingException',
]);

/** Options of SnsNotifier. */
export interface SnsNotifierOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
  /** More new pairs than this in one run are sent as one digest. */
  readonly stormLimit: number;
  /** Waits between retries; tests pass a fake. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Attempts per batch when SNS throttles. @default 3 */
  readonly maxAttempts?: number;
  /** First retry delay, doubled each attempt. @default 250 */
  readonly baseDelayMs?: number;
  /** Where retries are reported. @default none */
  readonly log?: Log;
  /** Most messages in any pacing window, 1 to 10. @default 10 (the SNS email limit) */
  readonly maxMessagesPerSecond?: number;
  /** Pacing window (ms), at least 1000. @default 1100 */
  readonly paceWindowMs?: number;
  /** Epoch-ms clock for pacing; tests pass a fake that advances with `sleep`. @default Date.now */
  readonly now?: () => number;
  /**
   * The send rate shared with every other publisher of the deployment (other Lambda environments,
   * other topics), drawn from before each batch on top of this notifier's own pacer.
   * @default none: this notifier paces only itself (the local CLI)
   */
  readonly budget?: SendBudget;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Name of a thrown value, for the failure code. */
function errorCode(error: unknown): string {
  if (error instanceof Error && error.name) return error.name;
  return 'UnknownError';
}

/** Notifier over SNS PublishBatch with `MessageStructure: 'json'`. */
export class SnsNotifier implements Notifier {
  private readonly client: SNSClient;
  private readonly topicArn: string;
  private readonly stormLimit: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly log: Log | undefined;
  private readonly perSecond: number;
  /** One pacer for the notifier's lifetime: a warm Lambda's next run is paced against this one's sends. */
  private readonly pacer: SendPacer;
  private readonly budget: SendBudget | undefined;

  constructor(opts: SnsNotifierOptions) {
    const problems = checkStormLimit(opts?.stormLimit);
    if (typeof opts?.topicArn !== 'string' || !opts.topicArn.startsWith('arn:')) problems.push('topicArn must be an SNS topic ARN (arn:...)');
    if (!opts?.client || typeof opts.client.send !== 'function') problems.push('client must be an SNSClient');
    const attempts = opts?.maxAttempts ?? 3;
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 10) problems.push(`maxAttempts must be a whole number from 1 to 10 (got ${String(attempts)})`);
    const perSecond = opts?.maxMessagesPerSecond ?? EMAIL_MESSAGES_PER_SECOND;
    if (!Number.isInteger(perSecond) || perSecond < 1 || perSecond > EMAIL_MESSAGES_PER_SECOND) {
      problems.push(`maxMessagesPerSecond must be a whole number from 1 to ${EMAIL_MESSAGES_PER_SECOND} (got ${String(perSecond)})`);
    }
    const windowMs = opts?.paceWindowMs ?? PACE_WINDOW_MS;
    if (typeof windowMs !== 'number' || !Number.isFinite(windowMs) || windowMs < 1_000) problems.push(`paceWindowMs must be at least 1000 (got ${String(windowMs)})`);
    assertOptions('SnsNotifier', problems);
    this.client = opts.client;
    this.topicArn = opts.topicArn;
    this.stormLimit = opts.stormLimit;
    this.sleep = opts.sleep ?? realSleep;
    this.maxAttempts = attempts;
    this.baseDelayMs = opts.baseDelayMs ?? 250;
    this.log = opts.log;
    this.perSecond = perSecond;
    this.pacer = new SendPacer({ maxMessages: perSecond, windowMs, now: opts.now ?? Date.now, sleep: this.sleep });
    this.budget = opts.budget;
  }

  /** Waits for this notifier's pacer, then for the shared budget; false when either would pass the deadline. */
  private async turn(count: number, deadline: number | undefined): Promise<boolean> {
    if (!(await this.pacer.waitFor(count, deadline))) return false;
    return this.budget === undefined ? true : this.budget.acquire(count, deadline);
  }

  /**
   * Publishes one message per finding, or one digest beyond the storm limit, paced. Messages
   * whose turn would come after `context.deadline` are not sent and come back as `deferred`.
   */
  async publish(findings: readonly TrackedFinding[], context: NotificationContext): Promise<PublishOutcome> {
    const plan = planMessages(findings, context, this.stormLimit);
    const delivered: string[] = [];
    const failed: Failure[] = [...plan.failed];
    const deferred: string[] = [];
    let messages = 0;
    for (const batch of packBatches(plan.messages, undefined, Math.min(this.perSecond, SNS_MAX_BATCH_ENTRIES))) {
      if (deferred.length > 0) {
        // Once one batch missed the deadline, later ones would too: keep the order of the plan.
        for (const message of batch) deferred.push(...message.fingerprints);
        continue;
      }
      const result = await this.sendBatch(batch, context.deadline);
      for (const message of result.accepted) {
        delivered.push(...message.fingerprints);
        messages += 1;
      }
      failed.push(...result.failed);
      for (const message of result.deferred) deferred.push(...message.fingerprints);
    }
    if (deferred.length > 0) {
      this.log?.warn('deadline near: notifications left PENDING for the next run (SNS email rate pacing)', {
        deferred: deferred.length, delivered: delivered.length,
      });
      return { delivered, failed, messages, digest: plan.digest, deferred };
    }
    return { delivered, failed, messages, digest: plan.digest };
  }

  /** Sends one batch, retrying throttled entries or calls a bounded number of times. */
  private async sendBatch(
    batch: readonly SnsMessage[],
    deadline: number | undefined,
  ): Promise<{ accepted: SnsMessage[]; failed: Failure[]; deferred: SnsMessage[] }> {
    const pending = new Map(batch.map((message, i) => [`m${i}`, message]));
    const accepted: SnsMessage[] = [];
    const failed: Failure[] = [];
    const deferred: SnsMessage[] = [];
    const fail = (message: SnsMessage, code: string, text: unknown): void => {
      for (const fingerprint of message.fingerprints) failed.push(failureOf(fingerprint, code, text));
    };
    for (let attempt = 1; pending.size > 0; attempt += 1) {
      const last = attempt >= this.maxAttempts;
      if (!(await this.turn(pending.size, deadline))) {
        deferred.push(...pending.values());
        break;
      }
      let output: PublishBatchCommandOutput;
      const sent = pending.size;
      try {
        output = await this.client.send(
          new PublishBatchCommand({
            TopicArn: this.topicArn,
            PublishBatchRequestEntries: [...pending].map(([id, m]) => ({
              Id: id,
              Subject: m.subject,
              Message: m.message,
              // No MessageAttributes: SNS does not deliver them with a json structure (README.md).
              MessageStructure: 'json',
            })),
          }),
        );
        this.pacer.record(sent);
      } catch (error) {
        // SNS may have taken some entries before the error: count them all against the window.
        this.pacer.record(sent);
        const code = errorCode(error);
        if (!last && THROTTLING.has(code)) {
          await this.backoff(attempt, code, pending.size);
          continue;
        }
        for (const message of pending.values()) fail(message, code, error instanceof Error ? error.message : error);
        break;
      }
      for (const ok of output.Successful ?? []) {
        const message = ok.Id === undefined ? undefined : pending.get(ok.Id);
        if (message) accepted.push(message);
        if (ok.Id !== undefined) pending.delete(ok.Id);
      }
      let retry = false;
      for (const bad of output.Failed ?? []) {
        const message = bad.Id === undefined ? undefined : pending.get(bad.Id);
        if (!message || bad.Id === undefined) continue;
        const code = bad.Code ?? 'UnknownError';
        if (!last && THROTTLING.has(code)) {
          retry = true;
          continue;
        }
        fail(message, code, bad.Message ?? `SNS rejected the entry (sender fault: ${String(bad.SenderFault)})`);
        pending.delete(bad.Id);
      }
      if (!retry) {
        // SNS answered for neither list: nothing says it was accepted, so it stays undelivered.
        for (const message of pending.values()) fail(message, 'MissingResult', 'SNS returned no result for this entry');
        break;
      }
      await this.backoff(attempt, 'throttled entries', pending.size);
    }
    return { accepted, failed, deferred };
  }

  private async backoff(attempt: number, code: string, entries: number): Promise<void> {
    const delay = this.baseDelayMs * 2 ** (attempt - 1);
    this.log?.warn('SNS throttled the notification batch; retrying', { code, attempt, entries, delayMs: delay });
    await this.sleep(delay);
  }
}
