/**
 * Compiles filter expressions into closures once per run, so no per-row parsing or RegExp
 * construction happens. A condition returns true, false or null (unknown); `filter` keeps a
 * row only when its condition is true, and `and`/`or`/`not` follow SQL's three-valued logic.
 */
import type { BoolExpr, InOption, ValueExpr } from './ast.js';
import { fieldGetter, type Getter, type Row } from './fields.js';
import { toEpochMs } from './timeframe.js';
import { containsText, equals, identity, lower, order, text, wildcardRegExp, type Fold } from './values.js';

export type Condition = (row: Row) => boolean | null;

/**
 * Compiles the conditions of one query run. Use a fresh instance per run: it memoises each
 * field's folded text for the row being evaluated (the hunt reads one command line in four
 * `contains`), which is only safe while nobody changes the rows.
 */
export class ConditionCompiler {
  private readonly fold: Fold;
  private readonly foldedFields = new Map<string, (row: Row) => string | null>();

  constructor(private readonly caseSensitive: boolean, private readonly ingestLagMs = 0) {
    this.fold = caseSensitive ? identity : lower;
  }

  condition(expr: BoolExpr): Condition {
    const fold = this.fold;
    switch (expr.kind) {
      case 'and': {
        const terms = expr.terms.map((t) => this.condition(t));
        return (row) => {
          let unknown = false;
          for (const term of terms) {
            const r = term(row);
            if (r === false) return false;
            if (r === null) unknown = true;
          }
          return unknown ? null : true;
        };
      }
      case 'or': {
        const terms = expr.terms.map((t) => this.condition(t));
        return (row) => {
          let unknown = false;
          for (const term of terms) {
            const r = term(row);
            if (r === true) return true;
            if (r === null) unknown = true;
          }
          return unknown ? null : false;
        };
      }
      case 'not': {
        const term = this.condition(expr.term);
        return (row) => {
          const r = term(row);
          return r === null ? null : !r;
        };
      }
      case 'isNull': {
        const get = this.value(expr.operand);
        return expr.negated ? (row) => get(row) !== null : (row) => get(row) === null;
      }
      case 'compare':
        return this.compare(expr);
      case 'contains': {
        const left = this.value(expr.left);
        const negate = expr.negated;
        const apply = (r: boolean | null): boolean | null => (r === null || !negate ? r : !r);
        if (isConstant(expr.right)) {
          const needle = fold(text(constantValue(expr.right)));
          const folded = this.foldedText(expr.left);
          return (row) => {
            const v = left(row);
            if (v === null) return null;
            return apply(Array.isArray(v) ? containsText(v, needle, fold) : (folded(row) ?? '').includes(needle));
          };
        }
        const right = this.value(expr.right);
        return (row) => {
          const r = right(row);
          return r === null ? null : apply(containsText(left(row), fold(text(r)), fold));
        };
      }
      case 'in':
        return this.inList(expr.left, expr.options, expr.negated);
      case 'regex': {
        const left = this.value(expr.left);
        const flags = [...new Set(`${this.caseSensitive ? '' : 'i'}${expr.flags ?? ''}`)].join('');
        const re = new RegExp(expr.pattern, flags);
        return (row) => {
          const v = left(row);
          return v === null ? null : re.test(text(v));
        };
      }
    }
  }

  private compare(expr: Extract<BoolExpr, { kind: 'compare' }>): Condition {
    const fold = this.fold;
    const left = this.value(expr.left);
    const right = this.value(expr.right);
    const { op } = expr;
    if ((op === '=' || op === '!=') && expr.right.kind === 'string' && expr.right.value.includes('*')) {
      const re = wildcardRegExp(expr.right.value, this.caseSensitive);
      return (row) => {
        const v = left(row);
        if (v === null) return null;
        const match = re.test(text(v));
        return op === '=' ? match : !match;
      };
    }
    if ((op === '=' || op === '!=') && (expr.right.kind === 'string' || expr.right.kind === 'enum')) {
      const literal = expr.right.kind === 'string' ? expr.right.value : expr.right.name;
      const foldedLiteral = fold(literal);
      const folded = this.foldedText(expr.left);
      const same = op === '=';
      return (row) => {
        const v = left(row);
        if (v === null) return null;
        if (v === literal) return same;
        if (typeof v !== 'string') {
          const r = equals(v, literal, fold);
          return r === null ? null : r === same;
        }
        return (folded(row) === foldedLiteral) === same;
      };
    }
    switch (op) {
      case '=':
        return (row) => equals(left(row), right(row), fold);
      case '!=':
        return (row) => {
          const r = equals(left(row), right(row), fold);
          return r === null ? null : !r;
        };
      default: {
        const test = op === '<' ? (c: number) => c < 0 : op === '<=' ? (c: number) => c <= 0
          : op === '>' ? (c: number) => c > 0 : (c: number) => c >= 0;
        return (row) => {
          const c = order(left(row), right(row), fold);
          return c === null ? null : test(c);
        };
      }
    }
  }

