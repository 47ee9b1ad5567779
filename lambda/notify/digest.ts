/**
 * The storm digest: when one run finds more new host pairs than the storm limit, one message
 * with the top pairs by risk and the run's totals replaces the per-pair messages.
 */
import { SEVERITIES, type Severity, type TrackedFinding } from '../finding.js';
import type { NotificationContext } from '../ports.js';
import { type ChatbotNotification, attackSummary, keywords } from './chatbot.js';
import { type EmailMessage, attackLines, scoreLabel, severityLabel } from './email.js';
import { DEFAULT_LIMITS, type RenderLimits } from './limits.js';
import { DIGEST_SCHEMA, num, runPart, shortText, textField, time } from './payload.js';
import { display, isoTime, makeVisible, slackEscape, slackInline, subjectText } from './sanitize.js';
import { capLines } from './slack-fit.js';
import { runWindowXql } from './xql.js';

/** The three renderings of one message. */
export interface RenderedMessage {
  readonly email: EmailMessage;
  readonly chatbot: ChatbotNotification;
  readonly default: object;
}

/** Pairs shown in Slack (a channel message should stay short). */
const SLACK_ROWS = 10;
/** Pairs shown in the email. */
const EMAIL_ROWS = 25;

function score(f: TrackedFinding): number {
  return typeof f.riskScore === 'number' && Number.isFinite(f.riskScore) ? f.riskScore : -Infinity;
}

/** Findings by risk score, then event count, then most recent (ties broken by fingerprint for stable output). */
export function byRisk(fs: readonly TrackedFinding[]): TrackedFinding[] {
  return [...fs].sort(
    (a, b) =>
      score(b) - score(a) ||
      (num(b.count) ?? 0) - (num(a.count) ?? 0) ||
      (num(b.lastSeen) ?? 0) - (num(a.lastSeen) ?? 0) ||
      String(a.fingerprint).localeCompare(String(b.fingerprint)),
  );
}

/** Highest finite risk score among `fs`, or null. */
function topScore(fs: readonly TrackedFinding[]): number | null {
  const best = fs.reduce((m, f) => Math.max(m, score(f)), -Infinity);
  return Number.isFinite(best) ? best : null;
}

/** Highest valid severity among `fs`. */
export function maxSeverity(fs: readonly TrackedFinding[]): Severity | null {
  let best = -1;
  for (const f of fs) best = Math.max(best, SEVERITIES.indexOf(f.severity));
  return SEVERITIES[best] ?? null;
}

/** The statement every digest rendering opens with. */
function replacedStatement(n: number, limit: number): string {
  return (
    `This run found ${n} new host pairs, more than the storm limit of ${limit}: ` +
    `this digest replaces the ${n} per-pair messages (none of them was sent separately).`
  );
}

/** Totals line of the run. */
function totalsText(ctx: NotificationContext): string {
  const t = ctx.totals;
  return `Run totals: ${t.findings} findings, ${t.newPairs} new host pairs, ${t.repeats} repeats (already notified), ${t.suppressed} suppressed by allowlists.`;
}

/**
 * Renders the digest of `fs`: email, Chatbot notification and `default` JSON.
 * @param stormLimit - the limit that was exceeded, quoted in the text; @default fs.length - 1
 * @param limits - caps on attacker-controlled text; @default DEFAULT_LIMITS
 */
