/** wmic's tokenizer: whitespace separates tokens, quotes group, `\"` inside double quotes is literal. */
import { isSpace } from './text.js';

export interface Token {
  /** The token as written, quotes included. */
  readonly text: string;
  /** Offsets in the line: `line.slice(start, end) === text`. */
  readonly start: number;
  readonly end: number;
  /** The token ran to the end of the line inside a quote that never closed (a cut line). */
  readonly open?: boolean;
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/**
 * Splits `line` from `from` into wmic tokens.
 * Double and single quotes group whitespace into a token; an opening quote right after a bare
 * word (`create"calc.exe"`) starts a new token, the way wmic is believed to read it.
 * Linear in the line length.
 */
export function tokenize(line: string, from = 0): Token[] {
  const tokens: Token[] = [];
  const n = line.length;
  let i = from;
  while (i < n) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) break;
    const start = i;
    let quote: string | null = null;
    // true while the token so far is plain ASCII letters: only such a keyword splits at a quote
    let bare = true;
    while (i < n) {
      const ch = line[i]!;
      if (quote === null) {
        if (isSpace(ch)) break;
        if (ch === '"' || ch === "'") {
          if (bare && i > start) break;
          quote = ch;
        }
        bare = bare && isLetter(ch.charCodeAt(0));
      } else if (ch === '\\' && quote === '"' && line[i + 1] === '"') {
        i += 2;
        continue;
      } else if (ch === quote) {
        quote = null;
      }
      i++;
    }
    tokens.push(quote === null ? { text: line.slice(start, i), start, end: i } : { text: line.slice(start, i), start, end: i, open: true });
  }
  return tokens;
}

/**
 * Where the program name (argv[0]) ends, by CreateProcess rules: a leading quoted part runs to
 * its closing quote, then to the next whitespace. Returns the name and the offset after it.
 */
export function splitProgram(line: string): { program: string; rest: number } {
  let i = 0;
  while (i < line.length && isSpace(line[i])) i++;
  const start = i;
  let quoted = false;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && isSpace(ch)) break;
    i++;
  }
  return { program: line.slice(start, i), rest: i };
}

/** Removes every double and single quote. */
export function unquote(text: string): string {
  return text.replaceAll('"', '').replaceAll("'", '');
}
