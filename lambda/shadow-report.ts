/**
 * The daily shadow report: one message to the ops side listing, for every hunt in shadow, what its
 * runs of the last day would have sent, with severity and reasons, so a team can measure the
 * false-positive rate before anyone is paged. Reads each hunt's shadow log (today's and
 * yesterday's UTC day items).
 */
import type { ShadowEntry, StateStore } from './ports.js';
import { utcDay } from './state/index.js';

const DAY_MS = 24 * 3_600_000;
/** Findings listed per hunt; the rest are counted (an email stays readable and far below SNS's 256 KB). */
const LISTED = 100;

/** Sends one plain-text message to the ops topic. */
export interface OpsPublisher {
  publish(subject: string, message: string): Promise<void>;
}

/** One hunt's part of the report. */
export interface HuntShadowReport {
  readonly huntId: string;
  readonly wouldHaveSent: number;
  readonly bySeverity: Record<string, number>;
}

export interface ShadowReport {
  readonly status: 'shadow-report-sent';
  /** Every hunt's together. */
  readonly wouldHaveSent: number;
  readonly bySeverity: Record<string, number>;
  /** Each hunt in shadow, in the order given. */
  readonly hunts: readonly HuntShadowReport[];
}

interface HuntEntries {
  readonly huntId: string;
  readonly entries: ShadowEntry[];
  readonly dropped: number;
  readonly bySeverity: Record<string, number>;
}

/** The last day's shadow log of one hunt: each fingerprint once, most risky first. */
async function huntEntries(state: StateStore, huntId: string, since: number, now: number): Promise<HuntEntries> {
  const logs = await Promise.all([utcDay(since), utcDay(now)].map((day) => state.readShadow(huntId, day)));
  const seen = new Set<string>();
  const entries: ShadowEntry[] = [];
  for (const e of logs.flatMap((l) => l.entries)) {
    if (e.seenAt < since || e.seenAt > now || seen.has(e.fingerprint)) continue;
    seen.add(e.fingerprint);
    entries.push(e);
  }
  entries.sort((a, b) => b.riskScore - a.riskScore || a.seenAt - b.seenAt);
  return { huntId, entries, dropped: logs.reduce((n, l) => n + l.dropped, 0), bySeverity: countBySeverity(entries) };
}

function countBySeverity(entries: readonly { readonly severity: string }[]): Record<string, number> {
  const bySeverity: Record<string, number> = {};
  for (const e of entries) bySeverity[e.severity] = (bySeverity[e.severity] ?? 0) + 1;
  return bySeverity;
}

/** One report for every hunt in shadow (`huntIds`), each with what it would have sent in the last day. */
export async function sendShadowReport(state: StateStore, ops: OpsPublisher, huntIds: readonly string[], now: number): Promise<ShadowReport> {
  const since = now - DAY_MS;
  const hunts = await Promise.all(huntIds.map((id) => huntEntries(state, id, since, now)));
  const all = hunts.flatMap((h) => h.entries);
  const bySeverity = countBySeverity(all);
  const subject = `Hunt shadow report: ${all.length} notification(s) would have been sent by ${hunts.length} hunt(s) in shadow`.slice(0, 99);
  await ops.publish(subject, formatReport(hunts, since, now));
  return {
    status: 'shadow-report-sent', wouldHaveSent: all.length, bySeverity,
    hunts: hunts.map((h) => ({ huntId: h.huntId, wouldHaveSent: h.entries.length, bySeverity: h.bySeverity })),
  };
}

const severities = (bySeverity: Record<string, number>): string =>
  Object.keys(bySeverity).length > 0 ? ` (${Object.entries(bySeverity).map(([s, n]) => `${n} ${s}`).join(', ')})` : '';

function formatReport(hunts: readonly HuntEntries[], since: number, now: number): string {
  const lines = [
    `Shadow mode: ${hunts.length} hunt(s) ran without notifying anyone.`,
    `From ${new Date(since).toISOString()} to ${new Date(now).toISOString()}.`,
    '',
    'Review each finding: one you would not have wanted to be paged for is a false positive (tune the',
    'allowlist or the hunt\'s minSeverity); switch the hunt to mode live when the rate is acceptable (README, "Shadow mode").',
  ];
  if (hunts.length === 0) lines.push('', 'No hunt is in shadow.');
  for (const h of hunts) {
    lines.push('', `== ${h.huntId}: would have sent ${h.entries.length} finding(s)${severities(h.bySeverity)}`);
    for (const e of h.entries.slice(0, LISTED)) {
      // A pair hunt's finding names its source and target; another hunt's names one host.
      const where = e.sourceHost.toLowerCase() === e.targetHost.toLowerCase() ? printable(e.sourceHost) : `${printable(e.sourceHost)} -> ${printable(e.targetHost)}`;
      lines.push(`- [${e.severity} ${e.riskScore}] ${where}  ${new Date(e.seenAt).toISOString()}`);
      lines.push(`  reasons: ${e.reasons.length > 0 ? e.reasons.map(printable).join(', ') : '(base score only)'}`);
      if (e.remoteCommand !== null) lines.push(`  command: ${printable(e.remoteCommand)}`);
    }
    if (h.entries.length > LISTED) lines.push(`... and ${h.entries.length - LISTED} more`);
    if (h.dropped > 0) lines.push(`${h.dropped} further finding(s) were counted but not logged (shadow log limit per day).`);
    if (h.entries.length === 0) lines.push('Nothing would have been sent.');
  }
  return `${lines.join('\n')}\n`;
}

/** Command lines are hostile: control, bidi and zero-width characters are shown as code points. */
function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) => `[U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}]`);
}
