/**
 * One message per incident: the chain on one line at the top, the incident's highest severity in
 * the subject, then each new pair of this run with its own details (the per-pair renderings).
 * Slack: every message of an incident carries the incident's threadId, so later pairs land in the
 * same thread. The `default` JSON keeps every per-pair field (of the highest-risk pair) and adds
 * `incident` and `pairs`, so subscribers of the old shape keep working.
 */
import { SEVERITIES, type TrackedFinding } from '../finding.js';
import type { IncidentView } from '../incidents/index.js';
import type { NotificationContext } from '../ports.js';
import { type ChatbotNotification, renderChatbot } from './chatbot.js';
import { slackConfirmationLines } from './confirmation.js';
import type { RenderedMessage } from './digest.js';
import { renderEmail, scoreLabel, severityLabel } from './email.js';
import { SHORT_TEXT, type RenderLimits } from './limits.js';
import { num, renderDefault, shortText, textField, time } from './payload.js';
import { asText, display, isoTime, makeVisible, slackEscape, slackInline, subjectText } from './sanitize.js';
import { fitDescription, slackCodeBlock } from './slack-fit.js';
import { drillDownXql } from './xql.js';

/** Hosts of a chain shown in a subject or title before the rest is counted. */
const CHAIN_SHOWN = 12;

const rank = (f: TrackedFinding): number => SEVERITIES.indexOf(f.severity);
const risk = (f: TrackedFinding): number => (typeof f.riskScore === 'number' && Number.isFinite(f.riskScore) ? f.riskScore : -Infinity);

/** The pair whose fields fill the old per-pair places of the payload: highest severity, then risk. */
export function leadPair(fs: readonly TrackedFinding[]): TrackedFinding {
  return [...fs].sort((a, b) => rank(b) - rank(a) || risk(b) - risk(a))[0] as TrackedFinding;
}

/** The pairs in the order the story happened. */
function inTimeOrder(fs: readonly TrackedFinding[]): TrackedFinding[] {
  return [...fs].sort((a, b) => (num(a.firstSeen) ?? 0) - (num(b.firstSeen) ?? 0));
}

/** `A -> B -> C` (arrow given), at most CHAIN_SHOWN hosts, each through `show`. */
function chainText(incident: IncidentView, arrow: string, show: (host: string) => string): string {
  const shown = incident.chain.slice(0, CHAIN_SHOWN).map(show).join(arrow);
  return incident.chain.length > CHAIN_SHOWN ? `${shown}${arrow}... (+${incident.chain.length - CHAIN_SHOWN} hosts)` : shown;
}

/** Host names in the per-pair list lines: shorter at tighter levels, so 100 hostile names still fit. */
const nameCap = (limits: RenderLimits): number => Math.min(SHORT_TEXT, limits.text);

const pairsWord = (n: number): string => `${n} new pair${n === 1 ? '' : 's'}`;

/** Most characters of an SNS subject (subjectText's cap). */
const SUBJECT_MAX = 99;

/**
 * e.g. `[HIGH] WMIC remote exec - incident INC-1A2B: WKS-77 -> FS01 -> DC01 (3 new pairs)`. A long
 * chain is cut in the middle of the subject, so the incident id and the count always show.
 */
export function incidentSubject(incident: IncidentView, count: number): string {
  const head = `[${severityLabel(incident.severity)}] WMIC remote exec - incident ${display(incident.id, 32)}: `;
  const tail = ` (${pairsWord(count)})`;
  // The chain made ASCII first (as subjectText would), so its length is what the subject shows.
  const chain = makeVisible(chainText(incident, ' -> ', (h) => asText(h).slice(0, 40))).replace(/[^\x20-\x7E]/g, '?').replace(/\s+/g, ' ');
  const room = Math.max(3, SUBJECT_MAX - head.length - tail.length);
  return subjectText(`${head}${chain.length <= room ? chain : `${chain.slice(0, room - 3)}...`}${tail}`);
}

function renderIncidentEmail(fs: readonly TrackedFinding[], incident: IncidentView, ctx: NotificationContext, limits: RenderLimits): RenderedMessage['email'] {
  const pairs = inTimeOrder(fs);
  const detailed = pairs.slice(0, limits.list);
  const body = [
    `INCIDENT ${display(incident.id, 64)}: ${chainText(incident, ' -> ', (h) => display(h, SHORT_TEXT))}`,
    `Highest severity ${severityLabel(incident.severity)}; ${pairsWord(pairs.length)} in this message, ${incident.pairCount} pair(s) in the incident so far.`,
    'Later pairs of this incident are sent under the same incident id (and to the same Slack thread).',
    '',
    ...pairs.map((f, i) => `  ${i + 1}. ${display(f.sourceHost, nameCap(limits))} -> ${display(f.targetHost, nameCap(limits))}  ${severityLabel(f.severity)}, risk ${scoreLabel(f.riskScore)}, first seen ${isoTime(f.firstSeen)}`),
    ...detailed.flatMap((f, i) => ['', `==== PAIR ${i + 1} of ${pairs.length} ${'='.repeat(60)}`, renderEmail(f, ctx, limits).body]),
    ...(pairs.length > detailed.length ? ['', `(${pairs.length - detailed.length} more pair(s) listed above; details in the JSON payload and XSIAM.)`] : []),
  ].join('\n');
  return { subject: incidentSubject(incident, pairs.length), body };
}

