/**
 * AWS Chatbot (Amazon Q Developer in chat applications) custom notification, so a Slack channel
 * subscribed to the topic renders the finding. Schema: version "1.0", source "custom",
 * content {textType, title, description, nextSteps, keywords}, metadata (aws-notes.md §2).
 * The object is serialised with JSON.stringify by the caller, never by string concatenation.
 * The description fits one Slack section (3,000 characters, slack-fit.ts); cut text is marked.
 */
import type { TrackedFinding } from '../finding.js';
import type { NotificationContext } from '../ports.js';
import { scoreLabel, severityLabel } from './email.js';
import { DEFAULT_LIMITS, SHORT_TEXT, type RenderLimits } from './limits.js';
import { display, isoTime, slackEscape, slackInline, slackProse } from './sanitize.js';
import { fitDescription, slackCodeBlock } from './slack-fit.js';
import { drillDownXql } from './xql.js';
import { FOLLOW_UP_MARK, slackConfirmationLines } from './confirmation.js';
import { slackBlockText, withBacktickNote } from './backtick.js';
import { neutraliseShortcodes, slackHost, slackTitleHost } from './quote.js';
import { lateNotice } from './late.js';

/** The custom notification shape Chatbot accepts. */
export interface ChatbotNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id?: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps?: string[];
    readonly keywords?: string[];
  };
  readonly metadata?: {
    readonly threadId?: string;
    readonly summary?: string;
    readonly eventType?: string;
    readonly relatedResources?: string[];
    readonly additionalContext?: Record<string, string>;
  };
}

/** Slack emoji per severity, so the channel can be scanned at a glance. */
const EMOJI: Record<string, string> = { low: ':information_source:', medium: ':warning:', high: ':rotating_light:', critical: ':fire:' };

/** ATT&CK summary, e.g. `T1047 (TA0008 Lateral Movement, TA0002 Execution)`. */
export function attackSummary(ctx: NotificationContext): string {
  const techniques = [...new Set(ctx.hunt.attack.map((a) => a.techniqueId))];
  return `${techniques.join(', ')} (${ctx.hunt.attack.map((a) => `${a.tacticId} ${a.tactic}`).join(', ')})`;
}

/** Keywords shown as tags: technique, tactics, severity, hunt id. */
export function keywords(ctx: NotificationContext, severity: string): string[] {
  const ids = ctx.hunt.attack.flatMap((a) => [a.techniqueId, a.tacticId]);
  return [...new Set([...ids, severity, ctx.hunt.id])];
}

/**
 * Renders the Chatbot custom notification of one finding. Hostile values sit in code spans or
 * blocks (backtick.ts), URLs defanged and `&`, `<`, `>` escaped, so no mention, link or formatting
 * forms; host names are marked when they mix scripts, and titles render no emoji shortcode.
 * @param limits - caps on attacker-controlled text; @default DEFAULT_LIMITS
 */
export function renderChatbot(f: TrackedFinding, ctx: NotificationContext, limits: RenderLimits = DEFAULT_LIMITS): ChatbotNotification {
  const severity = severityLabel(f.severity);
  const score = scoreLabel(f.riskScore);
  const emoji = EMOJI[String(f.severity)] ?? ':grey_question:';
  const reasons = (Array.isArray(f.reasons) ? f.reasons : []).map((r) => slackInline(r?.code, 80));
  // Our own multi-line text (host values only when XQL-safe), so its line breaks are kept.
  const xql = `\`\`\`\n${slackEscape(slackBlockText(drillDownXql(f, ctx)))}\n\`\`\``;
  // The two hostile blocks shrink together until the rendered description fits one Slack section.
  const description = fitDescription(
    (cap) =>
      withBacktickNote([
        `*Severity:* ${severity}   *Risk score:* ${score}`,
        `*Source:* ${slackHost(f.sourceHost, SHORT_TEXT)}  →  *Target:* ${slackHost(f.targetHost, SHORT_TEXT)}`,
        `*User:* ${slackInline(f.user, SHORT_TEXT)}   *Parent:* ${slackInline(f.parentImage, SHORT_TEXT)}`,
        `*Events:* ${scoreLabel(f.count)}   *First seen:* ${isoTime(f.firstSeen)}   *Last seen:* ${isoTime(f.lastSeen)}`,
        ...(lateNotice(f) === null ? [] : [`*Late:* ${lateNotice(f)}`]),
        `*Why:* ${reasons.length > 0 ? reasons.join(' ') : 'base score of the hunt'}`,
        ...slackConfirmationLines(f),
        `*ATT&amp;CK:* ${slackEscape(attackSummary(ctx))}`,
        '*Remote command:*',
        slackCodeBlock(f.remoteCommand ?? '(none on the line)', cap).text,
        // the decoded -EncodedCommand, short and on one line (its line breaks shown as ⏎)
        ...(typeof f.decodedScript === 'string'
          ? ['*Decoded PowerShell:*', slackCodeBlock(f.decodedScript.slice(0, 1_000).replace(/\r?\n/g, ' ⏎ '), Math.min(cap, 300)).text]
          : []),
        ...(typeof f.parentDecodedScript === 'string' && f.parentDecodedScript !== f.decodedScript
          ? ['*Decoded parent PowerShell:*', slackCodeBlock(f.parentDecodedScript.slice(0, 1_000).replace(/\r?\n/g, ' ⏎ '), Math.min(cap, 300)).text]
          : []),
        '*wmic command line:*',
        slackCodeBlock(f.commandLine, cap).text,
        '*Drill down in XSIAM:*',
        xql,
      ].join('\n')),
    limits.slack,
  );
  return {
    version: '1.0',
    source: 'custom',
    id: `${ctx.hunt.id}:${display(f.fingerprint, 128)}`,
    content: {
      textType: 'client-markdown',
      title: `${f.followUp === true ? `${FOLLOW_UP_MARK} ` : ''}${emoji} ${severity} WMIC remote execution ${slackTitleHost(f.sourceHost, 48)} → ${slackTitleHost(f.targetHost, 48)}`,
      description,
      nextSteps: ctx.hunt.responseActions.map(slackProse),
      keywords: keywords(ctx, severity),
    },
    metadata: {
      threadId: `${ctx.hunt.id}:${display(f.threadId ?? f.fingerprint, 128)}`,
      summary: slackEscape(neutraliseShortcodes(`${severity} WMIC remote execution "${display(f.sourceHost, 120)}" → "${display(f.targetHost, 120)}" (risk ${score})`)),
      eventType: 'WmicRemoteExecution',
      relatedResources: [slackEscape(display(f.sourceHost, SHORT_TEXT)), slackEscape(display(f.targetHost, SHORT_TEXT))],
      additionalContext: {
        huntId: ctx.hunt.id,
        fingerprint: display(f.fingerprint, 128),
        severity,
        riskScore: score,
        runId: display(ctx.runId, 128),
      },
    },
  };
}
