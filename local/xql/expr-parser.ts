/**
 * Filter expressions: `or` < `and` < `not` < comparison, parentheses, `=`, `!=`, `<`, `<=`,
 * `>`, `>=`, `contains`, `not contains`, `in (...)`, `not in (...)`, `~=`, `= null`, `!= null`,
 * `lowercase()`/`uppercase()`, `json_extract_scalar()` and its `->` shorthand, `ENUM.X` and bare
 * enum names.
 *
 * Enums (enums.ts): `ENUM.X` must name a known enum, and one the compared field can hold. A bare
 * identifier in capitals is an enum only when it is a known enum name (`event_type = NETWORK`, as
 * the filter page writes it); any other capitalised word is refused rather than silently taken
 * for an enum that matches nothing. Other identifiers are fields (xdr_data field names are lower case).
 */
import type { BoolExpr, CompareOp, InOption, ValueExpr } from './ast.js';
import { enumHint, enumsOf, isKnownEnum } from './enums.js';
import { fromRe2 } from './re2.js';
import type { Token } from './lexer.js';
import type { FieldScope } from './scope.js';
import type { TokenStream } from './tokens.js';

/** Parentheses, `not` and function calls nested deeper than this are refused (no stack overflow). */
export const MAX_NESTING = 64;

const COMPARE_OPS: readonly CompareOp[] = ['=', '!=', '<', '<=', '>', '>='];
const FUNCTIONS = ['lowercase', 'uppercase', 'json_extract_scalar', 'to_epoch'] as const;
/** to_epoch's time units and their length in ms (the default is SECONDS). */
const EPOCH_UNITS: Readonly<Record<string, number>> = { SECONDS: 1000, MILLIS: 1, MICROS: 0.001 };
const RESERVED = new Set(['and', 'or', 'not', 'in', 'contains', 'true', 'false', 'null', 'as', 'by']);
const ENUM_NAME = /^[A-Z][A-Z0-9_]*$/;
const OPERATOR_LIST = "an operator (=, !=, <, <=, >, >=, ~=, contains, not contains, in, not in)";
const VALUE_LIST = 'a value (string, number, true, false, null, enum, field or function)';

export class ExprParser {
  private depth = 0;

  constructor(
    private readonly ts: TokenStream,
    private readonly scope: FieldScope,
  ) {}

  /** Parses a whole condition (the body of `filter`). */
  parseCondition(): BoolExpr {
    return this.parseOr();
  }

