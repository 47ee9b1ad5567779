/**
 * The daily shadow report: one message to the ops side listing the pairs shadow runs of the last
 * day would have sent, with severity and reasons, so a team can measure the false-positive rate
 * before anyone is paged. Reads the shadow log (today's and yesterday's UTC day items).
 */
import type { ShadowEntry, StateStore } from './ports.js';
import { utcDay } from './state/index.js';

const DAY_MS = 24 * 3_600_000;
/** Pairs listed in the message; the rest are counted (an email stays readable and far below SNS's 256 KB). */
const LISTED = 100;

/** Sends one plain-text message to the ops topic. */
export interface OpsPublisher {
  publish(subject: string, message: string): Promise<void>;
}

export interface ShadowReport {
  readonly status: 'shadow-report-sent';
  readonly wouldHaveSent: number;
  readonly bySeverity: Record<string, number>;
}

export async function sendShadowReport(state: StateStore, ops: OpsPublisher, huntId: string, now: number): Promise<ShadowReport> {
  const since = now - DAY_MS;
  const logs = await Promise.all([utcDay(since), utcDay(now)].map((day) => state.readShadow(huntId, day)));
  const seen = new Set<string>();
  const entries: ShadowEntry[] = [];
  for (const e of logs.flatMap((l) => l.entries)) {
    if (e.seenAt < since || e.seenAt > now || seen.has(e.fingerprint)) continue;
    seen.add(e.fingerprint);
    entries.push(e);
  }
  const dropped = logs.reduce((n, l) => n + l.dropped, 0);
  entries.sort((a, b) => b.riskScore - a.riskScore || a.seenAt - b.seenAt);
  const bySeverity: Record<string, number> = {};
  for (const e of entries) bySeverity[e.severity] = (bySeverity[e.severity] ?? 0) + 1;
  const subject = `WMIC hunt shadow report: ${entries.length} pair(s) would have been sent`.slice(0, 99);
  await ops.publish(subject, formatReport(entries, dropped, since, now, bySeverity));
  return { status: 'shadow-report-sent', wouldHaveSent: entries.length, bySeverity };
}

function formatReport(entries: readonly ShadowEntry[], dropped: number, since: number, now: number, bySeverity: Record<string, number>): string {
  const lines = [
    `Shadow mode: the WMIC remote-exec hunt ran without notifying anyone.`,
    `From ${new Date(since).toISOString()} to ${new Date(now).toISOString()} it would have sent ${entries.length} host pair(s)`
      + (Object.keys(bySeverity).length > 0 ? ` (${Object.entries(bySeverity).map(([s, n]) => `${n} ${s}`).join(', ')})` : '') + '.',
    '',
    'Review each pair: a pair you would not have wanted to be paged for is a false positive (tune the',
    'allowlist or hunt:minSeverity); switch to hunt:mode=live when the rate is acceptable (README, "Shadow mode").',
    '',
  ];
  for (const e of entries.slice(0, LISTED)) {
    lines.push(`- [${e.severity} ${e.riskScore}] ${printable(e.sourceHost)} -> ${printable(e.targetHost)}  ${new Date(e.seenAt).toISOString()}`);
    lines.push(`  reasons: ${e.reasons.length > 0 ? e.reasons.map(printable).join(', ') : '(base score only)'}`);
    if (e.remoteCommand !== null) lines.push(`  command: ${printable(e.remoteCommand)}`);
  }
  if (entries.length > LISTED) lines.push(`... and ${entries.length - LISTED} more pair(s)`);
  if (dropped > 0) lines.push(`${dropped} further pair(s) were counted but not logged (shadow log limit per day).`);
  if (entries.length === 0) lines.push('No pair would have been sent.');
  return `${lines.join('\n')}\n`;
}

/** Command lines are hostile: control, bidi and zero-width characters are shown as code points. */
function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) => `[U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}]`);
}
