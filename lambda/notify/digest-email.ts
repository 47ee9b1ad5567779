/** The storm digest as an email: the top pairs by risk, ATT&CK, response actions, the run's drill-down. */
import type { TrackedFinding } from '../finding.js';
import type { NotificationContext } from '../ports.js';
import type { Digest } from './digest-rank.js';
import { totalsText } from './digest-rank.js';
import { type EmailMessage, attackLines, scoreLabel, severityLabel } from './email.js';
import { lateSuffix } from './late.js';
import type { RenderLimits } from './limits.js';
import { display, isoTime, makeVisible, subjectText } from './sanitize.js';
import { runWindowXql } from './xql.js';

/** Pairs shown in the email. */
const EMAIL_ROWS = 25;

/** Three lines per pair: who → where, what ran, and the context an analyst triages by. */
function pairLines(f: TrackedFinding, i: number, limits: RenderLimits): string[] {
  return [
    `  ${i + 1}. [${severityLabel(f.severity)} ${scoreLabel(f.riskScore)}] ${display(f.sourceHost, 200)} -> ${display(f.targetHost, 200)}`,
    `     ran: ${display(f.remoteCommand, Math.min(200, limits.text), '(none on the line)')}`,
    `     user ${display(f.user, 120)}, parent ${display(f.parentImage, 200)}, ${scoreLabel(f.count)} events, first ${isoTime(f.firstSeen)}, last ${isoTime(f.lastSeen)}${lateSuffix(f)}`,
  ];
}

/** Renders the digest's email (subject and plain-text body). */
export function renderDigestEmail(d: Digest, ctx: NotificationContext, limits: RenderLimits): EmailMessage {
  const n = d.ranked.length;
  const sevLabel = severityLabel(d.severity);
  const rows = d.ranked.slice(0, Math.min(EMAIL_ROWS, limits.list));
  const body = [
    `WMIC remote process creation STORM: ${n} new host pairs (digest)`,
    `${ctx.hunt.title} (${ctx.hunt.id} v${ctx.hunt.version}), highest severity ${sevLabel}`,
    '',
    d.statement,
    totalsText(ctx),
    '',
    `TOP ${rows.length} OF ${n} HOST PAIRS BY RISK`,
    ...rows.flatMap((f, i) => pairLines(f, i, limits)),
    ...(n > rows.length ? [`  ... and ${n - rows.length} more pairs (all are in the JSON payload and in XSIAM).`] : []),
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
  const subject = subjectText(`[${sevLabel}] WMIC remote exec storm: ${n} new host pairs (digest)`);
  return { subject, body };
}
