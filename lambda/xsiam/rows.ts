/** Row normalisation: the JSON path and the stream path give values in different forms. */
import { quote } from './errors.js';
import { describe, isObject } from './replies.js';
import type { XqlRow } from './types.js';

/** Fields holding a timestamp that must come out as epoch ms. */
const TIME_FIELDS = ['_time', 'insert_timestamp', '_insert_time'] as const;

// "2021-10-14 03:59:09.793 UTC", "2021-10-14 04:02:12.883114 UTC", "2021-10-14T03:59:09Z"
const UTC_TEXT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(?:UTC|Z|\+00:?00)?$/i;

const digit = (text: string, i: number): number => {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};

/**
 * The stream's own form, `YYYY-MM-DD HH:MM:SS[.fraction][ UTC|Z]` with ASCII digits and nothing
 * around it, read without a regex (every row has two of these); undefined for any other form,
 * which UTC_TEXT then reads. Same numbers into Date.UTC as the UTC_TEXT path.
 */
function plainUtc(text: string): number | undefined {
  const n = text.length;
  if (n < 19 || text[4] !== '-' || text[7] !== '-' || (text[10] !== ' ' && text[10] !== 'T') || text[13] !== ':' || text[16] !== ':') return undefined;
  const y = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const mo = digit(text, 5) * 10 + digit(text, 6);
  const d = digit(text, 8) * 10 + digit(text, 9);
  const h = digit(text, 11) * 10 + digit(text, 12);
  const mi = digit(text, 14) * 10 + digit(text, 15);
  const sec = digit(text, 17) * 10 + digit(text, 18);
  let i = 19;
  let ms = 0;
  if (text[i] === '.') {
    const from = ++i;
    while (i < n && i - from < 9 && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) {
      if (i - from < 3) ms = ms * 10 + text.charCodeAt(i) - 48;
      i++;
    }
    if (i === from) return undefined;
    // milliseconds are the first three fraction digits, padded with zeros
    for (let k = i - from; k < 3; k++) ms *= 10;
  }
  const rest = i === n ? '' : text.slice(i);
  if (rest !== '' && rest !== ' UTC' && rest !== 'Z') return undefined;
  // NaN (a non-digit) fails here and leaves the text to the general path
  if (!Number.isFinite(y + mo + d + h + mi + sec)) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}

/** Epoch ms from a number, a numeric string or a UTC date-time string; undefined when unreadable. */
export function toEpochMs(value: unknown): number | null | undefined {
  if (value === null || value === 'NULL') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const fast = plainUtc(value);
  if (fast !== undefined) return fast;
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
  let times = false;
  // one pass that copies and converts (rows come from JSON.parse: own, enumerable, string keys)
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    row[key] = value === 'NULL' ? null : value === 'TRUE' ? true : value === 'FALSE' ? false : value;
    if (!times && (key === '_time' || key === 'insert_timestamp' || key === '_insert_time')) times = true;
  }
  if (!times) return row;
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
