/**
 * The target-side confirmation in each medium: the email's ON THE TARGET section, one Slack
 * line, and the follow-up's "UPDATE" marks (the `default` JSON's object is in payload.ts).
 * Every value from the target's events is hostile text and is sanitised like the rest.
 */
import { CONFIRMATION_HEADLINES, CONFIRMATION_STATUSES, type Confirmation } from '../confirm/index.js';
import type { TrackedFinding } from '../finding.js';
import { SHORT_TEXT, type RenderLimits } from './limits.js';
import { emailHost, emailQuote } from './quote.js';
import { display, isoTime, slackEscape, slackInline } from './sanitize.js';

/** The prefix of a late-evidence follow-up's email subject and Chatbot title. */
export const FOLLOW_UP_MARK = 'UPDATE: confirmed on target -';

/** The confirmation of `f` when it is one the renderers can read (a malformed record renders without it). */
export function confirmationOf(f: TrackedFinding): Confirmation | null {
  const c = f.confirmation;
  return c !== undefined && c !== null && typeof c === 'object' && (CONFIRMATION_STATUSES as readonly unknown[]).includes(c.status) ? c : null;
}

/** `label: value` with the email's alignment. */
const row = (label: string, value: string): string => `  ${`${label}:`.padEnd(31)}${value}`;

/** The email's ON THE TARGET section (headline, evidence, what was checked); empty when no check ran. */
export function emailConfirmationLines(f: TrackedFinding, limits: RenderLimits): string[] {
  const c = confirmationOf(f);
  if (c === null) return [];
  const lines = ['', 'ON THE TARGET', `  ${CONFIRMATION_HEADLINES[c.status]}`];
  if (f.followUp === true) lines.push('  (update: the first notification went out before this evidence reached XSIAM)');
  if (c.eventId !== null) lines.push(row('Target event id', display(c.eventId, 128)));
  if (c.time !== null) lines.push(row('Started (UTC)', isoTime(c.time)));
  if (c.process !== null) lines.push(row('Process', emailQuote(c.process, SHORT_TEXT)));
  if (c.commandLine !== null) lines.push(row('Command line on the target', emailQuote(c.commandLine, limits.text)));
  if (c.user !== null) lines.push(row('User on the target', emailQuote(c.user, SHORT_TEXT)));
  if (c.agentHostname !== null || c.agentId !== null) {
    lines.push(row('Target agent', `${emailHost(c.agentHostname, SHORT_TEXT)} (agent id ${emailQuote(c.agentId, 128)})`));
  }
  lines.push(row('Checked', display(c.detail, 1_000)));
  return lines;
}

/** The Slack line, e.g. `*On the target:* Confirmed: ... (event `e1`, 2026-...)`; empty when no check ran. */
export function slackConfirmationLines(f: TrackedFinding): string[] {
  const c = confirmationOf(f);
  if (c === null) return [];
  const evidence = c.status === 'confirmed'
    ? ` (event ${slackInline(c.eventId, 128)} at ${isoTime(c.time)}, ${slackInline(c.process, 120)})`
    : '';
  return [`*On the target:* ${slackEscape(CONFIRMATION_HEADLINES[c.status])}${evidence}`];
}
