/**
 * One SNS message → one Slack message. Hunt messages are re-rendered from their `default` JSON by
 * the notify renderers (renderChatbot, renderDigest) and shaped into Block Kit; CloudWatch alarms
 * (they share the topic when no ops email is set) get a short alarm message. Like the SNS message,
 * the Slack message is rendered at the first limit level that fits, so an oversized finding loses
 * detail in its longest fields, never the message.
 */
import { DIGEST_SCHEMA, FINDING_SCHEMA, LIMIT_LEVELS, type ChatbotNotification, display, renderChatbot, renderDigest, slackEscape, type RenderLimits } from '../notify/index.js';
import { incidentOf } from './from-incident.js';
import type { TrackedFinding } from '../finding.js';
import { type SlackMessage, fits, toBlockKit } from './blocks.js';
import { UnrenderableMessageError } from './errors.js';
import { contextOf, findingOf, slackCap } from './from-payload.js';

/** What was rendered, for the log line (no hostile text in it beyond capped ids). */
export interface Rendered {
  readonly kind: 'finding' | 'digest' | 'alarm';
  readonly message: SlackMessage;
  /** Fingerprint of a finding, run id of a digest, alarm name of an alarm (capped). */
  readonly ref: string;
}

/** Most pairs a digest is re-created with (its count is quoted; only the top ones are shown). */
const MAX_DIGEST_PAIRS = 100_000;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first rendering, from generous to tight caps, whose Block Kit message fits. */
function fitted(render: (limits: RenderLimits) => ChatbotNotification): SlackMessage {
  let last: SlackMessage | undefined;
  for (const limits of LIMIT_LEVELS) {
    last = toBlockKit(render(limits));
    if (fits(last)) return last;
  }
  // The tightest level caps every hostile field at 120 characters: it always fits; this is a guard.
  // Stryker disable next-line StringLiteral: message wording of an unreachable guard (LIMIT_LEVELS is a non-empty constant)
  if (last === undefined) throw new Error('no limit levels');
  return last;
}

/** A finding/1 payload: one pair, or (with `incident` and `pairs`) an incident's message, rendered as Chatbot renders it. */
function renderFinding(payload: Json): SlackMessage {
  const ctx = contextOf(payload);
  const incident = incidentOf(payload, ctx);
  if (incident !== null) return fitted(incident.render);
  const finding = findingOf(payload, ctx.hunt.id);
  return fitted((level) => renderChatbot(finding, ctx, { ...level, slack: slackCap(payload, level.slack) }));
}

function renderDigestPayload(payload: Json): SlackMessage {
  const ctx = contextOf(payload);
  // Stryker disable next-line ArrayDeclaration: a non-array topPairs becomes a list that filter(isObject) empties either way
  const top = (Array.isArray(payload.topPairs) ? payload.topPairs : []).filter(isObject).map((p) => findingOf(p, ctx.hunt.id));
  const count = typeof payload.pairCount === 'number' && Number.isFinite(payload.pairCount) ? payload.pairCount : top.length;
  // renderDigest quotes fs.length and lists the top pairs by risk: the pairs beyond the payload's
  // top list are stood in for by records that rank last, and the list cap keeps them out of view.
  const rest = Math.max(0, Math.min(count, MAX_DIGEST_PAIRS) - top.length);
  const filler = { riskScore: Number.NaN, count: -1, lastSeen: Number.NaN, fingerprint: '\uffff' } as unknown as TrackedFinding;
  const fs = [...top, ...Array.from({ length: rest }, () => filler)];
  const stormLimit = typeof payload.stormLimit === 'number' ? payload.stormLimit : Math.max(0, fs.length - 1);
  return fitted((level) => renderDigest(fs, ctx, stormLimit, { ...level, list: Math.min(level.list, Math.max(1, top.length)) }).chatbot);
}

/** A CloudWatch alarm state change, as CloudWatch publishes it to SNS. */
function renderAlarm(alarm: Json): SlackMessage {
  const state = display(alarm.NewStateValue, 32);
  const name = display(alarm.AlarmName, 255);
  const emoji = state === 'OK' ? ':white_check_mark:' : ':rotating_light:';
  return toBlockKit({
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: `${emoji} ${state}: ${name}`,
      description: [
        `*Alarm:* \`${slackEscape(name.replace(/`/g, "'"))}\``,
        `*Why:* ${slackEscape(display(alarm.NewStateReason, 1_000))}`,
        `*What it means:* ${slackEscape(display(alarm.AlarmDescription, 1_000, '(no description)'))}`,
        `*When:* ${slackEscape(display(alarm.StateChangeTime, 64))}   *Region:* ${slackEscape(display(alarm.Region, 64))}`,
      ].join('\n'),
    },
    metadata: { summary: slackEscape(`${state}: ${name}`) },
  });
}

/** Renders the `Message` of one SNS record; throws UnrenderableMessageError naming what is wrong. */
export function renderSnsMessage(messageId: string, message: string): Rendered {
  let doc: unknown;
  try {
    doc = JSON.parse(message);
  } catch (err) {
    throw new UnrenderableMessageError(messageId, 'the message is not JSON', { cause: err });
  }
  if (!isObject(doc)) throw new UnrenderableMessageError(messageId, 'the message is not a JSON object');
  try {
    if (doc.schema === FINDING_SCHEMA) return { kind: 'finding', message: renderFinding(doc), ref: display(doc.fingerprint, 128) };
    if (doc.schema === DIGEST_SCHEMA) return { kind: 'digest', message: renderDigestPayload(doc), ref: display(doc.runId, 128) };
    if (typeof doc.AlarmName === 'string' && typeof doc.NewStateValue === 'string') return { kind: 'alarm', message: renderAlarm(doc), ref: display(doc.AlarmName, 128) };
  } /* Stryker disable next-line BlockStatement: guard: the renderers coerce every field of the parsed JSON and no
     payload found makes them throw; emptied, the message still ends in an UnrenderableMessageError. A block
     comment before `catch`: Stryker reads a directive only as a node's leading comment, and a line comment at
     the end of the try block leads no node. */ catch (err) {
    // Stryker disable next-line StringLiteral,ObjectLiteral: log wording of the guard above (no payload found that makes the renderers throw)
    throw new UnrenderableMessageError(messageId, 'rendering failed', { cause: err });
  }
  const schema = typeof doc.schema === 'string' ? `schema "${display(doc.schema, 80)}"` : 'no schema';
  throw new UnrenderableMessageError(messageId, `${schema}: expected ${FINDING_SCHEMA}, ${DIGEST_SCHEMA} or a CloudWatch alarm`);
}
