/**
 * `config timeframe`: durations (`24h`, `1mo`), `between "<start>" and "<end>"` with absolute
 * times ("2025-07-28 10:00:00 +0200", UTC when no zone), relative offsets ("-1d", "+2h"; no sign
 * means back), "now" and "begin"; and `_time` values in rows as epoch milliseconds.
 */

/** One end of a `between` timeframe. */
export type TimePoint =
  | { readonly kind: 'absolute'; readonly epochMs: number }
  /** Offset from the query's "now", negative = past. */
  | { readonly kind: 'relative'; readonly offsetMs: number }
  | { readonly kind: 'now' }
  /** The earliest time there is (epoch 0 here). */
  | { readonly kind: 'begin' };

export type XqlTimeframe =
  | { readonly kind: 'last'; readonly durationMs: number }
  | { readonly kind: 'between'; readonly from: TimePoint; readonly to: TimePoint };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * XQL's time suffixes (case-insensitive). Months and years have no calendar meaning here:
 * a month is 30 days and a year 365 days (assumption; the docs give no length).
 */
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: MINUTE,
  h: 60 * MINUTE,
  d: DAY,
  w: 7 * DAY,
  mo: 30 * DAY,
  y: 365 * DAY,
};

/** Milliseconds in `24h`-style text, or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,9})([a-z]{1,2})$/i.exec(text);
  if (!match) return undefined;
  const unit = UNIT_MS[(match[2] ?? '').toLowerCase()];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

/**
 * Row times (`_time` in the stream form "2021-10-14 03:59:09.793 UTC", or ISO text in a JSONL
 * file): read leniently, since they are data, not query text.
 */
const ROW_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(?:(Z|UTC)|([+-])(\d{2}):?(\d{2}))?$/i;

/**
 * An absolute time in a query's `config timeframe between`: only the documented form
 * "<Year-Month-Day H:M:S ±Timezone>", "The ±Timezone format is: ±xxxx" (e.g.
 * "2026-11-29 02:30:46 +0000"); without a zone the time is UTC. ISO 8601 `T…Z` text,
 * fractions of a second and dates without a time are not documented, so they are refused.
 * https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-Documentation/timeframe
 */
const QUERY_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})()(?:() ([+-])(\d{2})(\d{2}))?$/;

/** The documented absolute form, for error messages and for code that writes queries. */
export const QUERY_TIME_FORM = '"YYYY-MM-DD HH:MM:SS +0000"';

/** `ms` in the documented `between` form, UTC ("2026-11-29 02:30:46 +0000"). */
export function formatQueryTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000`;
}

function parseAbsolute(text: string, form: RegExp = ROW_TIME): number | undefined {
  const m = form.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0)) as [
    number, number, number, number, number, number,
  ];
  // XSIAM shows `_insert_time` with microseconds ("….883114 UTC"): milliseconds are the first three digits.
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(utc);
  // Date.UTC rolls 2025-02-30 over to March; reject instead of guessing.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return undefined;
  }
  const offsetMin = m[9] === undefined ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  return utc - offsetMin * MINUTE;
}

/** Reads one `between` end; undefined when the text fits none of the documented forms. */
export function parseTimePoint(text: string): TimePoint | undefined {
  const trimmed = text.trim();
  const lower = trimmed.toLowerCase();
  if (lower === 'now') return { kind: 'now' };
  if (lower === 'begin') return { kind: 'begin' };
  const rel = /^([+-]?)(\d{1,9}[a-z]{1,2})$/i.exec(trimmed);
  if (rel) {
    const ms = parseDuration(rel[2] ?? '');
    if (ms === undefined) return undefined;
    return { kind: 'relative', offsetMs: rel[1] === '+' ? ms : -ms };
  }
  const epochMs = parseAbsolute(trimmed, QUERY_TIME);
  return epochMs === undefined ? undefined : { kind: 'absolute', epochMs };
}

function resolvePoint(point: TimePoint, now: number): number {
  switch (point.kind) {
    case 'absolute':
      return point.epochMs;
    case 'relative':
      return now + point.offsetMs;
    case 'now':
      return now;
    case 'begin':
      return 0;
  }
}

/** The `[from, to)` epoch-ms window a timeframe covers when the query runs at `now`. */
export function resolveTimeframe(timeframe: XqlTimeframe, now: number): { from: number; to: number } {
  if (timeframe.kind === 'last') return { from: now - timeframe.durationMs, to: now };
  return { from: resolvePoint(timeframe.from, now), to: resolvePoint(timeframe.to, now) };
}

/**
 * A row's `_time` as epoch ms: numbers, numeric strings, and the stream form
 * "2021-10-14 03:59:09.793 UTC". Anything else is null (no time).
 */
export function toEpochMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const ms = parseAbsolute(value.trim());
  return ms === undefined ? null : ms;
}
