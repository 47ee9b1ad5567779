/**
 * Field access shared by filters, projection, sort and dedup, so every stage sees the same
 * system-field defaults the output shows.
 */
import { arrivalOf } from './arrival.js';
import { toEpochMs } from './timeframe.js';
import { own } from './values.js';

export type Row = Record<string, unknown>;
export type Getter = (row: Row) => unknown;

export const DEFAULT_VENDOR = 'PANW';
export const DEFAULT_PRODUCT = 'XDR agent';

/**
 * Reads a field the way XSIAM shows it: system fields get their defaults, `_time` is epoch ms,
 * `_insert_time` is the row's arrival (its own, else `_time` + `ingestLagMs`, see arrival.ts).
 */
export function fieldGetter(name: string, ingestLagMs = 0): Getter {
  switch (name) {
    case '_insert_time':
      return (row) => arrivalOf(row, ingestLagMs);
    case '_time':
      return (row) => toEpochMs(own(row, '_time'));
    case '_vendor':
      return (row) => own(row, '_vendor') ?? DEFAULT_VENDOR;
    case '_product':
      return (row) => own(row, '_product') ?? DEFAULT_PRODUCT;
    case 'insert_timestamp':
      return (row) => {
        const value = own(row, 'insert_timestamp');
        return value === null ? toEpochMs(own(row, '_time')) : (toEpochMs(value) ?? value);
      };
    default:
      // Only names Object.prototype also has ("constructor", "toString") need the own-property
      // check; plain row[name] is the hot path for every real xdr_data field.
      if (name in Object.prototype) return (row) => own(row, name);
      return (row) => row[name] ?? null;
  }
}
