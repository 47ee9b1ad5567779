/**
 * The email text: everything an analyst needs to act without opening anything else. Every value
 * from the endpoint is made visible (no control, bidi or zero-width characters), one line, capped.
 */
import { SEVERITIES, type TrackedFinding } from '../finding.js';
import type { NotificationContext } from '../ports.js';
import { DEFAULT_LIMITS, SHORT_TEXT, type RenderLimits } from './limits.js';
import { asText, display, isoTime, makeVisible, subjectText } from './sanitize.js';
import { drillDownXql } from './xql.js';
import { emailHost, emailQuote, subjectQuote } from './quote.js';
import { emailConfirmationLines, FOLLOW_UP_MARK } from './confirmation.js';
import { lateNotice } from './late.js';

/** Subject and body of one email. */
export interface EmailMessage {
  readonly subject: string;
  readonly body: string;
}

/** One `label: value` line with aligned values. */
export function line(label: string, value: string): string {
  return `  ${`${label}:`.padEnd(31)}${value}`;
}

/** Signed points of a risk reason (`+5`, `-10`, `0`). */
function points(n: unknown): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '?';
  return n > 0 ? `+${n}` : String(n);
}

/** Risk reasons, one per line. */
export function reasonLines(f: TrackedFinding): string[] {
  const reasons = Array.isArray(f.reasons) ? f.reasons : [];
  if (reasons.length === 0) return ['  (no adjustments: base score of the hunt)'];
  return reasons.map((r) => `  ${points(r?.points).padStart(4)}  ${display(r?.code, 80)}: ${display(r?.detail, 500, '')}`);
}

/** The decoded -EncodedCommand script, one visible line per script line, at most `max` characters and 100 lines in all. */
export function decodedScriptLines(f: TrackedFinding, max: number): string[] {
  const parent = f.parentDecodedScript !== f.decodedScript ? scriptLines(f.parentDecodedScript, max, 'DECODED PARENT POWERSHELL (the launcher\'s -EncodedCommand, passwords redacted)') : [];
  return [...scriptLines(f.decodedScript, max, 'DECODED POWERSHELL (-EncodedCommand, passwords redacted)'), ...parent];
}

/** Lines of one decoded script the email shows; a longer script ends in the truncation notice. */
const MAX_SCRIPT_LINES = 100;

function scriptLines(script: string | null | undefined, max: number, title: string): string[] {
  if (script === null || script === undefined) return [];
  const text = asText(script);
  const all = text.slice(0, max).split('\n');
  const lines = all.slice(0, MAX_SCRIPT_LINES).map((l) => `  | ${display(l, max, '')}`);
  // lines past the cap are cut too: a payload pushed below 100 blank lines must not vanish unannounced
  if (text.length > max || all.length > MAX_SCRIPT_LINES) lines.push(`  | [...truncated, ${text.length} chars in total]`);
  return ['', title, ...lines];
}

/** ATT&CK rows of the hunt. */
export function attackLines(ctx: NotificationContext): string[] {
  return ctx.hunt.attack.map((a) => `  ${a.techniqueId} ${a.technique} - ${a.tacticId} ${a.tactic}`);
}

/** Severity in capitals, or UNKNOWN for a malformed record. */
export function severityLabel(severity: unknown): string {
  return typeof severity === 'string' && (SEVERITIES as readonly string[]).includes(severity) ? severity.toUpperCase() : 'UNKNOWN';
}

/** Risk score as text, or `?` for a malformed record. */
export function scoreLabel(score: unknown): string {
  return Number.isFinite(score) ? String(score) : '?';
}

/** The email subject of one finding (ASCII, ≤ 99 characters, no line breaks). */
export function emailSubject(f: TrackedFinding): string {
  return subjectText(
    `[${severityLabel(f.severity)}] WMIC remote exec ${subjectQuote(f.sourceHost, 24)} -> ${subjectQuote(f.targetHost, 40)} (risk ${scoreLabel(f.riskScore)})`,
  );
}

/**
 * Renders the email of one finding.
 * @param limits - caps on attacker-controlled text; @default DEFAULT_LIMITS
 */
export function renderEmail(f: TrackedFinding, ctx: NotificationContext, limits: RenderLimits = DEFAULT_LIMITS): EmailMessage {
  const hunt = ctx.hunt;
  const source = emailHost(f.sourceHost, SHORT_TEXT);
  const target = emailHost(f.targetHost, SHORT_TEXT);
  const count = Number.isFinite(f.count) ? f.count : '?';
  const body = [
    `WMIC remote process creation: ${source} -> ${target}`,
    `${hunt.title} (${hunt.id} v${hunt.version})`,
    `Severity ${severityLabel(f.severity)}, risk score ${scoreLabel(f.riskScore)} (hunt base ${hunt.riskScore})`,
    '',
    'WHAT HAPPENED',
    line('Source host (agent_hostname)', source),
    line('Target host (/node:)', target),
    line('Remote command (what ran)', emailQuote(f.remoteCommand, limits.text, '(none on the line)')),
    line('wmic command line', emailQuote(f.commandLine, limits.text)),
    line('User', emailQuote(f.user, SHORT_TEXT)),
    line('/user: on the line', emailQuote(f.lineUser, SHORT_TEXT, '(none)')),
    line('Parent process', emailQuote(f.parentImage, SHORT_TEXT)),
    line('Parent command line', emailQuote(f.parentCommandLine, limits.text)),
    line('Causality SHA-256', emailQuote(f.causalitySha256, 128)),
    line('Agent id', emailQuote(f.agentId, 128)),
    line('Time (UTC, last event)', isoTime(f.lastSeen)),
    line('Events', `${count} since first seen ${isoTime(f.firstSeen)}, last seen ${isoTime(f.lastSeen)}`),
    ...(lateNotice(f) === null ? [] : [line('Late', `${lateNotice(f)} (reached XSIAM late)`)]),
    line('Fingerprint', display(f.fingerprint, 128)),
    ...(f.suppressed
      ? [line('Allowlist', `suppressed by ${display(f.suppressed.entryId, 128)} (owner ${display(f.suppressed.owner, 128)}, expires ${display(f.suppressed.expires, 32)}): ${display(f.suppressed.reason, 500)}`)]
      : []),
    ...emailConfirmationLines(f, limits),
    ...decodedScriptLines(f, Math.min(limits.text, 2_000)),
    '',
    `WHY RISK SCORE ${scoreLabel(f.riskScore)}`,
    ...reasonLines(f),
    '',
    'ATT&CK',
    ...attackLines(ctx),
    '',
    'RESPONSE ACTIONS',
    ...hunt.responseActions.map((a, i) => `  ${i + 1}. ${makeVisible(a)}`),
    '',
    'KNOWN FALSE POSITIVES (check before escalating)',
    ...hunt.falsePositives.map((p) => `  - ${makeVisible(p)}`),
    '',
    'DRILL DOWN IN XSIAM (paste into the XQL query builder)',
    drillDownXql(f, ctx),
    '',
    `Run ${display(ctx.runId, 128)}, window ${isoTime(ctx.window.from)} to ${isoTime(ctx.window.to)}.`,
    `References: ${hunt.references.join(' ')}`,
    '',
  ].join('\n');
  return { subject: f.followUp === true ? subjectText(`${FOLLOW_UP_MARK} ${emailSubject(f)}`) : emailSubject(f), body };
}
