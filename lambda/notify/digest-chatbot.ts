/** The storm digest as an AWS Chatbot custom notification for Slack: a short list of the top pairs. */
import type { NotificationContext } from '../ports.js';
import { type ChatbotNotification, attackSummary, keywords } from './chatbot.js';
import type { Digest } from './digest-rank.js';
import { totalsText } from './digest-rank.js';
import { scoreLabel, severityLabel } from './email.js';
import { lateSuffix } from './late.js';
import type { RenderLimits } from './limits.js';
import { display, makeVisible, slackEscape, slackInline } from './sanitize.js';
import { capLines } from './slack-fit.js';

/** Pairs shown in Slack (a channel message should stay short). */
const SLACK_ROWS = 10;

/** Renders the digest's Chatbot notification. */
export function renderDigestChatbot(d: Digest, ctx: NotificationContext, limits: RenderLimits): ChatbotNotification {
  const n = d.ranked.length;
  const sevLabel = severityLabel(d.severity);
  const rows = d.ranked.slice(0, Math.min(SLACK_ROWS, limits.list)).map(
    (f) =>
      `• ${severityLabel(f.severity)} ${scoreLabel(f.riskScore)}  ${slackInline(f.sourceHost, 120)} → ${slackInline(f.targetHost, 120)}  ${slackInline(f.remoteCommand ?? '(none)', Math.min(120, limits.slack))}${lateSuffix(f)}`,
  );
  const id = `${ctx.hunt.id}:digest:${display(ctx.runId, 128)}`;
  return {
    version: '1.0',
    source: 'custom',
    id,
    content: {
      textType: 'client-markdown',
      title: `:rotating_light: ${sevLabel} WMIC remote execution storm: ${n} new host pairs (digest)`,
      // One Slack section holds at most 3,000 characters: rows that do not fit are cut, marked.
      description: capLines([
        slackEscape(d.statement),
        slackEscape(totalsText(ctx)),
        `*ATT&amp;CK:* ${slackEscape(attackSummary(ctx))}`,
        `*Top ${rows.length} by risk:*`,
        ...rows,
        ...(n > rows.length ? [`… and ${n - rows.length} more (see the email or the JSON payload).`] : []),
      ].join('\n')),
      nextSteps: ctx.hunt.responseActions.map((a) => slackEscape(makeVisible(a))),
      keywords: keywords(ctx, sevLabel),
    },
    metadata: {
      threadId: id,
      summary: slackEscape(`${sevLabel} WMIC remote execution storm: ${n} new host pairs`),
      eventType: 'WmicRemoteExecutionDigest',
      additionalContext: { huntId: ctx.hunt.id, runId: display(ctx.runId, 128), pairs: String(n), stormLimit: String(d.stormLimit) },
    },
  };
}
