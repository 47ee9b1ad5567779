/**
 * `~=` patterns read as RE2, XSIAM's regular-expression dialect (reference addendum round three:
 * "regular expressions are RE2 (`(?i)` for case-insensitive; no lookbehind, no backreferences)"),
 * then run as a JavaScript RegExp. RE2's syntax page: https://github.com/google/re2/wiki/Syntax
 * - `(?flags)` at the start sets flags for the pattern: `i` (case-insensitive), `m` (multi-line),
 *   `s` (let `.` match `\n`). `U` (ungreedy) and flags set mid-pattern are refused here (JavaScript
 *   has no equivalent), so a query never silently means something else.
 * - `(?P<name>re)` is a named group, as `(?<name>re)`.
 * - Refused as RE2 refuses them ("NOT SUPPORTED"): lookahead `(?=re)` `(?!re)`, lookbehind
 *   `(?<=re)` `(?<!re)`, backreferences `\1` … `\9` and `\k<name>`.
 */

export interface Re2Pattern {
  /** The JavaScript source equivalent to the RE2 pattern. */
  readonly source: string;
  /** JavaScript flags the pattern's leading `(?flags)` asked for. */
  readonly flags: string;
}

const LEADING_FLAGS = /^\(\?([a-zA-Z]+)\)/;

/** The JavaScript form of an RE2 pattern, or the reason it is not RE2 (or not supported). */
export function fromRe2(pattern: string): Re2Pattern | { readonly problem: string } {
  let source = pattern;
  let flags = '';
  const leading = LEADING_FLAGS.exec(source);
  if (leading) {
    for (const flag of leading[1] ?? '') {
      if (flag === 'U') return { problem: 'the (?U) ungreedy flag is not supported by the local engine' };
      if (!'ims'.includes(flag)) return { problem: `(?${flag}) is not an RE2 flag (i, m, s, U)` };
      if (!flags.includes(flag)) flags += flag;
    }
    source = source.slice(leading[0].length);
  }
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const c = source.charAt(i);
    if (c === '\\') {
      const next = source.charAt(i + 1);
      if (!inClass && /[1-9]/.test(next)) return { problem: `backreference \\${next} (RE2 does not support backreferences)` };
      if (!inClass && next === 'k' && source.charAt(i + 2) === '<') return { problem: 'backreference \\k<…> (RE2 does not support backreferences)' };
      i += 1;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (source.charAt(i + 1) === ']') i += 1;
      continue;
    }
    if (c !== '(' || source.charAt(i + 1) !== '?') continue;
    const rest = source.slice(i + 2);
    if (rest.startsWith('<=') || rest.startsWith('<!')) return { problem: 'lookbehind (?<=…) / (?<!…) (RE2 does not support lookbehind)' };
    if (rest.startsWith('=') || rest.startsWith('!')) return { problem: 'lookahead (?=…) / (?!…) (RE2 does not support lookahead)' };
    if (rest.startsWith('P<')) {
      source = `${source.slice(0, i + 2)}${source.slice(i + 3)}`;
      continue;
    }
    if (/^[a-zA-Z-]+[:)]/.test(rest)) return { problem: 'flags inside the pattern (put (?i) at its start)' };
  }
  try {
    new RegExp(source, flags);
  } catch (cause) {
    return { problem: cause instanceof Error ? cause.message : String(cause) };
  }
  return { source, flags };
}
