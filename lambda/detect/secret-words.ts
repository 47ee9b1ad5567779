/**
 * The word reader every credential scanner shares (secret-forms.ts, secret-archive.ts): where a word
 * starts and ends in a command line, quotes included, and what a found credential is.
 */

/** One credential found: the [start, end) span to hide (quotes included) and its bare value. */
export interface SecretSpan {
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

export const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
/**
 * Characters that end an unquoted word: whitespace and a double quote. cmd's `&` and `|` are kept
 * inside: hiding a little more than the password is better than leaving its tail.
 */
const ENDS_WORD = new Set([' ', '\t', '\n', '\r', '\v', '\f', '"']);

export interface Word {
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

export function skipBlanks(text: string, i: number): number {
  while (isBlank(text[i])) i++;
  return i;
}

/**
 * The word at `i` (no blanks skipped): a quoted run `"…"`, `\"…\"` or `'…'` (to its closing quote,
 * or the end), else up to whitespace or a double quote. Null when nothing is there.
 */
export function wordAt(text: string, i: number): Word | null {
  const n = text.length;
  if (i >= n) return null;
  if (text[i] === '\\' && text[i + 1] === '"') {
    const close = text.indexOf('\\"', i + 2);
    // Stryker disable next-line EqualityOperator: indexOf gives -1 or at least i + 2, so `<= 0` is the same test as `< 0`
    const end = close < 0 ? n : close + 2;
    // Stryker disable next-line EqualityOperator: indexOf gives -1 or at least i + 2, so `<= 0` is the same test as `< 0`
    return { start: i, end, value: text.slice(i + 2, close < 0 ? n : close) };
  }
  if (text[i] === '"' || text[i] === "'") {
    const close = text.indexOf(text[i]!, i + 1);
    const end = close < 0 ? n : close + 1;
    // Stryker disable next-line EqualityOperator: indexOf gives -1 or at least i + 1, so `<= 0` is the same test as `< 0`
    return { start: i, end, value: text.slice(i + 1, close < 0 ? n : close) };
  }
  let j = i;
  while (j < n && !ENDS_WORD.has(text[j]!)) j++;
  return j === i ? null : { start: i, end: j, value: text.slice(i, j) };
}

export const span = (w: Word): SecretSpan => ({ start: w.start, end: w.end, value: w.value });

/** A word that is another switch, a variable, a sub-expression or a prompt (`*`): not a typed secret. */
export function notLiteral(w: Word): boolean {
  const c = w.value[0];
  return w.value === '' || w.value === '*' || c === '-' || c === '/' || c === '$' || c === '(' || c === '@';
}

/** A separator word of cmd or PowerShell: the command's arguments end before it. */
export const SEPARATOR = new Set([';', '&', '&&', '|', '||']);
