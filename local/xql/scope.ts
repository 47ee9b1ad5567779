/**
 * Which fields a stage may read. After `fields a, b as c` only a, c and the system fields exist,
 * as in XSIAM; reading any other field later is a parse error rather than a silent column of nulls.
 */
import type { Token } from './lexer.js';
import type { TokenStream } from './tokens.js';

const SYSTEM = new Set(['_time', '_vendor', '_product', 'insert_timestamp', '_insert_time']);

export class FieldScope {
  /** Undefined until the first `fields` stage: every field may be read. */
  private rule: { readonly mode: 'only' | 'except'; readonly names: ReadonlySet<string>; readonly where: string } | undefined;

  constructor(private readonly ts: TokenStream) {}

  /** Throws a parse error at `token` when `name` was dropped by an earlier `fields` stage. */
  check(name: string, token: Token): void {
    const rule = this.rule;
    if (rule === undefined || SYSTEM.has(name)) return;
    const present = rule.mode === 'only' ? rule.names.has(name) : !rule.names.has(name);
    if (!present) this.ts.fail(`a field kept by the fields stage at ${rule.where}`, token);
  }

  /** After `fields a, b as c`: only the output names remain. */
  keepOnly(names: readonly string[], stageToken: Token): void {
    this.rule = { mode: 'only', names: new Set(names), where: position(stageToken) };
  }

  /** After `fields -a, -b`: everything that was there except a and b. */
  drop(names: readonly string[], stageToken: Token): void {
    const where = position(stageToken);
    const rule = this.rule;
    if (rule === undefined) this.rule = { mode: 'except', names: new Set(names), where };
    else if (rule.mode === 'except') this.rule = { mode: 'except', names: new Set([...rule.names, ...names]), where };
    else this.rule = { mode: 'only', names: new Set([...rule.names].filter((n) => !names.includes(n))), where };
  }
}

function position(token: Token): string {
  return `line ${token.line}, column ${token.column}`;
}
