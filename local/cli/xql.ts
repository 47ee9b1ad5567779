/**
 * `npm run hunt -- xql --events FILE --query 'XQL'`: runs any XQL over xdr_data rows (JSONL) with
 * the local engine, so a detection engineer tests a query offline, and a notification's
 * `drillDownXql` can be replayed over the events it came from. Result rows go to stdout as JSONL;
 * a parse error goes to stderr with the line, the column and what was expected, and exits 1.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadEventsJsonl } from '../xsiam/index.js';
import { parseXql, runXql, unknownXdrFields, XqlParseError, type XqlQuery } from '../xql/index.js';
import { UsageError } from './run-options.js';
import { preview } from './events.js';
import { readOrRefuse } from './errors.js';

export const XQL_USAGE = `usage: npm run hunt -- xql --events FILE (--query 'XQL' | --query-file FILE)
  --events FILE        xdr_data rows, one JSON object a line (bad lines are reported and skipped)
  --query XQL          the query text; or --query-file FILE to read it from a file
  --now T              what relative timeframes ("-1d", 24h) count from (ISO 8601 or epoch ms; default now)
Result rows are written to stdout as JSONL. Only the query's own config timeframe limits time.`;

export interface XqlIo {
  readonly write: (text: string) => void;
  readonly error: (text: string) => void;
  readonly now: () => number;
}

interface XqlOptions {
  readonly events: string;
  readonly query: string | null;
  readonly queryFile: string | null;
  readonly now: number | null;
}

function parseXqlOptions(args: readonly string[]): XqlOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args], strict: true, allowPositionals: false,
      options: { events: { type: 'string' }, query: { type: 'string' }, 'query-file': { type: 'string' }, now: { type: 'string' } },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.events === undefined) throw new UsageError('xql needs --events FILE');
  const query = values.query ?? null;
  const queryFile = values['query-file'] ?? null;
  if ((query === null) === (queryFile === null)) throw new UsageError('xql needs exactly one of --query and --query-file');
  let now: number | null = null;
  if (values.now !== undefined) {
    now = /^\d+$/.test(values.now) ? Number(values.now) : Date.parse(values.now);
    if (!Number.isFinite(now)) throw new UsageError(`--now must be an ISO 8601 time or epoch milliseconds (got "${values.now.slice(0, 40)}")`);
  }
  return { events: values.events, query, queryFile, now };
}

/** The parse error as an analyst reads it: position, expectation, and the line with a caret. */
export function formatParseError(text: string, err: XqlParseError): string {
  const line = text.split('\n')[err.line - 1] ?? '';
  const shown = line.length > 200 ? `${line.slice(0, 200)}...` : line;
  const caret = err.column - 1 <= 200 ? `\n  ${' '.repeat(Math.max(0, err.column - 1))}^` : '';
  return `hunt xql: parse error at line ${err.line}, column ${err.column}: expected ${err.expected}, found ${err.found}\n  ${shown}${caret}\n`;
}

/** Runs the command; returns the exit code (0 ok, 1 parse error). Usage errors throw UsageError. */
export async function runXqlCommand(args: readonly string[], io: XqlIo): Promise<number> {
  const options = parseXqlOptions(args);
  const text = options.query ?? (await readOrRefuse('--query-file', options.queryFile ?? '', (f) => readFile(f, 'utf8')));
  let query: XqlQuery;
  try {
    query = parseXql(text);
  } catch (err) {
    if (!(err instanceof XqlParseError)) throw err;
    io.error(formatParseError(text, err));
    return 1;
  }
  const unknown = unknownXdrFields(query);
  if (unknown.length > 0) {
    io.error(`hunt xql: warning: xdr_data has no field ${unknown.slice(0, 10).map((f) => preview(f, 80)).join(', ')} (local/xql/xdr-fields.ts lists the documented ones); XSIAM would match nothing or refuse the query\n`);
  }
  const { rows, problems } = await readOrRefuse('--events', options.events, loadEventsJsonl);
  // JSON.parse's message quotes the line raw: shown with control characters made visible
  for (const p of problems.slice(0, 20)) io.error(`${options.events}:${p.line}: skipped: ${preview(p.problem, 200)}\n`);
  if (problems.length > 20) io.error(`... and ${problems.length - 20} more bad lines\n`);
  const result = runXql(query, rows, { now: options.now ?? io.now() });
  // One write per row would make a million-row answer slow; chunks keep memory bounded.
  let chunk = '';
  for (const row of result) {
    chunk += `${JSON.stringify(row)}\n`;
    if (chunk.length > 1 << 16) {
      io.write(chunk);
      chunk = '';
    }
  }
  if (chunk !== '') io.write(chunk);
  io.error(`${result.length} row(s) from ${rows.length} event(s)\n`);
  return 0;
}
