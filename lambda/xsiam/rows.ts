/** Row normalisation: the JSON path and the stream path give values in different forms. */
import { quote } from './errors.js';
import { describe, isObject } from './replies.js';
import type { XqlRow } from './types.js';

/** Fields holding a timestamp that must come out as epoch ms. */
const TIME_FIELDS = ['_time', 'insert_timestamp', '_insert_time'] as const;

// "2021-10-14 03:59:09.793 UTC", "2021-10-14 04:02:12.883114 UTC", "2021-10-14T03:59:09Z"
const UTC_TEXT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(?:UTC|Z|\+00:?00)?$/i;

/** Epoch ms from a number, a numeric string or a UTC date-time string; undefined when unreadable. */
export function toEpochMs(value: unknown): number | null | undefined {
  if (value === null || value === 'NULL') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^-?\d+(?:\.\d+)?$/.test(text)) return Math.trunc(Number(text));
  const m = UTC_TEXT.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, frac] = m;
    const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  }
  // Anything else with an explicit offset (ISO 8601) that Date can read unambiguously.
  if (/^\d{4}-\d{2}-\d{2}T.*(?:[+-]\d{2}:?\d{2}|Z)$/i.test(text)) {
    const parsed = Date.parse(text);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

function scalar(value: unknown): unknown {
  if (value === 'NULL') return null;
  if (value === 'TRUE') return true;
  if (value === 'FALSE') return false;
  return value;
}

/**
 * One row: "NULL" → null, "TRUE"/"FALSE" → booleans, timestamps → epoch ms. One bad row must not
 * cost the query its other rows: a row that is not an object is left out, and a timestamp no form
 * can read becomes null; each is described in `problems` (naming where it was) and the caller
 * reports it.
 */
export function normaliseRow(raw: unknown, where: string, problems: string[], redact: (text: string) => string = (t) => t): XqlRow | null {
  if (!isObject(raw)) {
    problems.push(`${where}: expected a JSON object, got ${describe(raw)}; row left out`);
    return null;
  }
  const row: XqlRow = {};
  for (const [key, value] of Object.entries(raw)) row[key] = scalar(value);
  for (const field of TIME_FIELDS) {
    if (!(field in raw)) continue;
    const ms = toEpochMs(raw[field]);
    if (ms === undefined) {
      const got = raw[field];
      const shown = typeof got === 'string' ? `"${quote(redact(got), 60)}"` : describe(got);
      problems.push(`${where}.${field}: expected epoch ms or a UTC date-time, got ${shown}; read as null`);
    }
    row[field] = ms ?? null;
  }
  return row;
}
