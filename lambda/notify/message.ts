/**
 * One SNS message as PublishBatch takes it: `MessageStructure: 'json'` with `default`, `email` and
 * `https` (Chatbot) keys and an ASCII Subject, shrunk until it fits 256 KiB. Subscribers filter
 * on the `default` JSON (FilterPolicyScope MessageBody), not on attributes.
 */
import type { TrackedFinding } from '../finding.js';
import type { IncidentView } from '../incidents/index.js';
import type { NotificationContext } from '../ports.js';
import { renderChatbot } from './chatbot.js';
import { type RenderedMessage, renderDigest } from './digest.js';
import { renderEmail } from './email.js';
import { RenderError } from './errors.js';
import { renderIncident } from './incident.js';
import { LIMIT_LEVELS, SNS_MARGIN_BYTES, SNS_MAX_BYTES, type RenderLimits } from './limits.js';
import { renderDefault } from './payload.js';
import { asText, safeJson } from './sanitize.js';

/** A message ready to publish. */
export interface SnsMessage {
  readonly kind: 'finding' | 'digest';
  readonly subject: string;
  /** The JSON string for `MessageStructure: 'json'`. */
  readonly message: string;
  /** UTF-8 bytes SNS counts: message and subject. */
  readonly bytes: number;
  /** Fingerprints this message covers (one, or all of a digest). */
  readonly fingerprints: string[];
  readonly rendered: RenderedMessage;
}

/**
 * Fields of the `default` JSON a subscription filters on with `FilterPolicyScope: MessageBody`
 * (README.md). No message attributes are sent: SNS does not deliver them with
 * `MessageStructure: json` ("Message attributes are sent only when the message structure is
 * String, not JSON": https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html).
 */
export const BODY_FILTER_FIELDS = ['kind', 'severity', 'riskScore', 'sourceHost', 'hunt.id', 'huntId'] as const;

/** Bytes SNS counts for one message (body and subject; no attributes are sent). */
export function messageBytes(message: string, subject: string): number {
  return Buffer.byteLength(message, 'utf8') + Buffer.byteLength(subject, 'utf8');
}

/** The `MessageStructure: 'json'` body: every value a string, built with JSON.stringify only. */
export function structuredMessage(rendered: RenderedMessage): string {
  // One JSON.stringify writes the message as one flat string. Joined from pieces it was a rope,
  // which messageBytes (and later the SDK) first had to copy whole: 4 MB more garbage per 10k rows.
  return safeJson({ default: safeJson(rendered.default), email: rendered.email.body, https: safeJson(rendered.chatbot) });
}

/** Renders at each limit level until the message fits SNS's size limit. */
function fit(
  kind: SnsMessage['kind'],
  fingerprints: string[],
  render: (limits: RenderLimits) => RenderedMessage,
  budget: number,
): SnsMessage {
  for (const limits of LIMIT_LEVELS) {
    const rendered = render(limits);
    const message = structuredMessage(rendered);
    const bytes = messageBytes(message, rendered.email.subject);
    if (bytes <= budget) return { kind, subject: rendered.email.subject, message, bytes, fingerprints, rendered };
  }
  throw new RenderError(`the ${kind} message does not fit ${budget} bytes even at the tightest caps`, fingerprints[0] ?? '');
}

/** Byte budget of one message. */
export const MESSAGE_BUDGET = SNS_MAX_BYTES - SNS_MARGIN_BYTES;

/**
 * Builds the SNS message of one finding; throws RenderError (with the cause) when the record is
 * too malformed to render, so the caller can fail that finding alone.
 */
export function composeFinding(f: TrackedFinding, ctx: NotificationContext, budget = MESSAGE_BUDGET): SnsMessage {
  const fingerprint = asText(f?.fingerprint);
  try {
    return fit('finding', [fingerprint], (limits) => ({
      email: renderEmail(f, ctx, limits),
      chatbot: renderChatbot(f, ctx, limits),
      default: renderDefault(f, ctx, limits),
    }), budget);
  } catch (error) {
    if (error instanceof RenderError) throw error;
    throw new RenderError(`finding ${fingerprint.slice(0, 80) || '(no fingerprint)'} could not be rendered`, fingerprint, { cause: error });
  }
}

/** Builds the one digest message that replaces the per-pair messages of `fs`. */
export function composeDigest(fs: readonly TrackedFinding[], ctx: NotificationContext, stormLimit: number, budget = MESSAGE_BUDGET): SnsMessage {
  const fingerprints = fs.map((f) => asText(f?.fingerprint));
  try {
    return fit('digest', fingerprints, (limits) => renderDigest(fs, ctx, stormLimit, limits), budget);
  } catch (error) {
    if (error instanceof RenderError) throw error;
    throw new RenderError('the storm digest could not be rendered', fingerprints[0] ?? '', { cause: error });
  }
}

/** Builds the one message of an incident over its new pairs `fs`; throws RenderError when it cannot. */
export function composeIncident(fs: readonly TrackedFinding[], incident: IncidentView, ctx: NotificationContext, budget = MESSAGE_BUDGET): SnsMessage {
  const fingerprints = fs.map((f) => asText(f?.fingerprint));
  try {
    return fit('finding', fingerprints, (limits) => renderIncident(fs, incident, ctx, limits), budget);
  } catch (error) {
    if (error instanceof RenderError) throw error;
    throw new RenderError(`incident ${asText(incident.id).slice(0, 80)} could not be rendered`, fingerprints[0] ?? '', { cause: error });
  }
}
