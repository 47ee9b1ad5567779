/**
 * The Chatbot notification of an incident message (the webhook forwarder renders the same object).
 * Every target is named near the top, grouped by source and most severe first, in a part measured
 * to fit before any pair detail: the description may be cut at Slack's 3,000 characters, never
 * above the last target. Every host sits in a code span; titles cannot render emoji shortcodes.
 */
import type { TrackedFinding } from '../finding.js';
import type { IncidentView } from '../incidents/index.js';
import type { NotificationContext } from '../ports.js';
import { withBacktickNote } from './backtick.js';
import { type ChatbotNotification, renderChatbot } from './chatbot.js';
import { FOLLOW_UP_MARK, slackConfirmationLines } from './confirmation.js';
import { scoreLabel, severityLabel } from './email.js';
import { lateSuffix } from './late.js';
import { SHORT_TEXT, type RenderLimits } from './limits.js';
import { neutraliseShortcodes, slackHost, slackHostBrief, slackTitleHost } from './quote.js';
import { display, isoTime, slackEscape, slackInline } from './sanitize.js';
import { fitDescription, slackCodeBlock, SLACK_SECTION_MAX } from './slack-fit.js';
import { bySeverity, fanOuts, fitList, pairsWord, targetsBySeverity } from './story.js';

/** Characters the who-reached-what part may take of the 3,000 of a section. */
const MOVEMENT_BUDGET = 2_000;
/** Characters of the header Slack shows (header block limit); the title is built to fit it. */
const TITLE_MAX = 150;

/** One line per source with all of its targets; host names shortened together until the part fits its budget. */
export function slackMovement(fs: readonly TrackedFinding[], budget = MOVEMENT_BUDGET): string {
  const groups = fanOuts(fs);
  const render = (cap: number): string =>
    groups
      .map((g) => {
        const pivot = g.reachedFrom.length > 0 ? ` _(pivot: reached from ${g.reachedFrom.map((h) => slackHostBrief(h, cap)).join(', ')})_` : '';
        return `${slackHostBrief(g.source, cap)} → ${g.pairs.map((f) => slackHostBrief(f.targetHost, cap)).join(', ')}${pivot}`;
      })
      .join('\n');
  for (let cap = 60; cap > 6; cap = Math.floor(cap * 0.8)) {
    const text = render(cap);
    if (text.length <= budget) return text;
  }
  return render(6);
}

/** `` `WKS-77` → `dc01` +24 more ``, within the header's characters once rendered as plain text. */
function titleHosts(fs: readonly TrackedFinding[], room: number): string {
  const sources = [...new Set(fanOuts(fs).map((g) => g.source))];
  const from = `${slackTitleHost(sources[0], 24)}${sources.length > 1 ? ` +${sources.length - 1}` : ''} → `;
  return `${from}${fitList(targetsBySeverity(fs), room - from.length, (t) => slackTitleHost(t, 32))}`;
}

export function renderIncidentChatbot(fs: readonly TrackedFinding[], incident: IncidentView, ctx: NotificationContext, limits: RenderLimits): ChatbotNotification {
  const pairs = bySeverity(fs);
  const lead = pairs[0] as TrackedFinding;
  const base = renderChatbot(lead, ctx, limits);
  const severity = severityLabel(incident.severity);
  const movement = slackMovement(pairs);
  const description = fitDescription(
    (cap) =>
      withBacktickNote(
        [
          `*Incident:* ${slackInline(incident.id, 64)}   *Highest severity:* ${severity}   *New pairs:* ${pairs.length}   *Targets:* ${targetsBySeverity(pairs).length}`,
          '*Who reached what* (most severe first):',
          movement,
          ...pairs.flatMap((f) => [
            '',
            `*${slackHost(f.sourceHost, SHORT_TEXT)}  →  ${slackHost(f.targetHost, SHORT_TEXT)}*   ${severityLabel(f.severity)}, risk ${scoreLabel(f.riskScore)}, first seen ${isoTime(f.firstSeen)}${lateSuffix(f)}`,
            // A pair the webhook payload lists by identity only (no command line) has its details in the email.
            ...(typeof f.commandLine !== 'string'
              ? ['_Details in the email._']
              : [
                  `*User:* ${slackInline(f.user, SHORT_TEXT)}   *Events:* ${scoreLabel(f.count)}`,
                  ...slackConfirmationLines(f),
                  slackCodeBlock(f.remoteCommand ?? '(none on the line)', cap).text,
                ]),
          ]),
        ].join('\n'),
      ),
    limits.slack,
    SLACK_SECTION_MAX,
  );
  const mark = pairs.some((f) => f.followUp === true) ? `${FOLLOW_UP_MARK} ` : '';
  const head = `${mark}${severity} WMIC incident ${slackInline(incident.id, 64)}: `;
  const hosts = titleHosts(pairs, TITLE_MAX - head.length - 4);
  return {
    ...base,
    content: { ...base.content, title: `${head}${hosts}`, description },
    metadata: {
      ...base.metadata,
      // Every message of the incident in one Slack thread.
      threadId: `${ctx.hunt.id}:${display(incident.threadId, 128)}`,
      summary: slackEscape(neutraliseShortcodes(`${severity} WMIC incident ${display(incident.id, 64)}: ${fitList(targetsBySeverity(pairs), 200, (t) => `"${display(t, 60)}"`)} (${pairsWord(pairs.length)})`)),
      relatedResources: incident.chain.slice(0, 20).map((h) => slackEscape(display(h, SHORT_TEXT))),
      additionalContext: { ...base.metadata?.additionalContext, incidentId: display(incident.id, 64) },
    },
  };
}