export function renderDigest(
  fs: readonly TrackedFinding[],
  ctx: NotificationContext,
  stormLimit: number = Math.max(0, fs.length - 1),
  limits: RenderLimits = DEFAULT_LIMITS,
): RenderedMessage {
  const ranked = byRisk(fs);
  const severity = maxSeverity(fs);
  const sevLabel = severityLabel(severity);
  const statement = replacedStatement(fs.length, stormLimit);
  const emailRows = ranked.slice(0, Math.min(EMAIL_ROWS, limits.list));
  const rowText = (f: TrackedFinding, i: number): string[] => [
    `  ${i + 1}. [${severityLabel(f.severity)} ${scoreLabel(f.riskScore)}] ${display(f.sourceHost, 200)} -> ${display(f.targetHost, 200)}`,
    `     ran: ${display(f.remoteCommand, Math.min(200, limits.text), '(none on the line)')}`,
    `     user ${display(f.user, 120)}, parent ${display(f.parentImage, 200)}, ${scoreLabel(f.count)} events, first ${isoTime(f.firstSeen)}, last ${isoTime(f.lastSeen)}`,
  ];
  const body = [
    `WMIC remote process creation STORM: ${fs.length} new host pairs (digest)`,
    `${ctx.hunt.title} (${ctx.hunt.id} v${ctx.hunt.version}), highest severity ${sevLabel}`,
    '',
    statement,
    totalsText(ctx),
    '',
    `TOP ${emailRows.length} OF ${fs.length} HOST PAIRS BY RISK`,
    ...emailRows.flatMap(rowText),
    ...(fs.length > emailRows.length ? [`  ... and ${fs.length - emailRows.length} more pairs (all are in the JSON payload and in XSIAM).`] : []),
    '',
    'ATT&CK',
    ...attackLines(ctx),
    '',
    'RESPONSE ACTIONS (for each pair)',
    ...ctx.hunt.responseActions.map((a, i) => `  ${i + 1}. ${makeVisible(a)}`),
    '',
    'DRILL DOWN IN XSIAM (whole run window; paste into the XQL query builder)',
    runWindowXql(ctx),
    '',
    `Run ${display(ctx.runId, 128)}, window ${isoTime(ctx.window.from)} to ${isoTime(ctx.window.to)}.`,
    '',
  ].join('\n');
  const subject = subjectText(`[${sevLabel}] WMIC remote exec storm: ${fs.length} new host pairs (digest)`);

  const slackRows = ranked.slice(0, Math.min(SLACK_ROWS, limits.list)).map(
    (f) =>
      `• ${severityLabel(f.severity)} ${scoreLabel(f.riskScore)}  ${slackInline(f.sourceHost, 120)} → ${slackInline(f.targetHost, 120)}  ${slackInline(f.remoteCommand ?? '(none)', Math.min(120, limits.slack))}`,
  );
  const chatbot: ChatbotNotification = {
    version: '1.0',
    source: 'custom',
    id: `${ctx.hunt.id}:digest:${display(ctx.runId, 128)}`,
    content: {
      textType: 'client-markdown',
      title: `:rotating_light: ${sevLabel} WMIC remote execution storm: ${fs.length} new host pairs (digest)`,
      // One Slack section holds at most 3,000 characters: rows that do not fit are cut, marked.
      description: capLines([
        slackEscape(statement),
        slackEscape(totalsText(ctx)),
        `*ATT&amp;CK:* ${slackEscape(attackSummary(ctx))}`,
        `*Top ${slackRows.length} by risk:*`,
        ...slackRows,
        ...(fs.length > slackRows.length ? [`… and ${fs.length - slackRows.length} more (see the email or the JSON payload).`] : []),
      ].join('\n')),
      nextSteps: ctx.hunt.responseActions.map((a) => slackEscape(makeVisible(a))),
      keywords: keywords(ctx, sevLabel),
    },
    metadata: {
      threadId: `${ctx.hunt.id}:digest:${display(ctx.runId, 128)}`,
      summary: slackEscape(`${sevLabel} WMIC remote execution storm: ${fs.length} new host pairs`),
      eventType: 'WmicRemoteExecutionDigest',
      additionalContext: { huntId: ctx.hunt.id, runId: display(ctx.runId, 128), pairs: String(fs.length), stormLimit: String(stormLimit) },
    },
  };

  const fingerprintCap = limits.list * 20;
  const payload = {
    schema: DIGEST_SCHEMA,
    kind: 'digest',
    ...runPart(ctx),
    replacesPerPairMessages: true,
    statement,
    stormLimit,
    totals: { ...ctx.totals },
    pairCount: fs.length,
    highestSeverity: severity,
    // Same names as a finding's, so one MessageBody filter policy routes findings and digests.
    severity,
    riskScore: topScore(fs),
    topPairs: ranked.slice(0, limits.list).map((f) => ({
      fingerprint: shortText(f.fingerprint, 128),
      sourceHost: shortText(f.sourceHost),
      targetHost: shortText(f.targetHost),
      remoteCommand: textField(f.remoteCommand, Math.min(1_000, limits.json)),
      user: shortText(f.user),
      riskScore: num(f.riskScore),
      severity: shortText(f.severity, 16),
      count: num(f.count),
      firstSeen: time(f.firstSeen),
      lastSeen: time(f.lastSeen),
    })),
    fingerprints: ranked.slice(0, fingerprintCap).map((f) => shortText(f.fingerprint, 128)),
    fingerprintsTruncated: fs.length > fingerprintCap,
    drillDownXql: runWindowXql(ctx),
  };
  return { email: { subject, body }, chatbot, default: payload };
}
