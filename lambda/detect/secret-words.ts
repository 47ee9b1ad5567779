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
  // Stryker disable next-line ConditionalExpression,EqualityOperator: `false` and `>` are equivalent (`true` and `<` are killed by the detect tests): at or past the end text[i] is undefined, so neither quote form matches and the unquoted scan below finds an empty word, null too
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
    // Stryker disable next-line EqualityOperator: indexOf gives -1 or at least i + 1, so `<= 0` is the same test as `< 0`
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

/**
 * The words of the one argument at `i`, as a program's C runtime splits its command line: words
 * glued to each other are one argument (`-pSum"mer 20"25` is `-pSummer 2025`; learn.microsoft.com,
 * "Parsing C command-line arguments"). In a quoted line `-p\"PASS WORD\"` is `-p` and `\"PASS WORD\"`.
 */
export function argumentAt(text: string, i: number): Word[] {
  const words: Word[] = [];
  let at = i;
  for (let w = wordAt(text, at); w !== null; w = wordAt(text, at)) {
    const bare = w.end - w.start === w.value.length;
    // a bare word ending in `\` before a quote: the `\"` opens the next (escaped) word
    const word = bare && text[w.end] === '"' && w.value.endsWith('\\') ? { start: w.start, end: w.end - 1, value: w.value.slice(0, -1) } : w;
    words.push(word); // never empty: a lone `\` before a quote is read as `\"…` by wordAt
    at = word.end;
    // `x.7z;"y"`: an unquoted `;` ends the statement, glued or not
    if (bare && word.value.endsWith(';')) break;
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: a shortcut: at the end, a blank or a line break the next wordAt finds no word and the loop ends anyway
    if (at >= text.length || (text[at] !== '"' && ENDS_WORD.has(text[at]!))) break;
  }
  return words;
}

/**
 * Calls `visit` with each argument after a program name (from `at`) to the statement end: a
 * separator word, or an unquoted `;` (`7z a x.7z C:\fin; Remove-Item -Path C:\fin`). Returns where it stopped.
 */
export function eachArgument(text: string, at: number, visit: (arg: readonly Word[]) => void): number {
  let i = at;
  for (let arg = argumentAt(text, skipBlanks(text, i)); arg.length > 0 && !SEPARATOR.has(arg[0]!.value); arg = argumentAt(text, skipBlanks(text, i))) {
    visit(arg);
    i = arg[arg.length - 1]!.end;
    if (text[i - 1] === ';') break;
  }
  return i;
}

/**
 * The password joined to the switch `prefix` matches at an argument's start: `-pPASS`, `"-pPASS WORD"`
 * (the quotes hidden too), `-p"PASS WORD"`, `-pSum"mer 20"25`. Null when none is typed (`-p` alone
 * asks for it) or the value is `none` (rar's `-p-`).
 */
export function joinedPassword(arg: readonly Word[], prefix: RegExp, none?: string): SecretSpan | null {
  const first = arg[0]!;
  const p = prefix.exec(first.value)?.[0].length ?? 0;
  if (p === 0) return null;
  const value = first.value.slice(p) + arg.slice(1).map((w) => w.value).join('');
  if (value === '' || value === none) return null;
  const quoted = first.end - first.start !== first.value.length;
  return { start: quoted ? first.start : first.start + p, end: arg[arg.length - 1]!.end, value };
}
