/** Row normalisation: the JSON path and the stream path give values in different forms. */
import { quote } from './errors.js';
import { describe, isObject } from './replies.js';
import type { XqlRow } from './types.js';

/** Fields holding a timestamp that must come out as epoch ms. */
const TIME_FIELDS = ['_time', 'insert_timestamp', '_insert_time'] as const;

// "2021-10-14 03:59:09.793 UTC", "2021-10-14 04:02:12.883114 UTC", "2021-10-14T03:59:09Z"
const UTC_TEXT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(?:UTC|Z|\+00:?00)?$/i;

/** The end of year 9999: the last instant a four-digit year (ISO 8601, XSIAM's own form) writes. */
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** True for epoch ms naming a real instant from 1970 to the end of year 9999 (`1e20` is none: no Date holds it). */
export function isEventTime(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms <= LAST_MS;
}

/**
 * Date.UTC of calendar fields (month from 1), or undefined when they name no real date-time:
 * month 13, 30 February, 24:00 and 23:60 would otherwise roll over into another instant.
 */
export function utcFields(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number | undefined {
  if (!(y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && mi <= 59 && s <= 59)) return undefined;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  return d <= days ? Date.UTC(y, mo - 1, d, h, mi, s, ms) : undefined;
}

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
  return utcFields(y, mo, d, h, mi, sec, ms) ?? Number.NaN;
}

/**
 * Epoch ms from a number, a numeric string or a UTC date-time string; undefined when unreadable
 * or when it names no real instant from 1970 to year 9999 (see {@link isEventTime}, {@link utcFields}).
 */
export function toEpochMs(value: unknown): number | null | undefined {
  if (value === null || value === 'NULL') return null;
  if (typeof value === 'number') return isEventTime(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const fast = plainUtc(value);
  // NaN: the stream's form, but no real date-time
  if (fast !== undefined) return Number.isNaN(fast) ? undefined : fast;
  const text = value.trim();
  if (/^-?\d+(?:\.\d+)?$/.test(text)) {
    const ms = Math.trunc(Number(text));
    return isEventTime(ms) ? ms : undefined;
  }
  const m = UTC_TEXT.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, frac] = m;
    const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
    return utcFields(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), ms);
  }
  // Anything else with an explicit offset (ISO 8601) that Date can read unambiguously, once its
  // calendar fields are real (Date.parse rolls 30 February over into March).
  const iso = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?.*(?:[+-]\d{2}:?\d{2}|Z)$/i.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s] = iso;
    if (utcFields(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? 0)) === undefined) return undefined;
    const parsed = Date.parse(text);
    return isEventTime(parsed) ? parsed : undefined;
  }
  return undefined;
}

/**
 * One row: "NULL" → null, "TRUE"/"FALSE" → booleans, timestamps → epoch ms. One bad row must not
 * cost the query its other rows: a row that is not an object, or whose `_time` is no real
 * instant, is left out, and another timestamp no form can read becomes null; each is described in
 * `problems` (naming where it was) and the caller reports it. The row has no prototype.
 *
 * The row is `raw` itself, converted in place (rows come from JSON.parse: fresh objects, own
 * enumerable string keys, data properties only). Copying every row into `Object.create(null)`
 * made dictionary-mode objects, slower to build and to read and larger than the parsed ones;
 * dropping the prototype of the parsed object keeps it fast and shares one hidden class per shape.
 */
export function normaliseRow(raw: unknown, where: string, problems: string[], redact: (text: string) => string = (t) => t): XqlRow | null {
  if (!isObject(raw)) {
    problems.push(`${where}: expected a JSON object, got ${describe(raw)}; row left out`);
    return null;
  }
  // Rows are plain data: no prototype, so no key of the row ("__proto__", "constructor") can
  // give it inherited fields, and no field is read from Object.prototype. The prototype goes
  // first, so no write below can reach Object.prototype's `__proto__` setter. (A frozen object,
  // which JSON.parse never gives, is copied instead.)
  const row = (Object.isExtensible(raw) ? raw : { ...raw }) as XqlRow;
  Object.setPrototypeOf(row, null);
  let times = false;
  // one pass that converts where the values stand (for-in: with no prototype it visits the own
  // keys only, and it allocates no key array per row, as Object.keys did)
  for (const key in row) {
    const value = row[key];
    if (value === 'NULL') row[key] = null;
    else if (value === 'TRUE') row[key] = true;
    else if (value === 'FALSE') row[key] = false;
    if (!times && (key === '_time' || key === 'insert_timestamp' || key === '_insert_time')) times = true;
  }
  if (!times) return row;
  for (const field of TIME_FIELDS) {
    if (!(field in row)) continue;
    const ms = toEpochMs(row[field]);
    if (ms === undefined) {
      const got = row[field];
      const shown = typeof got === 'string' ? `"${quote(redact(got), 60)}"` : typeof got === 'number' ? String(got) : describe(got);
      // Every window, pair and message is placed by the event's time: a row without a real one is
      // left out (and counted), never given another time and never allowed to fail the query.
      if (field === '_time') {
        problems.push(`${where}._time: expected epoch ms or a UTC date-time from 1970 to 9999, got ${shown}; row left out`);
        return null;
      }
      problems.push(`${where}.${field}: expected epoch ms or a UTC date-time, got ${shown}; read as null`);
    }
    row[field] = ms ?? null;
  }
  return row;
}
