/**
 * One message per incident: who reached what on top (every target named, most severe first, one
 * line per source), the incident's highest severity in the subject, then each new pair of this
 * run with its own details (the per-pair renderings), most severe first. Slack: every message of
 * an incident carries the incident's threadId (incident-slack.ts). The `default` JSON keeps every
 * per-pair field (of the highest-risk pair) and adds `incident` and `pairs`, so subscribers of the
 * old shape keep working; its `chain` and `pairs` keep the order hosts were first reached.
 */
import type { TrackedFinding } from '../finding.js';
import type { IncidentView } from '../incidents/index.js';
import type { NotificationContext } from '../ports.js';
import { confirmationPart, num, renderDefault, shortText, textField, time } from './payload.js';
import type { RenderedMessage } from './digest.js';
import { renderEmail, scoreLabel, severityLabel } from './email.js';
import { renderIncidentChatbot } from './incident-slack.js';
import { SHORT_TEXT, type RenderLimits } from './limits.js';
import { emailHost, subjectQuote } from './quote.js';
import { display, isoTime, subjectText } from './sanitize.js';
import { bySeverity, fanOuts, fitList, pairsWord, sourcesBySeverity, targetsBySeverity } from './story.js';
import { lateSuffix } from './late.js';
import { drillDownXql } from './xql.js';

/** The pair whose fields fill the old per-pair places of the payload: highest severity, then risk. */
export function leadPair(fs: readonly TrackedFinding[]): TrackedFinding {
  return bySeverity(fs)[0] as TrackedFinding;
}

/** The pairs in the order the story happened (the JSON's order). */
function inTimeOrder(fs: readonly TrackedFinding[]): TrackedFinding[] {
  return [...fs].sort((a, b) => (num(a.firstSeen) ?? 0) - (num(b.firstSeen) ?? 0));
}

/** Host names in the per-pair list lines: shorter at tighter levels, so 100 hostile names still fit. */
const nameCap = (limits: RenderLimits): number => Math.min(SHORT_TEXT, limits.text);

/** Most characters of an SNS subject (subjectText's cap). */
const SUBJECT_MAX = 99;

/**
 * e.g. `[CRITICAL] WMIC incident INC-1A2B: "FS01" +1 -> "dc01", "fs01" +1 more (3 new pairs)`: the
 * source of the most severe pair (and how many others), the targets most severe first, as many as fit, then how many more; every host in quotes. The
 * incident id and the count always show.
 */
export function incidentSubject(incident: IncidentView, fs: readonly TrackedFinding[]): string {
  const head = `[${severityLabel(incident.severity)}] WMIC incident ${display(incident.id, 32)}: `;
  const tail = ` (${pairsWord(fs.length)})`;
  const sources = sourcesBySeverity(fs);
  const from = `${subjectQuote(sources[0], 16)}${sources.length > 1 ? ` +${sources.length - 1}` : ''} -> `;
  const room = SUBJECT_MAX - head.length - tail.length - from.length;
  const targets = targetsBySeverity(fs);
  // A single long name gets what room there is; in a list each name is kept short.
  const each = targets.length === 1 ? Math.max(8, room - 2) : Math.max(8, Math.min(24, room - 12));
  return subjectText(`${head}${from}${fitList(targets, room, (t) => subjectQuote(t, each))}${tail}`);
}

/** The email's movement lines: one per source, all its targets, and `pivot` only for a host a pair reached. */
export function movementLines(fs: readonly TrackedFinding[], cap: number): string[] {
  return fanOuts(fs).map((g) => {
    const pivot = g.reachedFrom.length > 0 ? `   (pivot: reached from ${g.reachedFrom.map((h) => emailHost(h, cap)).join(', ')})` : '';
    return `  ${emailHost(g.source, cap)} -> ${g.pairs.map((f) => emailHost(f.targetHost, cap)).join(', ')}${pivot}`;
  });
}

function renderIncidentEmail(fs: readonly TrackedFinding[], incident: IncidentView, ctx: NotificationContext, limits: RenderLimits): RenderedMessage['email'] {
  const pairs = bySeverity(fs);
  const detailed = pairs.slice(0, limits.list);
  const cap = nameCap(limits);
  const body = [
    `INCIDENT ${display(incident.id, 64)}: ${pairsWord(pairs.length)} to ${targetsBySeverity(fs).length} target(s), highest severity ${severityLabel(incident.severity)}`,
    `${incident.pairCount} pair(s) in the incident so far; later pairs are sent under the same incident id (and to the same Slack thread).`,
    '',
    'WHO REACHED WHAT (one line per source; host names in quotes are as the endpoints reported them)',
    ...movementLines(pairs, cap),
    '',
    'PAIRS (most severe first)',
    ...pairs.map((f, i) => `  ${i + 1}. ${emailHost(f.sourceHost, cap)} -> ${emailHost(f.targetHost, cap)}  ${severityLabel(f.severity)}, risk ${scoreLabel(f.riskScore)}, first seen ${isoTime(f.firstSeen)}${lateSuffix(f)}`),
    ...detailed.flatMap((f, i) => ['', `==== PAIR ${i + 1} of ${pairs.length} ${'='.repeat(60)}`, renderEmail(f, ctx, limits).body]),
    ...(pairs.length > detailed.length ? ['', `(${pairs.length - detailed.length} more pair(s) listed above; details in the JSON payload and XSIAM.)`] : []),
  ].join('\n');
  return { subject: incidentSubject(incident, pairs), body };
}

/** One pair of the `pairs` list; with `detailed` false only the identifying fields (the message must fit). */
function pairJson(f: TrackedFinding, ctx: NotificationContext, limits: RenderLimits, detailed: boolean): Record<string, unknown> {
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
  if (!detailed) return slim;
  return {
    ...slim,
    remoteCommand: textField(f.remoteCommand, limits.json),
    commandLine: textField(f.commandLine, limits.json),
    user: shortText(f.user),
    count: num(f.count),
    drillDownXql: drillDownXql(f, ctx),
    confirmation: confirmationPart(f, limits),
    followUp: f.followUp === true,
  };
}

/** The three renderings of one incident's message over its new pairs `fs` (at least one). */
export function renderIncident(fs: readonly TrackedFinding[], incident: IncidentView, ctx: NotificationContext, limits: RenderLimits): RenderedMessage {
  const detailed = new Set(bySeverity(fs).slice(0, limits.list));
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
      // In time order; the `limits.list` most severe pairs carry their details, the rest their identity.
      pairs: inTimeOrder(fs).map((f) => pairJson(f, ctx, limits, detailed.has(f))),
    },
  };
}
