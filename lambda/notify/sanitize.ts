/**
 * Text hygiene for hostile input: command lines, host and user names come from endpoints an
 * attacker may control, so every value is made visible, capped and escaped for its medium.
 */

import { slackBlockText, slackSpanText } from './backtick.js';
import { defang } from './defang.js';

/** Lone UTF-16 surrogates: they cannot be encoded as UTF-8 and would become U+FFFD somewhere else anyway. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Characters that are invisible or move text around: C0/C1 controls (CR/LF included, so no line or
 * header injection), DEL, soft hyphen, bidi marks/embeddings/overrides/isolates (U+061C, U+200E/F,
 * U+202A–U+202E, U+2066–U+2069), zero-width and other format characters, line/paragraph separators,
 * the BOM, interlinear annotations and Unicode tag characters (used to smuggle hidden ASCII).
 */
const HIDDEN =
  /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u2028-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/gu;

/** Password values typed on a command line (`/password:x`, `/password:"x y"`), masked again as defence in depth. */
const PASSWORD = /([/-]password\s*:\s*)("[^"]*"?|'[^']*'?|[^\s"']+)/gi;

/** Mask placed where a password was. */
export const REDACTED = '[REDACTED]';

/** Coerces any value to a string without throwing (records may be malformed). */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  // Stryker disable next-line ConditionalExpression: `value === undefined` as false is equivalent: undefined then reaches `JSON.stringify(undefined) ?? ''`, also '' (the whole condition's true/false are killed in test/notify/sanitize-survivors.test.ts)
  if (value === null || value === undefined) return '';
  // Stryker disable next-line ConditionalExpression: the boolean test as false is equivalent: JSON.stringify(true/false) is String(true/false); the other true/false mutants are killed in test/notify/sanitize-survivors.test.ts
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '[unprintable]';
  }
}

/** Any character outside printable ASCII (no `g` flag: `test` keeps no state). */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7E]/;

/** True when every character is printable ASCII (space to `~`): nothing for makeVisible or wellFormed to change. */
function printableAscii(text: string): boolean {
  // one compiled regex scan: cheaper than a charCodeAt loop over every value of every message
  return !NOT_PRINTABLE_ASCII.test(text);
}

/** Replaces lone surrogates with U+FFFD so the text is valid UTF-8. */
export function wellFormed(text: string): string {
  return printableAscii(text) ? text : text.replace(LONE_SURROGATE, '\uFFFD');
}

/** Masks `/password:` values. */
export function redactPasswords(text: string): string {
  return text.replace(PASSWORD, (_m, switchPart: string) => `${switchPart}${REDACTED}`);
}

/**
 * Makes hidden characters visible as `[U+XXXX]` and collapses every run of whitespace (tabs,
 * Unicode spaces) to one space, so 300 spaces cannot push text to where it reads as a section of
 * the message; the result is one line. The JSON keeps the original.
 */
export function makeVisible(text: string): string {
  // most text is plain ASCII: one scan instead of three regex passes
  // Stryker disable next-line ConditionalExpression,StringLiteral: `false` and `''` only skip the fast path: for printable ASCII with no double space the full path returns the same text (`true` is killed by test/notify/sanitize.test.ts)
  if (printableAscii(text) && !text.includes('  ')) return text;
  return wellFormed(text)
    .replace(HIDDEN, (c) => `[U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`)
    .replace(/\s{2,}|[^\S ]/g, ' ');
}

/** Result of capping a text. */
export interface Clipped {
  readonly text: string;
  readonly truncated: boolean;
  /** Length of the original text in UTF-16 code units. */
  readonly originalLength: number;
}

/** Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair or a `[U+XXXX]` token. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end).replace(/\[(U(\+[0-9A-F]{0,5})?)?$/, '');
}

/**
 * Visible, redacted, single-line text of at most `max` characters plus a truncation marker.
 * The raw input is cut first, so a 1 MB command line costs no more than `max` characters of work.
 */
export function displayText(value: unknown, max: number): Clipped {
  const raw = asText(value);
  // Cut generously before redacting so a password that straddles the cut is still recognised.
  const head = redactPasswords(raw.slice(0, max + 256));
  const visible = defang(makeVisible(head));
  const text = cut(visible, max);
  const truncated = text.length < visible.length || raw.length > max + 256;
  if (!truncated) return { text, truncated, originalLength: raw.length };
  return { text: `${text} ${truncationMarker(raw.length)}`, truncated, originalLength: raw.length };
}

