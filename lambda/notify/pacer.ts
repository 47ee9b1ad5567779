/**
 * Paces publishing so no email subscriber gets more than 10 messages in any second. SNS supports
 * "an email message delivery rate of 10 messages per email or email-json subscription ... This is a
 * hard limit"; above it SNS deactivates the subscription
 * (https://repost.aws/knowledge-center/sns-email-subscription-disabled). Every message of the topic
 * reaches the email subscription, so the topic as a whole is paced: per pair, digests, recovered
 * pairs and later runs of a warm Lambda all go through the notifier's one pacer.
 */

/** Options of SendPacer. */
export interface PacerOptions {
  /** Most messages in any window. */
  readonly maxMessages: number;
  /** The sliding window (ms). */
  readonly windowMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Sliding-window pacer. A send is recorded when its call *returns*: whatever SNS received arrived
 * before that, and the next send starts later, so two arrivals that share a window were also
 * recorded inside it. That keeps the bound true at the receiver, not only at the sender.
 */
export class SendPacer {
  private sent: PacedSend[] = [];

  constructor(private readonly opts: PacerOptions) {}

  /** Earliest time `count` more messages may start (now, or when enough earlier ones left the window). */
  earliest(count: number): number {
    const now = this.opts.now();
    // Dropping the sends that left the window only bounds memory: earliestSlot ignores them.
    this.sent = liveSends(this.sent, now, this.opts.windowMs);
    return earliestSlot(this.sent, count, now, this.opts.maxMessages, this.opts.windowMs);
  }

  /**
   * Waits until `count` messages may start. Returns false, without waiting, when that moment is
   * after `deadline`: the caller leaves those messages for the next run.
   */
  async waitFor(count: number, deadline?: number): Promise<boolean> {
    const at = this.earliest(count);
    if (deadline !== undefined && at > deadline) return false;
    const wait = at - this.opts.now();
    if (wait > 0) await this.opts.sleep(wait);
    return true;
  }

  /** Records `count` messages whose call has just returned. */
  record(count: number): void {
    // Stryker disable next-line EqualityOperator: a send of zero messages counts for nothing either way
    if (count > 0) this.sent.push({ at: this.opts.now(), count });
  }
}

/** One paced send: `count` messages stamped `at` (epoch ms). */
export interface PacedSend {
  readonly at: number;
  readonly count: number;
}

/**
 * Earliest time at or after `now` that `count` more messages fit: at most `maxMessages` stamped
 * inside any `windowMs`. `sends` are oldest first; those already out of the window count for
 * nothing. The pure core of SendPacer and of the shared bucket (lambda/state/dynamo-pace.ts).
 */
export function earliestSlot(sends: readonly PacedSend[], count: number, now: number, maxMessages: number, windowMs: number): number {
  // Sorted: stamps from several hosts need not arrive in order.
  const live = liveSends(sends, now, windowMs).sort((a, b) => a.at - b.at);
  let inWindow = live.reduce((n, s) => n + s.count, 0);
  let at = now;
  for (const s of live) {
    if (inWindow + count <= maxMessages) break;
    inWindow -= s.count;
    at = s.at + windowMs;
  }
  return at;
}

/** The sends stamped less than `windowMs` before `now`, in their order. */
function liveSends(sends: readonly PacedSend[], now: number, windowMs: number): PacedSend[] {
  // Stryker disable next-line EqualityOperator: a send exactly one window old, if kept, is counted out first and moves the slot to `now` itself
  return sends.filter((s) => s.at + windowMs > now);
}
