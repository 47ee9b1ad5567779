/**
 * One SNS message as PublishBatch takes it: `MessageStructure: 'json'` with `default`, `email` and
 * `https` (Chatbot) keys, an ASCII Subject and filterable attributes, shrunk until it fits 256 KiB.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { SEVERITIES, type TrackedFinding } from '../finding.js';
import type { NotificationContext } from '../ports.js';
import { renderChatbot } from './chatbot.js';
import { type RenderedMessage, maxSeverity, renderDigest } from './digest.js';
import { renderEmail } from './email.js';
import { RenderError } from './errors.js';
import { LIMIT_LEVELS, SNS_MARGIN_BYTES, SNS_MAX_BYTES, type RenderLimits } from './limits.js';
import { renderDefault } from './payload.js';
import { asText, display, safeJson } from './sanitize.js';

/** A message ready to publish. */
export interface SnsMessage {
  readonly kind: 'finding' | 'digest';
  readonly subject: string;
  /** The JSON string for `MessageStructure: 'json'`. */
  readonly message: string;
  readonly attributes: Record<string, MessageAttributeValue>;
  /** UTF-8 bytes SNS counts: message, subject and every attribute's name, type and value. */
  readonly bytes: number;
  /** Fingerprints this message covers (one, or all of a digest). */
  readonly fingerprints: string[];
  readonly rendered: RenderedMessage;
}

/** Attribute names subscribers filter on (documented in README.md). */
export const ATTRIBUTE_NAMES = { severity: 'severity', huntId: 'huntId', sourceHost: 'sourceHost', riskScore: 'riskScore', kind: 'kind' } as const;

/** Most distinct source hosts listed in a digest's `sourceHost` String.Array. */
const DIGEST_SOURCE_HOSTS = 100;

/** Bytes SNS counts for one message. */
export function messageBytes(message: string, subject: string, attributes: Record<string, MessageAttributeValue>): number {
  let bytes = Buffer.byteLength(message, 'utf8') + Buffer.byteLength(subject, 'utf8');
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType ?? '', 'utf8') + Buffer.byteLength(value.StringValue ?? '', 'utf8');
  }
  return bytes;
}

/** The `MessageStructure: 'json'` body: every value a string, built with JSON.stringify only. */
export function structuredMessage(rendered: RenderedMessage): string {
  return safeJson({
    default: safeJson(rendered.default),
    email: rendered.email.body,
    https: safeJson(rendered.chatbot),
  });
}

/** Severity for the attribute: a valid severity, else `unknown` (an attribute value must not be empty). */
function severityValue(severity: unknown): string {
  return typeof severity === 'string' && (SEVERITIES as readonly string[]).includes(severity) ? severity : 'unknown';
}

/** Message attributes of a per-pair message. */
export function findingAttributes(f: TrackedFinding, ctx: NotificationContext): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {
    [ATTRIBUTE_NAMES.kind]: { DataType: 'String', StringValue: 'finding' },
    [ATTRIBUTE_NAMES.severity]: { DataType: 'String', StringValue: severityValue(f.severity) },
    [ATTRIBUTE_NAMES.huntId]: { DataType: 'String', StringValue: ctx.hunt.id },
    [ATTRIBUTE_NAMES.sourceHost]: { DataType: 'String', StringValue: display(f.sourceHost, 256) },
  };
  if (typeof f.riskScore === 'number' && Number.isFinite(f.riskScore)) {
    attributes[ATTRIBUTE_NAMES.riskScore] = { DataType: 'Number', StringValue: String(f.riskScore) };
  }
  return attributes;
}

/** Message attributes of a digest: highest severity and every source host (String.Array, capped). */
export function digestAttributes(fs: readonly TrackedFinding[], ctx: NotificationContext): Record<string, MessageAttributeValue> {
  const sources = [...new Set(fs.map((f) => display(f.sourceHost, 256)))].slice(0, DIGEST_SOURCE_HOSTS);
  const scores = fs.map((f) => f.riskScore).filter((s) => typeof s === 'number' && Number.isFinite(s));
  const attributes: Record<string, MessageAttributeValue> = {
    [ATTRIBUTE_NAMES.kind]: { DataType: 'String', StringValue: 'digest' },
    [ATTRIBUTE_NAMES.severity]: { DataType: 'String', StringValue: maxSeverity(fs) ?? 'unknown' },
    [ATTRIBUTE_NAMES.huntId]: { DataType: 'String', StringValue: ctx.hunt.id },
    [ATTRIBUTE_NAMES.sourceHost]: { DataType: 'String.Array', StringValue: JSON.stringify(sources) },
  };
  if (scores.length > 0) attributes[ATTRIBUTE_NAMES.riskScore] = { DataType: 'Number', StringValue: String(Math.max(...scores)) };
  return attributes;
}

/** Renders at each limit level until the message fits SNS's size limit. */
function fit(
  kind: SnsMessage['kind'],
  fingerprints: string[],
  attributes: Record<string, MessageAttributeValue>,
  render: (limits: RenderLimits) => RenderedMessage,
  budget: number,
): SnsMessage {
  for (const limits of LIMIT_LEVELS) {
    const rendered = render(limits);
    const message = structuredMessage(rendered);
    const bytes = messageBytes(message, rendered.email.subject, attributes);
    if (bytes <= budget) return { kind, subject: rendered.email.subject, message, attributes, bytes, fingerprints, rendered };
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
    return fit('finding', [fingerprint], findingAttributes(f, ctx), (limits) => ({
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
    return fit('digest', fingerprints, digestAttributes(fs, ctx), (limits) => renderDigest(fs, ctx, stormLimit, limits), budget);
  } catch (error) {
    if (error instanceof RenderError) throw error;
    throw new RenderError('the storm digest could not be rendered', fingerprints[0] ?? '', { cause: error });
  }
}
