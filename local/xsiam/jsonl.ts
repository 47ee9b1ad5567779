/** Loads xdr_data events from a JSONL file; bad lines are skipped and reported, never fatal. */
import { readFile } from 'node:fs/promises';
import type { EventRow } from './types.js';

export interface JsonlProblem {
  /** 1-based line number. */
  readonly line: number;
  readonly problem: string;
}

export interface JsonlLoad {
  readonly rows: EventRow[];
  readonly problems: JsonlProblem[];
}

/** Parses JSONL text: one JSON object a line, blank lines ignored. */
export function parseEventsJsonl(text: string): JsonlLoad {
  const rows: EventRow[] = [];
  const problems: JsonlProblem[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.push({ line: i + 1, problem: `not valid JSON (${error instanceof Error ? error.message.slice(0, 120) : 'parse error'})` });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ line: i + 1, problem: `expected a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}` });
      return;
    }
    rows.push(value as EventRow);
  });
  return { rows, problems };
}

/** Reads and parses a JSONL file of events. */
export async function loadEventsJsonl(path: string): Promise<JsonlLoad> {
  return parseEventsJsonl(await readFile(path, 'utf8'));
}
