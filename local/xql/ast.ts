/**
 * Parsed form of an XQL query (plain data; `runXql` compiles it into closures once).
 */
import type { XqlTimeframe } from './timeframe.js';

/** A value: a field, a literal or a string function applied to a value. */
export type ValueExpr =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  /** `ENUM.PROCESS` or bare `PROCESS`; rows hold the plain name. */
  | { readonly kind: 'enum'; readonly name: string }
  | { readonly kind: 'call'; readonly fn: 'lowercase' | 'uppercase'; readonly arg: ValueExpr }
  /** `to_epoch(timestamp, "MILLIS")`: the timestamp as an epoch number in that unit (SECONDS by default). */
  | { readonly kind: 'epoch'; readonly arg: ValueExpr; readonly unitMs: number }
  /** `json_extract_scalar(source, "$.a.b")` or `source -> a.b`: the scalar at that key path, as text. */
  | { readonly kind: 'json'; readonly source: ValueExpr; readonly path: readonly string[] };

/** A literal allowed in an `in (...)` list. */
export type InOption = Extract<ValueExpr, { kind: 'string' | 'number' | 'boolean' | 'enum' }>;

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A condition; evaluates to true, false or unknown (null operand), as in SQL. */
export type BoolExpr =
  | { readonly kind: 'and'; readonly terms: readonly BoolExpr[] }
  | { readonly kind: 'or'; readonly terms: readonly BoolExpr[] }
  | { readonly kind: 'not'; readonly term: BoolExpr }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: ValueExpr; readonly right: ValueExpr }
  | { readonly kind: 'isNull'; readonly negated: boolean; readonly operand: ValueExpr }
  | { readonly kind: 'contains'; readonly negated: boolean; readonly left: ValueExpr; readonly right: ValueExpr }
  | { readonly kind: 'in'; readonly negated: boolean; readonly left: ValueExpr; readonly options: readonly InOption[] }
  /** `~=`: `pattern` is the JavaScript form of the RE2 text, `flags` what its leading `(?flags)` set (re2.ts). */
  | { readonly kind: 'regex'; readonly left: ValueExpr; readonly pattern: string; readonly flags?: string };

export type SortDirection = 'asc' | 'desc';

export type Stage =
  | { readonly kind: 'filter'; readonly condition: BoolExpr }
  | { readonly kind: 'fields'; readonly items: readonly { readonly name: string; readonly alias: string }[] }
  | { readonly kind: 'fieldsExclude'; readonly names: readonly string[] }
  | { readonly kind: 'sort'; readonly keys: readonly { readonly field: string; readonly direction: SortDirection }[] }
  | { readonly kind: 'limit'; readonly count: number }
  | {
      readonly kind: 'dedup';
      readonly fields: readonly string[];
      readonly by: { readonly direction: SortDirection; readonly field: string } | undefined;
    };

/** A parsed query, as returned by `parseXql`. */
export interface XqlQuery {
  /** The query text as given. */
  readonly text: string;
  /** `config case_sensitive`; XQL's default is false. */
  readonly caseSensitive: boolean;
  /** `config timeframe`, if the query has one. */
  readonly timeframe: XqlTimeframe | undefined;
  /** `dataset = <name>`; `xdr_data` when the query names none. */
  readonly dataset: string;
  /** The data stages, in query order (config and dataset are folded into the fields above). */
  readonly stages: readonly Stage[];
}
