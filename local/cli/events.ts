/**
 * Reads a detection engineer's own events for `--events`: JSONL or one JSON array of xdr_data
 * rows, as XSIAM exports them. `_time` may be epoch ms, ISO 8601 or XSIAM's
 * "YYYY-MM-DD HH:MM:SS.mmm UTC"; it is turned into epoch ms, the form the local XSIAM serves.
 * Rows in the hunt's own `fields` shape (no event_type, event_sub_type, agent_os_type) are rows
 * the hunt's query already filtered, so they get the values that filter requires.
 */
import { readFile } from 'node:fs/promises';
import { redactSecrets } from '../../lambda/detect/index.js';
import { isEventTime, utcFields } from '../../lambda/xsiam/index.js';
import type { EventRow } from '../xsiam/index.js';

export interface EventsProblem {
  /** 1-based line number (JSONL) or 1-based element number (JSON array). */
  readonly line: number;
  readonly problem: string;
}

export interface LoadedEvents {
  readonly rows: EventRow[];
  readonly problems: EventsProblem[];
  readonly format: 'jsonl' | 'json-array';
  /** Rows in the hunt's `fields` shape, taken as already filtered by the hunt's query. */
  readonly fieldsShaped: number;
  /** Rows whose `_time` could not be read (they are kept, but no window contains them). */
  readonly withoutTime: number;
}

/** The three fields the hunt's filter tests that its `fields` stage leaves out. */
const FILTER_FIELDS = { event_type: 'PROCESS', event_sub_type: 'PROCESS_START', agent_os_type: 'AGENT_OS_WINDOWS' } as const;

const ROW_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/** `_time` as epoch ms, or null when it is none of the accepted forms or no real instant (1e20, 30 February). */
export function rowTime(value: unknown): number | null {
  if (typeof value === 'number') return isEventTime(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d{1,16}$/.test(text)) return isEventTime(Number(text)) ? Number(text) : null;
  const m = ROW_TIME.exec(text);
  if (!m || utcFields(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) === undefined) return null;
  const zone = (m[8] ?? 'Z').toUpperCase();
  const offset = zone === 'Z' || zone === 'UTC' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const fraction = (m[7] ?? '0').slice(0, 3).padEnd(3, '0');
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}.${fraction}${offset}`);
  return Number.isFinite(ms) ? ms : null;
}

/** A short, one-line, secret-free preview of a bad line: control characters shown as [U+XXXX]. */
export function preview(line: string, max = 80): string {
  const cut = line.length > max ? `${line.slice(0, max)}…` : line;
  return redactSecrets(cut).replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

function normalise(value: unknown, index: number, problems: EventsProblem[]): EventRow | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ line: index, problem: `expected a JSON object (one xdr_data row), got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}` });
    return null;
  }
  const row = { ...(value as EventRow) };
  const time = rowTime(row['_time']);
  // A number that is no real instant is no time at all: no window may be planned from it.
  if (time !== null || typeof row['_time'] === 'number') row['_time'] = time;
  return row;
}

/** True for a row of the hunt's `fields` shape: none of the three filter fields present. */
function isFieldsShaped(row: EventRow): boolean {
  return Object.keys(FILTER_FIELDS).every((k) => !(k in row)) && 'action_process_image_command_line' in row;
}

/** Parses the text of an events file (JSONL or a JSON array). */
export function parseEvents(text: string): LoadedEvents {
  const body = text.replace(/^\uFEFF/, '');
  const problems: EventsProblem[] = [];
  const raw: { value: unknown; line: number }[] = [];
  let format: LoadedEvents['format'] = 'jsonl';
  if (body.trimStart().startsWith('[')) {
    format = 'json-array';
    try {
      const parsed = JSON.parse(body) as unknown;
      if (Array.isArray(parsed)) parsed.forEach((value, i) => raw.push({ value, line: i + 1 }));
      else problems.push({ line: 1, problem: 'not a JSON array' });
    } catch {
      problems.push({ line: 1, problem: `the file starts with "[" but is not one JSON array: ${preview(body.trim())}` });
    }
  } else {
    body.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        raw.push({ value: JSON.parse(line) as unknown, line: i + 1 });
      } catch {
        // JSON.parse's message quotes the input raw: show our own preview instead
        problems.push({ line: i + 1, problem: `not valid JSON: ${preview(line.trim())}` });
      }
    });
  }
  const rows: EventRow[] = [];
  let fieldsShaped = 0;
  let withoutTime = 0;
  for (const { value, line } of raw) {
    const row = normalise(value, line, problems);
    if (row === null) continue;
    if (typeof row['_time'] !== 'number') withoutTime += 1;
    if (isFieldsShaped(row)) {
      Object.assign(row, FILTER_FIELDS);
      fieldsShaped += 1;
    }
    rows.push(row);
  }
  return { rows, problems, format, fieldsShaped, withoutTime };
}

export async function loadEvents(path: string): Promise<LoadedEvents> {
  return parseEvents(await readFile(path, 'utf8'));
}