/**
 * Visible, redacted, single-line text of at most `max` characters with no marker, and how many
 * characters were left out (so the caller can say so in its own words, e.g. in Slack).
 */
export function clipVisible(value: unknown, max: number): { readonly text: string; readonly hidden: number } {
  const raw = asText(value);
  const head = redactPasswords(raw.slice(0, max + 256));
  const visible = defang(makeVisible(head));
  const text = cut(visible, max);
  // Beyond the head only the raw length is known; visible escapes there are not counted.
  return { text, hidden: visible.length - text.length + (raw.length - Math.min(raw.length, max + 256)) };
}

/** The marker appended to a cut text. */
export function truncationMarker(originalLength: number): string {
  return `[...truncated, ${originalLength} chars in total]`;
}

/** `displayText(...).text`, with `fallback` for an empty value. */
export function display(value: unknown, max: number, fallback = '(unknown)'): string {
  const { text } = displayText(value, max);
  return text.trim() === '' ? fallback : text;
}

/**
 * Exact (redacted) text for machine consumers: no visibility escapes, since JSON.stringify
 * escapes controls, but capped and well-formed. Returns the cut text and whether it was cut.
 */
export function machineText(value: unknown, max: number): Clipped {
  const raw = asText(value);
  const redacted = wellFormed(redactPasswords(raw.slice(0, max + 256)));
  const text = cut(redacted, max);
  return { text, truncated: text.length < redacted.length || raw.length > max + 256, originalLength: raw.length };
}

/**
 * SNS Subject: printable ASCII only (no CR/LF, no controls, nothing that older endpoints reject),
 * whitespace collapsed, at most 99 characters.
 */
export function subjectText(text: string): string {
  const ascii = makeVisible(text)
    .replace(/[^\x20-\x7E]/g, '?')
    // Stryker disable next-line Regex: makeVisible already collapsed every whitespace run to one space, so `\s` and `\s+` replace the same single spaces
    .replace(/\s+/g, ' ')
    .trim();
  const safe = /^[A-Za-z0-9\p{P}]/u.test(ascii) ? ascii : `[notice] ${ascii}`;
  return safe.length <= 99 ? safe : `${safe.slice(0, 96).trimEnd()}...`;
}

/** Escapes the three characters Slack's mrkdwn requires (`&`, `<`, `>`): no `<!channel>`, `<@U…>` or `<url|label>` can form. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * An inline code span: `*`, `_`, `~` and mentions inside are not formatted by Slack; a backtick
 * (which would close the span) becomes the marked stand-in of backtick.ts.
 */
export function slackInline(value: unknown, max: number): string {
  return `\`${slackEscape(slackSpanText(display(value, max)))}\``;
}

/** A fenced code block on its own lines (the text inside is one line: newlines were made visible); backticks kept. */
export function slackBlock(value: unknown, max: number): string {
  return `\`\`\`\n${slackEscape(slackBlockText(display(value, max)))}\n\`\`\``;
}

/** Plain Slack text for trusted prose (hunt definition): escaped, and mention keywords defused. */
export function slackProse(text: string): string {
  return slackEscape(makeVisible(text)).replace(/@(channel|here|everyone)\b/gi, '(at)$1');
}

/** ISO-8601 UTC time, or a clear placeholder for a malformed timestamp. */
export function isoTime(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return 'unknown time';
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? 'unknown time' : date.toISOString();
}

/** Characters JSON.stringify leaves raw that can still reorder or hide text in a viewer (bidi, zero-width, C1, separators). */
const JSON_HIDDEN = /[\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB]/g;
/** The same class without `g`, for a stateless `test`. */
const JSON_HIDDEN_ANY = new RegExp(JSON_HIDDEN.source);

/**
 * JSON.stringify, then those characters as `\uXXXX` escapes: still valid JSON that parses back to
 * the exact value, but nothing on the wire can reorder or hide text. Lone surrogates are already
 * escaped by JSON.stringify (well-formed stringify).
 */
export function safeJson(value: unknown): string {
  const json = JSON.stringify(value);
  // most documents hold none: one scan, and no replace with a callback
  // Stryker disable next-line ConditionalExpression: `false` only skips the fast path: the replace below finds nothing to escape and returns the same JSON (every caller passes an object or a string, never undefined)
  if (!JSON_HIDDEN_ANY.test(json)) return json;
  return json.replace(JSON_HIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
