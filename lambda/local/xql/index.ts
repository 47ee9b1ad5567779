/**
 * Local XQL engine: the subset of Cortex XQL the hunt and its drill-downs use, evaluated over
 * in-memory xdr_data rows, so the product runs without a tenant.
 */
export { parseXql } from './parser.js';
export { runXql, type RunXqlOptions } from './run.js';
export { XqlParseError, XqlWindowError } from './errors.js';
export type { XqlQuery } from './ast.js';
export type { XqlTimeframe, TimePoint } from './timeframe.js';
