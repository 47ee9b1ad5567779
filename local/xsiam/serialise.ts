/** How rows look on the wire: plain JSON results, and the "realistic" forms seen in the wild. */
import type { EventRow } from './types.js';

function utcText(ms: number, fraction: 3 | 6): string {
  const iso = new Date(ms).toISOString(); // 2021-10-14T03:59:09.793Z
  const millis = iso.slice(20, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction === 3 ? millis : `${millis}000`} UTC`;
}

function wordy(value: unknown): unknown {
  if (value === null || value === undefined) return 'NULL';
  if (value === true) return 'TRUE';
  if (value === false) return 'FALSE';
  return value;
}

/** JSON-results row: realistic mode spells null and booleans the way XSIAM often does. */
export function jsonRow(row: EventRow, realistic: boolean): EventRow {
  if (!realistic) return row;
  const out: EventRow = {};
  for (const [key, value] of Object.entries(row)) out[key] = wordy(value);
  return out;
}

/** Stream row: realistic mode also stringifies timestamps ("… UTC") and numbers. */
export function streamRow(row: EventRow, realistic: boolean): EventRow {
  if (!realistic) return row;
  const out: EventRow = {};
  for (const [key, value] of Object.entries(row)) {
    if ((key === '_time' || key === 'insert_timestamp') && typeof value === 'number') out[key] = utcText(value, key === '_time' ? 3 : 6);
    else if (typeof value === 'number') out[key] = String(value);
    else out[key] = wordy(value);
  }
  return out;
}
