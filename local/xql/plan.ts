/**
 * Turns a parsed query's stages into one function over the rows, compiled once per query.
 * Leading `filter` stages are split out so `runXql` can drop rows while streaming the input.
 */
import type { Stage, XqlQuery } from './ast.js';
import { ConditionCompiler, type Condition } from './compile-expr.js';
import { fieldGetter, type Getter, type Row } from './fields.js';
import { identity, lower, sortCompare, text, type Fold } from './values.js';

/** XQL's row cap when the query has no `limit` stage. */
export const DEFAULT_LIMIT = 1_000_000;

/**
 * System fields XSIAM returns even when `fields` leaves them out ("cannot be excluded and are
 * always displayed", including `_insert_time`):
 * https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-3.x-Documentation/fields
 */
export const SYSTEM_FIELDS = ['_time', '_vendor', '_product', 'insert_timestamp', '_insert_time'] as const;

export interface Plan {
  /** Conjunction of the filters before any other stage, applied row by row. */
  readonly leadingFilter: Condition | undefined;
  /** The remaining stages plus output shaping, over the rows that passed `leadingFilter`. */
  readonly run: (rows: Row[]) => Row[];
}

type Step = (rows: Row[]) => Row[];

type Getters = readonly (readonly [string, Getter])[];
type FieldGetter = (name: string) => Getter;

/**
 * A copy of `row` with the system fields filled in as XSIAM shows them.
 * Copies key by key: spreading and then adding keys is about ten times slower in V8 (measured).
 */
function finalize(row: Row, systemGetters: Getters): Row {
  const out: Row = {};
  for (const key of Object.keys(row)) {
    // A JSON row may own a "__proto__" key; plain assignment would change the prototype instead.
    if (key === '__proto__') Object.defineProperty(out, key, { value: row[key], enumerable: true, writable: true, configurable: true });
    else out[key] = row[key];
  }
  for (const [name, get] of systemGetters) out[name] = get(row);
  return out;
}

/** Compiles the stages for one run (conditions memoise per row, see ConditionCompiler). */
export function compilePlan(query: XqlQuery, ingestLagMs = 0): Plan {
  const fold: Fold = query.caseSensitive ? identity : lower;
  const get: FieldGetter = (name) => fieldGetter(name, ingestLagMs);
  const system: Getters = SYSTEM_FIELDS.map((name) => [name, get(name)] as const);
  const conditions = new ConditionCompiler(query.caseSensitive, ingestLagMs);
  const leading: Condition[] = [];
  let i = 0;
  for (; i < query.stages.length; i += 1) {
    const stage = query.stages[i];
    if (stage?.kind !== 'filter') break;
    leading.push(conditions.condition(stage.condition));
  }
  let projected = false;
  const steps: Step[] = [];
  for (const stage of query.stages.slice(i)) {
    if (stage.kind === 'fields' || stage.kind === 'fieldsExclude') projected = true;
    steps.push(compileStep(stage, conditions, fold, get, system));
  }
  const shapeOutput = !projected;
  return {
    leadingFilter: leading.length === 0 ? undefined : leading.length === 1 ? leading[0] : (row) => {
      for (const condition of leading) if (condition(row) !== true) return false;
      return true;
    },
    run: (rows) => {
      let current = rows;
      for (const step of steps) current = step(current);
      if (current.length > DEFAULT_LIMIT) current = current.slice(0, DEFAULT_LIMIT);
      return shapeOutput ? current.map((row) => finalize(row, system)) : current;
    },
  };
}

function compileStep(stage: Stage, conditions: ConditionCompiler, fold: Fold, fieldGetter: FieldGetter, systemGetters: Getters): Step {
  switch (stage.kind) {
    case 'filter': {
      const condition = conditions.condition(stage.condition);
      return (rows) => rows.filter((row) => condition(row) === true);
    }
    case 'fields': {
      const items = stage.items.map((item) => [item.alias, fieldGetter(item.name)] as const);
      return (rows) =>
        rows.map((row) => {
          const out: Row = {};
          for (const [alias, get] of items) out[alias] = get(row);
          for (const [name, get] of systemGetters) if (!Object.hasOwn(out, name)) out[name] = get(row);
          return out;
        });
    }
    case 'fieldsExclude': {
      const excluded = new Set<string>(stage.names.filter((n) => !(SYSTEM_FIELDS as readonly string[]).includes(n)));
      return (rows) =>
        rows.map((row) => {
          const out = finalize(row, systemGetters);
          for (const name of excluded) delete out[name];
          return out;
        });
    }
    case 'sort':
      return compileSort(stage.keys, fieldGetter);
    case 'limit':
      return (rows) => (rows.length > stage.count ? rows.slice(0, stage.count) : rows);
    case 'dedup':
      return compileDedup(stage, fold, fieldGetter);
  }
}

/**
 * Multi-key, stable; nulls sort last in both directions so real values come first. Numbers sort
 * before strings; strings compare by UTF-16 code unit whatever case_sensitive says.
 */
function compileSort(keys: Extract<Stage, { kind: 'sort' }>['keys'], fieldGetter: FieldGetter): Step {
  const getters = keys.map((k) => [fieldGetter(k.field), k.direction === 'desc' ? -1 : 1] as const);
  return (rows) => {
    const decorated = rows.map((row, index) => ({ row, index, values: getters.map(([get]) => get(row)) }));
    decorated.sort((a, b) => {
      for (let k = 0; k < getters.length; k += 1) {
        const x = a.values[k] ?? null;
        const y = b.values[k] ?? null;
        if (x === null || y === null) {
          if (x !== y) return x === null ? 1 : -1;
          continue;
        }
        const c = sortCompare(x, y) * (getters[k]?.[1] ?? 1);
        if (c !== 0) return c;
      }
      return a.index - b.index;
    });
    return decorated.map((d) => d.row);
  };
}

/**
 * One row per distinct combination of the dedup fields (strings folded when case-insensitive,
 * null is a value of its own). `by asc f` keeps the row with the smallest f, `by desc f` the
 * largest (a non-null f beats null; ties keep the earlier row). Rows stay in input order.
 */
function compileDedup(stage: Extract<Stage, { kind: 'dedup' }>, fold: Fold, fieldGetter: FieldGetter): Step {
  const keyGetters: Getter[] = stage.fields.map((f) => fieldGetter(f));
  const by = stage.by === undefined ? undefined : { get: fieldGetter(stage.by.field), sign: stage.by.direction === 'desc' ? -1 : 1 };
  return (rows) => {
    const best = new Map<string, { index: number; value: unknown }>();
    rows.forEach((row, index) => {
      const key = JSON.stringify(keyGetters.map((get) => {
        const v = get(row);
        return typeof v === 'string' ? fold(v) : v === null ? null : text(v);
      }));
      const value = by?.get(row) ?? null;
      const current = best.get(key);
      if (current === undefined) {
        best.set(key, { index, value });
        return;
      }
      if (by === undefined || value === null) return;
      if (current.value === null || sortCompare(value, current.value) * by.sign < 0) best.set(key, { index, value });
    });
    const keep = [...best.values()].map((b) => b.index).sort((a, b) => a - b);
    return keep.map((index) => rows[index]).filter((row): row is Row => row !== undefined);
  };
}
