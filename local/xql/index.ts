/**
 * Local XQL engine: the subset of Cortex XQL the hunt and its drill-downs use, evaluated over
 * in-memory xdr_data rows, so the product runs without a tenant.
 *
 * Supported: `config case_sensitive`, `config timeframe` (config first, several settings per
 * stage), `dataset`, `filter`, `fields` (with `as`, or `-f` exclusions), `sort asc|desc f, ...`,
 * `limit`, `dedup ... [by asc|desc f]`; `json_extract_scalar(f, "$.key")` and `f -> key`.
 * Refused because XSIAM documents them differently: ISO `T…Z` times in `between` (timeframe.ts),
 * enum names that do not exist or belong to another field, capitalised words that are no enum (enums.ts).
 * Anything else is an XqlParseError with line, column and what was expected.
 *
 * Choices where the documentation is silent (see the module that implements each):
 * - `*` is a wildcard in `=`, `!=`, `in` and `not in` string options; `contains` and `~=` take it
 *   literally / as regex syntax. Strings have no escapes (`"C:\Windows"` is literal).
 * - `~=` is an RE2 pattern (re2.ts: leading `(?i)`, no lookaround, no backreferences) run as a
 *   JavaScript RegExp search (partial match), case-insensitive unless case_sensitive = true.
 * - `/* … *\/` and `//` are comments; `to_epoch(ts, "MILLIS")` reads a timestamp as a number.
 * - Fields xdr_data does not have (xdr-fields.ts) are not refused (test rows use any names):
 *   `unknownXdrFields` lists them for the CLI's warning and the hunts' own check.
 * - Null or missing fields make a comparison unknown (SQL three-valued logic): only `= null` and
 *   `!= null` select them (values.ts).
 * - `config timeframe` replaces the API window (run.ts); months are 30 days, years 365 (timeframe.ts).
 * - Sort puts nulls last in both directions; strings sort by code unit (plan.ts).
 * - Datasets other than xdr_data hold no rows here (run.ts).
 * - Arrival (arrival.ts): with `arrivedBy`, a row is seen only once its `_insert_time` (else
 *   `_time` + `ingestLagMs`) is at or before it; `_insert_time` reads as that arrival.
 */
export { parseXql } from './parser.js';
export { XDR_DATA_FIELDS, XDR_DATA_SYSTEM_FIELDS, isXdrDataField } from './xdr-fields.js';
export { fieldsRead, unknownXdrFields } from './fields-read.js';
export { runXql, type RunXqlOptions } from './run.js';
export { XqlParseError, XqlWindowError } from './errors.js';
export type { XqlQuery } from './ast.js';
export type { XqlTimeframe, TimePoint } from './timeframe.js';
