/**
 * Value semantics shared by filters, sort and dedup.
 *
 * - null and missing fields are null; a comparison with null is unknown (SQL-style), so
 *   `field != "x"` does not keep rows where `field` is null. Only `= null` / `!= null` test for it.
 * - Numbers compare with numeric strings numerically (stream rows carry numbers as strings).
 * - Booleans compare with "TRUE"/"FALSE" strings case-insensitively (XSIAM sometimes sends those).
 * - Objects and arrays compare, and are searched by `contains`, as their JSON text; `contains` on
 *   an array is true when any element contains the text.
 */

/** Lower-cases when the query is case-insensitive. */
export type Fold = (s: string) => string;
export const identity: Fold = (s) => s;
export const lower: Fold = (s) => s.toLowerCase();

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** A row's own field (never inherited from Object.prototype). */
export function own(row: Record<string, unknown>, name: string): unknown {
  const value = Object.hasOwn(row, name) ? row[name] : undefined;
  return value === undefined ? null : value;
}

/** Text form of a scalar or structured value. */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Equality: true, false, or null when either side is null. */
export function equals(a: unknown, b: unknown, fold: Fold): boolean | null {
  if (a === null || b === null) return null;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toNumber(a);
    const y = toNumber(b);
    if (x !== undefined && y !== undefined) return x === y;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return text(a).toLowerCase() === text(b).toLowerCase();
  return fold(text(a)) === fold(text(b));
}

/** Ordering for `<` and friends: negative, zero, positive, or null when not comparable. */
export function order(a: unknown, b: unknown, fold: Fold): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toNumber(a);
    const y = toNumber(b);
    return x === undefined || y === undefined ? null : x - y;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    const x = fold(a);
    const y = fold(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return null;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return undefined;
}

/** `haystack contains needle` with the needle already folded. */
export function containsText(haystack: unknown, foldedNeedle: string, fold: Fold): boolean | null {
  if (haystack === null) return null;
  if (Array.isArray(haystack)) {
    return haystack.some((item) => item !== null && item !== undefined && fold(text(item)).includes(foldedNeedle));
  }
  return fold(text(haystack)).includes(foldedNeedle);
}

/** A `*` wildcard pattern as an anchored RegExp (`*` = any run of characters; no escape for a literal `*`). */
export function wildcardRegExp(pattern: string, caseSensitive: boolean): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, caseSensitive ? 's' : 'is');
}

/** Sort order: numbers, then strings, then booleans, then anything else; nulls are handled by the caller. */
export function sortCompare(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return (a as number) - (b as number);
  const x = text(a);
  const y = text(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function rank(value: unknown): number {
  if (typeof value === 'number') return 0;
  if (typeof value === 'string') return 1;
  if (typeof value === 'boolean') return 2;
  return 3;
}
