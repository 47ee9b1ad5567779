/**
 * The one credential redactor: every output field passes through here before it leaves the
 * detector (the forms it knows are in secret-forms.ts, the registry, and the README's "Credential forms" table).
 */
import { SECRET_FORMS } from './secret-forms.js';
import { mysqlArguments } from './secret-mysql.js';
import type { SecretSpan } from './secret-words.js';

export const REDACTED = '***';

/** Known values shorter than this are not hunted elsewhere in a text (`/p:no` must not hide every "no"). */
const MIN_ECHOED = 4;
/** At most this many distinct known values are hunted in one text: each costs one pass over it. */
const MAX_ECHOED = 32;

/**
 * Every credential typed in `text`, by form (spans may overlap; redactSecrets merges them). The MySQL
 * clients' arguments are read once here: the MySQL form's passwords, and the ports the switch form leaves.
 */
export function findSecrets(text: string): SecretSpan[] {
  const mysql = mysqlArguments(text);
  const out: SecretSpan[] = [];
  // a loop, not flatMap: most texts hold no credential, and flatMap's per-call setup was half the cost
  for (const scan of SECRET_FORMS) for (const span of scan(text, mysql)) out.push(span);
  return out;
}

/** How a caller finds the credentials in a text: findSecrets, or one that remembers (rememberingFinder). */
export type SecretFinder = (text: string) => readonly SecretSpan[];

/**
 * findSecrets that scans each distinct text once: one analysis shows the same line in several
 * fields (the parent's line is read for its secrets and then shown; a line with nothing to hide is
 * shown as it came). Keep one per analysis: it holds every text it saw.
 */
export function rememberingFinder(): SecretFinder {
  const seen = new Map<string, readonly SecretSpan[]>();
  return (text) => {
    let found = seen.get(text);
    if (found === undefined) {
      found = findSecrets(text);
      seen.set(text, found);
    }
    return found;
  };
}

/** The bare values of the credentials typed in `text`, longest first (for hunting them in other fields). */
export function secretsIn(text: string | null | undefined, find: SecretFinder = findSecrets): string[] {
  if (text === null || text === undefined) return [];
  return echoable(find(text).map((s) => s.value), MIN_ECHOED);
}

function echoable(values: readonly string[], min: number): string[] {
  // most texts hold no credential: no Set, filter and sort for nothing
  // Stryker disable next-line ConditionalExpression: a shortcut: an empty list comes out of the chain below as an empty list
  if (values.length === 0) return [];
  return [...new Set(values)]
    .filter((s) => s.length >= min && s !== REDACTED)
    .sort((a, b) => b.length - a.length)
    .slice(0, MAX_ECHOED);
}

/** Every occurrence of each value in `text` as a span. */
function occurrences(text: string, values: readonly string[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of values) {
    for (let i = text.indexOf(v); i >= 0; i = text.indexOf(v, i + v.length)) out.push([i, i + v.length]);
  }
  return out;
}

/**
 * Replaces every credential typed in `text` (each form of secret-forms.ts) and every occurrence of
 * a known or found secret value (a password typed once can reappear in a payload) with `***`.
 * Overlapping spans are merged first, so when two secrets overlap both are removed whole.
 */
// Stryker disable next-line ArrayDeclaration: an empty default; another default shows only on a text holding that very value
export function redactSecrets(text: string, secrets: readonly string[] = [], find: SecretFinder = findSecrets): string {
  const found = find(text);
  // nothing typed here and nothing known to hunt for: the text as it came (most texts)
  // Stryker disable next-line ConditionalExpression: a shortcut: with nothing found and nothing known there are no spans, and the text comes back as it came
  if (found.length === 0 && secrets.length === 0) return text;
  const values = echoable([...echoable(secrets, 2), ...echoable(found.map((s) => s.value), MIN_ECHOED)], 2);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,MethodExpression: every form's span holds a character at least (a guard)
  const own: [number, number][] = found.filter((s) => s.end > s.start).map((s) => [s.start, s.end]);
  // concat, not push(...): a long line can echo a value hundreds of thousands of times (a spread that large overflows the stack)
  const spans = own.concat(occurrences(text, values));
  // Stryker disable next-line ConditionalExpression: a shortcut: redactSpans returns the text unchanged for no spans
  return spans.length === 0 ? text : redactSpans(text, spans);
}

/** Replaces the given [start, end) spans of `text` (sorted or not, overlapping or not) with `***`. */
export function redactSpans(text: string, spans: readonly (readonly [number, number])[]): string {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: string[] = [];
  let last = 0;
  let open: [number, number] | null = null;
  for (const [start, end] of sorted) {
    if (open !== null && start < open[1]) {
      open[1] = Math.max(open[1], end);
      continue;
    }
    if (open !== null) {
      out.push(text.slice(last, open[0]), REDACTED);
      last = open[1];
    }
    open = [start, end];
  }
  if (open !== null) {
    out.push(text.slice(last, open[0]), REDACTED);
    last = open[1];
  }
  out.push(text.slice(last));
  return out.join('');
}
