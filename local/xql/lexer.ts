/**
 * Tokeniser for the XQL subset: identifiers, double-quoted strings, numbers, durations
 * (`24h`, `1mo`), punctuation, `//` line comments and `/* … *\/` block comments (XQL has both:
 * reference addendum round three). Positions are 1-based line and column.
 */
import { XqlParseError } from './errors.js';

export type TokenKind = 'ident' | 'string' | 'number' | 'duration' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Source text of the token (for strings: the content between the quotes). */
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

/** Longest first, so `<=` wins over `<`. */
const PUNCTUATION = ['->', '!=', '<=', '>=', '~=', '|', '(', ')', ',', '=', '<', '>', '.', '-'] as const;

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isIdentStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isIdentPart = (c: string): boolean => isIdentStart(c) || isDigit(c);

/** Splits `source` into tokens, ending with one `eof` token. Throws XqlParseError on a bad character or string. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = source.length;

  while (i < n) {
    const c = source.charAt(i);
    const column = i - lineStart + 1;
    if (c === '\n') {
      i += 1;
      line += 1;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i += 1;
      continue;
    }
    if (c === '/' && source.charAt(i + 1) === '/') {
      const end = source.indexOf('\n', i);
      i = end === -1 ? n : end;
      continue;
    }
    if (c === '/' && source.charAt(i + 1) === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end === -1) throw new XqlParseError(line, column, "a closing '*/' for the comment starting here", 'end of input');
      for (let j = i; j < end; j += 1) {
        if (source.charAt(j) === '\n') {
          line += 1;
          lineStart = j + 1;
        }
      }
      i = end + 2;
      continue;
    }
    if (c === '"') {
      if (source.startsWith('"""', i)) {
        // Triple-quoted strings interpret escapes and regex syntax in XQL; not supported here.
        throw new XqlParseError(line, column, 'a double-quoted string', 'a triple-quoted string (not supported)');
      }
      let j = i + 1;
      while (j < n && source.charAt(j) !== '"' && source.charAt(j) !== '\n') j += 1;
      if (j >= n || source.charAt(j) === '\n') {
        throw new XqlParseError(line, column, 'a closing \'"\' for the string starting here',
          j >= n ? 'end of input' : 'end of line');
      }
      // No escape processing: XQL takes "C:\Windows" literally.
      tokens.push({ kind: 'string', text: source.slice(i + 1, j), line, column });
      i = j + 1;
      continue;
    }
    if (isDigit(c)) {
      let j = i;
      while (j < n && isDigit(source.charAt(j))) j += 1;
      if (source.charAt(j) === '.' && isDigit(source.charAt(j + 1))) {
        j += 1;
        while (j < n && isDigit(source.charAt(j))) j += 1;
      }
      if (j < n && isIdentStart(source.charAt(j))) {
        while (j < n && isIdentPart(source.charAt(j))) j += 1;
        tokens.push({ kind: 'duration', text: source.slice(i, j), line, column });
      } else {
        tokens.push({ kind: 'number', text: source.slice(i, j), line, column });
      }
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(source.charAt(j))) j += 1;
      tokens.push({ kind: 'ident', text: source.slice(i, j), line, column });
      i = j;
      continue;
    }
    const punct = PUNCTUATION.find((p) => source.startsWith(p, i));
    if (punct === undefined) {
      throw new XqlParseError(line, column, 'a field, value, operator or stage', `'${c}'`);
    }
    tokens.push({ kind: 'punct', text: punct, line, column });
    i += punct.length;
  }
  tokens.push({ kind: 'eof', text: '', line, column: i - lineStart + 1 });
  return tokens;
}

/** How a token appears in "found X" of an error message. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'end of input';
    case 'string':
      return token.text.length > 40 ? `"${token.text.slice(0, 40)}..."` : `"${token.text}"`;
    default:
      return token.text.length > 40 ? `'${token.text.slice(0, 40)}...'` : `'${token.text}'`;
  }
}
