/** Loads the local-xql fixture events (one xdr_data row per line). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURE_BASE_TIME = 1753700000000;

export function loadEvents(): Record<string, unknown>[] {
  const path = fileURLToPath(new URL('../fixtures/local-xql/events.jsonl', import.meta.url));
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export const ids = (rows: readonly Record<string, unknown>[]): unknown[] => rows.map((r) => r['event_id']);