function renderIncidentChatbot(fs: readonly TrackedFinding[], incident: IncidentView, ctx: NotificationContext, limits: RenderLimits): ChatbotNotification {
  const pairs = inTimeOrder(fs);
  const base = renderChatbot(leadPair(fs), ctx, limits);
  const severity = severityLabel(incident.severity);
  const chain = chainText(incident, ' → ', (h) => slackInline(h, 120));
  const description = fitDescription(
    (cap) =>
      [
        `*Incident:* ${slackInline(incident.id, 64)}   *Highest severity:* ${severity}   *New pairs:* ${pairs.length}`,
        `*Chain:* ${chain}`,
        ...pairs.flatMap((f) => [
          '',
          `*${slackInline(f.sourceHost, SHORT_TEXT)}  →  ${slackInline(f.targetHost, SHORT_TEXT)}*   ${severityLabel(f.severity)}, risk ${scoreLabel(f.riskScore)}, first seen ${isoTime(f.firstSeen)}`,
          `*User:* ${slackInline(f.user, SHORT_TEXT)}   *Events:* ${scoreLabel(f.count)}`,
          ...slackConfirmationLines(f),
          slackCodeBlock(f.remoteCommand ?? '(none on the line)', cap).text,
        ]),
      ].join('\n'),
    limits.slack,
  );
  return {
    ...base,
    content: {
      ...base.content,
      title: `${severity} WMIC lateral movement, incident ${slackInline(incident.id, 64)}: ${chainText(incident, ' → ', (h) => slackInline(h, 60))}`,
      description,
    },
    metadata: {
      ...base.metadata,
      // Every message of the incident in one Slack thread.
      threadId: `${ctx.hunt.id}:${display(incident.threadId, 128)}`,
      summary: slackEscape(`${severity} WMIC incident ${display(incident.id, 64)}: ${chainText(incident, ' → ', (h) => display(h, 60))} (${pairsWord(pairs.length)})`),
      relatedResources: incident.chain.slice(0, 20).map((h) => slackEscape(display(h, SHORT_TEXT))),
      additionalContext: { ...base.metadata?.additionalContext, incidentId: display(incident.id, 64) },
    },
  };
}

/** One pair of the `pairs` list; past the first `limits.list` pairs only the identifying fields (the message must fit). */
function pairJson(f: TrackedFinding, ctx: NotificationContext, limits: RenderLimits, index: number): Record<string, unknown> {
  const slim = {
    fingerprint: shortText(f.fingerprint, 128),
    sourceHost: shortText(f.sourceHost, nameCap(limits)),
    targetHost: shortText(f.targetHost, nameCap(limits)),
    severity: shortText(f.severity, 16),
    riskScore: num(f.riskScore),
    firstSeen: time(f.firstSeen),
    lastSeen: time(f.lastSeen),
    arrivedLateMs: num(f.arrivedLateMs),
  };
  if (index >= limits.list) return slim;
  return {
    ...slim,
    remoteCommand: textField(f.remoteCommand, limits.json),
    commandLine: textField(f.commandLine, limits.json),
    user: shortText(f.user),
    count: num(f.count),
    drillDownXql: drillDownXql(f, ctx),
  };
}

/** The three renderings of one incident's message over its new pairs `fs` (at least one). */
export function renderIncident(fs: readonly TrackedFinding[], incident: IncidentView, ctx: NotificationContext, limits: RenderLimits): RenderedMessage {
  return {
    email: renderIncidentEmail(fs, incident, ctx, limits),
    chatbot: renderIncidentChatbot(fs, incident, ctx, limits),
    default: {
      ...renderDefault(leadPair(fs), ctx, limits),
      incident: {
        id: shortText(incident.id, 64),
        chain: incident.chain.map((h) => shortText(h)),
        severity: shortText(incident.severity, 16),
        pairCount: num(incident.pairCount),
      },
      pairs: inTimeOrder(fs).map((f, i) => pairJson(f, ctx, limits, i)),
    },
  };
}