  private inList(leftExpr: ValueExpr, options: readonly InOption[], negated: boolean): Condition {
    const left = this.value(leftExpr);
    const fold = this.fold;
    // Options are kept as (folded) text, so `in (1, 2)` also matches a row holding "1".
    const exact = new Set<string>();
    const patterns: RegExp[] = [];
    for (const option of options) {
      const value = constantValue(option);
      if (option.kind === 'string' && option.value.includes('*')) patterns.push(wildcardRegExp(option.value, this.caseSensitive));
      else exact.add(typeof value === 'boolean' ? String(value) : fold(text(value)));
    }
    return (row) => {
      const v = left(row);
      if (v === null) return null;
      const t = text(v);
      const found = exact.has(typeof v === 'boolean' ? String(v) : fold(t)) ||
        (typeof v === 'string' && /^(true|false)$/i.test(v) && exact.has(v.toLowerCase())) ||
        patterns.some((re) => re.test(t));
      return negated ? !found : found;
    };
  }

  /** Folded text of a value (null stays null); for fields, computed once per row. */
  private foldedText(expr: ValueExpr): (row: Row) => string | null {
    const get = this.value(expr);
    const fold = this.fold;
    if (expr.kind !== 'field') {
      return (row) => {
        const v = get(row);
        return v === null ? null : fold(text(v));
      };
    }
    const known = this.foldedFields.get(expr.name);
    if (known !== undefined) return known;
    let lastRow: Row | undefined;
    let last: string | null = null;
    const memo = (row: Row): string | null => {
      if (row !== lastRow) {
        lastRow = row;
        const v = get(row);
        last = v === null ? null : fold(text(v));
      }
      return last;
    };
    this.foldedFields.set(expr.name, memo);
    return memo;
  }

  value(expr: ValueExpr): Getter {
    switch (expr.kind) {
      case 'field':
        return fieldGetter(expr.name, this.ingestLagMs);
      case 'call': {
        const arg = this.value(expr.arg);
        const apply = expr.fn === 'lowercase' ? (s: string) => s.toLowerCase() : (s: string) => s.toUpperCase();
        return (row) => {
          const v = arg(row);
          return v === null ? null : apply(text(v));
        };
      }
      case 'epoch': {
        const arg = this.value(expr.arg);
        const unitMs = expr.unitMs;
        return (row) => {
          const ms = toEpochMs(arg(row));
          return ms === null ? null : Math.floor(ms / unitMs);
        };
      }
      case 'json': {
        const source = this.value(expr.source);
        const path = expr.path;
        return (row) => jsonScalar(source(row), path);
      }
      default: {
        const constant = constantValue(expr);
        return () => constant;
      }
    }
  }
}

/**
 * json_extract_scalar: the value at `path` of a JSON object (a JSON string in the row, or an
 * object), as text; null when the text is not JSON, the key is missing, or the value is an
 * object or array (the function returns scalars only).
 * https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM/Cortex-XSIAM-Documentation/json_extract_scalar
 */
function jsonScalar(value: unknown, path: readonly string[]): string | null {
  let current: unknown = value;
  if (typeof current === 'string') {
    try {
      current = JSON.parse(current);
    } catch {
      return null;
    }
  }
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, key)) return null;
    current = (current as Record<string, unknown>)[key];
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  return null;
}

type Constant = Exclude<ValueExpr, { kind: 'field' | 'call' | 'json' | 'epoch' }>;

function isConstant(expr: ValueExpr): expr is Constant {
  return expr.kind !== 'field' && expr.kind !== 'call' && expr.kind !== 'json' && expr.kind !== 'epoch';
}

function constantValue(expr: Constant): string | number | boolean {
  return expr.kind === 'enum' ? expr.name : expr.value;
}