  /** Runs `parse` one level deeper; `opener` is the token that opened the level (reported when too deep). */
  private nest<T>(opener: Token, parse: () => T): T {
    if (this.depth >= MAX_NESTING) {
      this.ts.fail(`at most ${MAX_NESTING} levels of nested parentheses, not or functions`, opener, 'deeper nesting');
    }
    this.depth += 1;
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  private parseOr(): BoolExpr {
    const terms = [this.parseAnd()];
    while (this.ts.acceptKeyword('or')) terms.push(this.parseAnd());
    return terms.length === 1 && terms[0] ? terms[0] : { kind: 'or', terms };
  }

  private parseAnd(): BoolExpr {
    const terms = [this.parseNot()];
    while (this.ts.acceptKeyword('and')) terms.push(this.parseNot());
    return terms.length === 1 && terms[0] ? terms[0] : { kind: 'and', terms };
  }

  private parseNot(): BoolExpr {
    if (this.ts.isKeyword('not')) {
      const not = this.ts.next();
      return this.nest(not, () => ({ kind: 'not', term: this.parseNot() }));
    }
    return this.parsePredicate();
  }

  private parsePredicate(): BoolExpr {
    if (this.ts.isPunct('(')) {
      const open = this.ts.next();
      const inner = this.nest(open, () => this.parseOr());
      this.ts.expectPunct(')', `')' to close the '(' at line ${open.line}, column ${open.column}`);
      return inner;
    }
    const left = this.parseValue();
    const opToken = this.ts.peek();
    if (opToken.kind === 'punct' && (COMPARE_OPS as readonly string[]).includes(opToken.text)) {
      this.ts.next();
      const op = opToken.text as CompareOp;
      if (this.ts.isKeyword('null')) {
        if (op !== '=' && op !== '!=') this.ts.fail(`a value other than null after '${op}'`);
        this.ts.next();
        return { kind: 'isNull', negated: op === '!=', operand: left };
      }
      const rightToken = this.ts.peek();
      const right = this.parseValue();
      this.checkFieldEnum(left, right, rightToken);
      return { kind: 'compare', op, left, right };
    }
    if (opToken.kind === 'punct' && opToken.text === '~=') {
      this.ts.next();
      return { kind: 'regex', left, ...this.parseRegex() };
    }
    const negated = this.ts.isKeyword('not') && (this.ts.isKeyword('contains', 1) || this.ts.isKeyword('in', 1));
    if (negated) this.ts.next();
    if (this.ts.acceptKeyword('contains')) {
      if (this.ts.isKeyword('null')) this.ts.fail('a string to look for');
      return { kind: 'contains', negated, left, right: this.parseValue() };
    }
    if (this.ts.acceptKeyword('in')) return { kind: 'in', negated, left, options: this.parseInList(left) };
    return this.ts.fail(OPERATOR_LIST);
  }

  /** An RE2 pattern (re2.ts), validated here so a bad pattern is a parse error, never a failure per row. */
  private parseRegex(): { pattern: string; flags: string } {
    const token = this.ts.peek();
    if (token.kind !== 'string') this.ts.fail('a regular expression in double quotes');
    const re = fromRe2(token.text);
    if ('problem' in re) this.ts.fail('a valid RE2 regular expression', token, `"${token.text}" (${re.problem})`);
    this.ts.next();
    return { pattern: re.source, flags: re.flags };
  }

  /**
   * `field = ENUM.X` where the field has a known enum list: X must be one of them
   * (`event_type = ENUM.PROCESS_START` compares two different enums and can never match).
   */
  private checkFieldEnum(left: ValueExpr, right: ValueExpr, token: Token): void {
    if (left.kind !== 'field' || right.kind !== 'enum') return;
    const allowed = enumsOf(left.name);
    if (allowed === undefined || allowed.includes(right.name)) return;
    this.ts.fail(`an enum value of ${left.name} (${enumHint(right.name, left.name)}, ...)`, token, `ENUM.${right.name}`);
  }

  private parseInList(left: ValueExpr): InOption[] {
    this.ts.expectPunct('(', "'(' to start the list of values");
    const options: InOption[] = [];
    do {
      const token = this.ts.peek();
      const literal = token.kind === 'string' || token.kind === 'number' || this.ts.isPunct('-') ||
        this.ts.isKeyword('true') || this.ts.isKeyword('false') || this.ts.isKeyword('enum') ||
        (token.kind === 'ident' && ENUM_NAME.test(token.text) && !this.ts.isKeyword('null') && !this.ts.isPunct('(', 1));
      if (!literal) this.ts.fail('a string, number, true, false or enum in the list');
      const value = this.parseValue();
      if (value.kind === 'field' || value.kind === 'call' || value.kind === 'json' || value.kind === 'epoch') {
        this.ts.fail('a string, number, true, false or enum in the list', token);
      }
      this.checkFieldEnum(left, value, token);
      options.push(value);
    } while (this.ts.acceptPunct(','));
    this.ts.expectPunct(')', "',' or ')' to close the list");
    return options;
  }

  private parseValue(): ValueExpr {
    const token = this.ts.peek();
    if (token.kind === 'string') {
      this.ts.next();
      return { kind: 'string', value: token.text };
    }
    if (token.kind === 'number' || (this.ts.isPunct('-') && this.ts.peek(1).kind === 'number')) {
      const negative = this.ts.acceptPunct('-');
      const num = this.ts.next();
      return { kind: 'number', value: (negative ? -1 : 1) * Number(num.text) };
    }
    if (token.kind !== 'ident') return this.ts.fail(VALUE_LIST);
    const lower = token.text.toLowerCase();
    if (lower === 'true' || lower === 'false') {
      this.ts.next();
      return { kind: 'boolean', value: lower === 'true' };
    }
    if (lower === 'enum' && this.ts.isPunct('.', 1)) {
      this.ts.next();
      this.ts.next();
      const name = this.ts.peek();
      if (name.kind !== 'ident') this.ts.fail("an enum name after 'ENUM.'");
      if (!isKnownEnum(name.text)) {
        this.ts.fail(`a known enum name (${enumHint(name.text)}, ...)`, token, `ENUM.${name.text}`);
      }
      this.ts.next();
      return { kind: 'enum', name: name.text };
    }
    if (this.ts.isPunct('(', 1)) return this.parseCall();
    if (RESERVED.has(lower)) return this.ts.fail(VALUE_LIST);
    if (ENUM_NAME.test(token.text) && !isKnownEnum(token.text)) {
      this.ts.fail(`a known enum name (${enumHint(token.text)}, ...) or a lower-case field name`, token);
    }
    this.ts.next();
    if (this.ts.isPunct('.')) this.ts.fail(`${OPERATOR_LIST} (nested field paths are not supported; use -> or json_extract_scalar)`);
    if (ENUM_NAME.test(token.text)) return { kind: 'enum', name: token.text };
    this.scope.check(token.text, token);
    const field: ValueExpr = { kind: 'field', name: token.text };
    return this.ts.isPunct('->') ? this.parseArrow(field) : field;
  }

  /**
   * `json_field -> key[.key...]`: the shorthand for json_extract_scalar(json_field, "$.key...").
   * https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM/Cortex-XSIAM-Documentation/json_extract_scalar
   */
  private parseArrow(source: ValueExpr): ValueExpr {
    this.ts.next();
    const path: string[] = [];
    do {
      const key = this.ts.peek();
      if (key.kind !== 'ident' && key.kind !== 'string') this.ts.fail("a JSON key after '->' (action_process_file_info -> original_name)");
      if (key.text === '' || key.text.startsWith('__')) this.ts.fail('a JSON key name', key);
      this.ts.next();
      path.push(key.text);
    } while (this.ts.acceptPunct('.'));
    return { kind: 'json', source, path };
  }

  /**
   * `json_extract_scalar(json_field, "$.key.key")`: a JSONPath of object keys from the root `$`.
   * https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM/Cortex-XSIAM-Documentation/json_extract_scalar
   */
  private parseJsonExtract(nameToken: Token, open: Token): ValueExpr {
    return this.nest(nameToken, () => {
      const source = this.parseValue();
      this.ts.expectPunct(',', "',' and a JSON path such as \"$.original_name\"");
      const pathToken = this.ts.peek();
      const match = pathToken.kind === 'string' ? /^\$((?:\.[A-Za-z0-9_]+)+)$/.exec(pathToken.text) : null;
      if (match === null || match[1] === undefined) this.ts.fail('a JSON path in double quotes: "$.key" or "$.key.key"');
      const path = match[1].slice(1).split('.');
      if (path.some((k) => k.startsWith('__'))) this.ts.fail('a JSON key name', pathToken);
      this.ts.next();
      this.ts.expectPunct(')', `')' to close json_extract_scalar( at line ${open.line}, column ${open.column}`);
      return { kind: 'json', source, path };
    });
  }

  /**
   * `to_epoch(<timestamp>[, "SECONDS"|"MILLIS"|"MICROS"])`: "converts a timestamp value … to the
   * Unix epoch timestamp format"; SECONDS when no unit is given.
   * https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-3.x-Documentation/to_epoch
   */
  private parseToEpoch(nameToken: Token, open: Token): ValueExpr {
    return this.nest(nameToken, () => {
      const arg = this.parseValue();
      let unitMs = 1000;
      if (this.ts.acceptPunct(',')) {
        const unit = this.ts.peek();
        const ms = unit.kind === 'string' ? EPOCH_UNITS[unit.text.toUpperCase()] : undefined;
        if (ms === undefined) this.ts.fail('a time unit in double quotes: "SECONDS", "MILLIS" or "MICROS"');
        unitMs = ms;
        this.ts.next();
      }
      this.ts.expectPunct(')', `')' to close to_epoch( at line ${open.line}, column ${open.column}`);
      return { kind: 'epoch', arg, unitMs };
    });
  }

  private parseCall(): ValueExpr {
    const nameToken = this.ts.peek();
    const fn = FUNCTIONS.find((f) => f === nameToken.text.toLowerCase());
    if (fn === undefined) this.ts.fail(`a supported function (${FUNCTIONS.join(', ')})`);
    this.ts.next();
    const open = this.ts.next();
    if (fn === 'json_extract_scalar') return this.parseJsonExtract(nameToken, open);
    if (fn === 'to_epoch') return this.parseToEpoch(nameToken, open);
    return this.nest(nameToken, () => {
      const arg = this.parseValue();
      this.ts.expectPunct(')', `')' to close ${fn}( at line ${open.line}, column ${open.column}`);
      return { kind: 'call', fn, arg };
    });
  }
}
