/**
 * Attacker text made visibly the attacker's, one implementation for email, the SNS subject, the
 * Chatbot notification and the webhook forwarder: every value from a host sits inside a quoted or
 * code span, emoji shortcodes in Slack titles cannot render, and mixed-script (look-alike) host
 * names are marked. Underneath: sanitize.ts (visible, one line, whitespace collapsed), defang.ts
 * (URLs) and backtick.ts (Slack code spans).
 */
import { slackSpanText } from './backtick.js';
import { defang } from './defang.js';
import { asText, clipVisible, makeVisible, slackEscape, slackInline, truncationMarker } from './sanitize.js';

/** The scripts of the letters in `text` (Latin, Cyrillic, Greek, ...), in order of appearance. */
function scriptsOf(text: string): string[] {
  const found = new Set<string>();
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    if (/\p{Script=Latin}/u.test(ch)) found.add('Latin');
    else if (/\p{Script=Cyrillic}/u.test(ch)) found.add('Cyrillic');
    else if (/\p{Script=Greek}/u.test(ch)) found.add('Greek');
    else if (/\p{Script=Armenian}/u.test(ch)) found.add('Armenian');
    else if (/\p{Script=Cherokee}/u.test(ch)) found.add('Cherokee');
    else found.add('other');
  }
  return [...found];
}

/**
 * Why a host name may be a look-alike (`mixes Latin and Cyrillic letters`), or null. A name whose
 * letters come from two scripts reads as one host and is another (`dс01` with a Cyrillic `с`).
 */
export function lookalikeNote(host: unknown): string | null {
  const text = asText(host);
  if (/^[\x20-\x7E]*$/.test(text)) return null;
  const scripts = scriptsOf(text);
  return scripts.length > 1 ? `look-alike: mixes ${scripts.join(' and ')} letters` : null;
}

/**
 * A hostile value in double quotes for the email, `"` inside shown as `\"` so the span cannot be
 * closed early; `fallback` (product text, unquoted) when empty. A cut value keeps its closing
 * quote and is followed by the truncation marker.
 */
export function emailQuote(value: unknown, max: number, fallback = '(unknown)'): string {
  const { text, hidden } = clipVisible(value, max);
  const length = asText(value).length;
  if (text.trim() === '' && hidden === 0) return fallback;
  const quoted = `"${text.replace(/"/g, '\\"')}"`;
  return hidden > 0 ? `${quoted} ${truncationMarker(length)}` : quoted;
}

/** A host name for the email: quoted, and marked when it is a look-alike. */
export function emailHost(value: unknown, max: number, fallback = '(unknown)'): string {
  const note = lookalikeNote(value);
  return `${emailQuote(value, max, fallback)}${note === null ? '' : ` (${note.toUpperCase()})`}`;
}

/**
 * A hostile value for the ASCII SNS subject: in double quotes, anything not printable ASCII as
 * `?`, `"` as `'`, at most `max` characters inside the quotes (`...` marks a cut), so the closing
 * quote is never lost to the subject's own cap.
 */
export function subjectQuote(value: unknown, max: number): string {
  const raw = asText(value).slice(0, max * 4 + 64);
  const ascii = defang(makeVisible(raw)).replace(/[^\x20-\x7E]/g, '?').replace(/"/g, "'").replace(/\s+/g, ' ').trim();
  const cut = ascii.length > max || raw.length < asText(value).length;
  const text = ascii.length > max ? `${ascii.slice(0, Math.max(1, max - 3)).trimEnd()}...` : cut ? `${ascii}...` : ascii;
  return `"${text === '' ? '(unknown)' : text}"`;
}

/** What replaces the colons of an emoji shortcode in a Slack title (RATIO, U+2236: reads as a colon, renders no emoji). */
const SHORTCODE = /:([a-z0-9_+'-]+):/gi;

/** `:white_check_mark:` → `∶white_check_mark∶`: Slack renders shortcodes in a header, never these. */
export function neutraliseShortcodes(text: string): string {
  return text.replace(SHORTCODE, '\u2236$1\u2236');
}

/** A host for Slack: a code span, marked when it is a look-alike. */
export function slackHost(value: unknown, max: number): string {
  const note = lookalikeNote(value);
  return `${slackInline(value, max)}${note === null ? '' : ` :warning: _${note}_`}`;
}

/**
 * A host in a Slack list (who reached what): a code span of at most `max` characters, a cut shown
 * by `…` after it, so a hundred hostile names still fit one section.
 */
export function slackHostBrief(value: unknown, max: number): string {
  const { text, hidden } = clipVisible(value, max);
  const note = lookalikeNote(value);
  const span = `\`${slackEscape(slackSpanText(text.trim() === '' && hidden === 0 ? '(unknown)' : text))}\`${hidden > 0 ? '…' : ''}`;
  return `${span}${note === null ? '' : ' :warning: _look-alike_'}`;
}

/** A host in a Slack title: a code span whose emoji shortcodes cannot render. */
export function slackTitleHost(value: unknown, max: number): string {
  const note = lookalikeNote(value);
  return `${neutraliseShortcodes(slackInline(value, max))}${note === null ? '' : ' (look-alike)'}`;
}
