/**
 * What both notifiers share: the storm decision, composing each message (a finding that cannot be
 * rendered fails alone), and packing messages into PublishBatch-sized groups.
 */
import type { TrackedFinding } from '../finding.js';
import type { NotificationContext, PublishOutcome } from '../ports.js';
import { NotifyConfigError, RenderError } from './errors.js';
import { composeIncidentGroup, messageGroups } from './incident-groups.js';
import { SNS_MARGIN_BYTES, SNS_MAX_BATCH_ENTRIES, SNS_MAX_BYTES } from './limits.js';
import { type SnsMessage, composeDigest, composeFinding } from './message.js';
import { asText, display } from './sanitize.js';

/** A failure as PublishOutcome reports it. */
export type Failure = PublishOutcome['failed'][number];

/** Messages to send and the findings that already failed (could not be rendered). */
export interface PublishPlan {
  readonly messages: SnsMessage[];
  readonly failed: Failure[];
  readonly digest: boolean;
}

/** Checks a storm limit: a whole number of at least 1. */
export function checkStormLimit(stormLimit: unknown): string[] {
  return typeof stormLimit === 'number' && Number.isInteger(stormLimit) && stormLimit >= 1
    ? []
    : [`stormLimit must be a whole number >= 1 (got ${display(stormLimit, 40, String(stormLimit))})`];
}

/** Throws one NotifyConfigError listing every problem, if any. */
export function assertOptions(kind: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new NotifyConfigError(`${kind} options are invalid: ${problems.join('; ')}`, problems);
}

/** A failure record for `error` (code from the error name, message made safe for logs). */
export function failureOf(fingerprint: string, code: string, message: unknown): Failure {
  return { fingerprint, code: display(code, 100, 'UnknownError'), message: display(message, 500, '(no message)') };
}

/** Error message with its cause's message, for a failure record. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return asText(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

/**
 * Renders the run's messages: one per incident (one per pair without one), or one digest when
 * there would be more messages than the storm limit.
 */
export function planMessages(findings: readonly TrackedFinding[], ctx: NotificationContext, stormLimit: number): PublishPlan {
  const failed: Failure[] = [];
  const groups = messageGroups(findings, ctx);
  if (groups.length > stormLimit) {
    try {
      return { messages: [composeDigest(findings, ctx, stormLimit)], failed, digest: true };
    } catch {
      // One malformed record must not sink the digest: find the ones that cannot render alone.
      const good = findings.filter((f) => {
        try {
          composeDigest([f], ctx, stormLimit);
          return true;
        } catch (error) {
          failed.push(failureOf(asText(f?.fingerprint), 'RenderError', describe(error)));
          return false;
        }
      });
      // The catch below is a last guard that no known input reaches (findings that each render alone
      // also render as one digest, whose size is capped); test/notify/render-guards-survivors.test.ts
      // reaches it with a digest renderer that refuses more than one pair.
      try {
        return { messages: good.length > 0 ? [composeDigest(good, ctx, stormLimit)] : [], failed, digest: true };
      } catch (error) {
        // Stryker disable next-line OptionalChaining: equivalent: every record in `good` rendered alone in a digest, which a null record cannot
        return { messages: [], failed: [...failed, ...good.map((f) => failureOf(asText(f?.fingerprint), 'RenderError', describe(error)))], digest: true };
      }
    }
  }
  const messages: SnsMessage[] = [];
  for (const { incident, findings: fs } of groups) {
    if (incident !== null) {
      const told = composeIncidentGroup(incident, fs, ctx, (fingerprint, error) => failureOf(fingerprint, 'RenderError', describe(error)));
      messages.push(...told.messages);
      failed.push(...told.failed);
      continue;
    }
    const f = fs[0] as TrackedFinding;
    try {
      messages.push(composeFinding(f, ctx));
    } catch (error) {
      // Stryker disable next-line OptionalChaining: equivalent: composeFinding wraps every rendering error in a RenderError; the other branch is reached only when reading f.fingerprint itself threw, so f is not null there
      const fingerprint = error instanceof RenderError ? error.fingerprint : asText(f?.fingerprint);
      failed.push(failureOf(fingerprint, 'RenderError', describe(error)));
    }
  }
  return { messages, failed, digest: false };
}

/** Groups messages into batches of at most `maxEntries` (10) entries whose bytes sum to at most 256 KiB. */
export function packBatches(
  messages: readonly SnsMessage[],
  maxBytes = SNS_MAX_BYTES - SNS_MARGIN_BYTES,
  maxEntries = SNS_MAX_BATCH_ENTRIES,
): SnsMessage[][] {
  const batches: SnsMessage[][] = [];
  let current: SnsMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (current.length > 0 && (current.length >= Math.min(maxEntries, SNS_MAX_BATCH_ENTRIES) || bytes + message.bytes > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += message.bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
