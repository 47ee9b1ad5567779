/**
 * Cursor over the token list with the small vocabulary both parsers share
 * (keywords are case-insensitive identifiers).
 */
import { XqlParseError } from './errors.js';
import { describeToken, type Token } from './lexer.js';

export class TokenStream {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(ahead = 0): Token {
    const last = this.tokens[this.tokens.length - 1];
    const token = this.tokens[this.index + ahead] ?? last;
    if (token === undefined) throw new Error('token list is empty: tokenize() always ends with eof');
    return token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index += 1;
    return token;
  }

  isKeyword(keyword: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'ident' && token.text.toLowerCase() === keyword;
  }

  isPunct(punct: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'punct' && token.text === punct;
  }

  acceptKeyword(keyword: string): boolean {
    if (!this.isKeyword(keyword)) return false;
    this.next();
    return true;
  }

  acceptPunct(punct: string): boolean {
    if (!this.isPunct(punct)) return false;
    this.next();
    return true;
  }

  expectKeyword(keyword: string, expected = `'${keyword}'`): Token {
    if (!this.isKeyword(keyword)) this.fail(expected);
    return this.next();
  }

  expectPunct(punct: string, expected = `'${punct}'`): Token {
    if (!this.isPunct(punct)) this.fail(expected);
    return this.next();
  }

  /** Throws a parse error at `token` (default: the next token). */
  fail(expected: string, token: Token = this.peek(), found: string = describeToken(token)): never {
    throw new XqlParseError(token.line, token.column, expected, found);
  }
}
