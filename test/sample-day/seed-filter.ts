/**
 * The seed query's filter, read from SEED_XQL itself and applied case-insensitively
 * (`config case_sensitive = false`), so these tests follow the specification, not the sample.
 */
import { SEED_XQL } from '../../lambda/hunts/index.js';
import type { XdrRow } from '../../local/sample-day/index.js';

export interface Condition {
  readonly field: string;
  readonly op: '=' | 'contains';
  readonly value: string;
}

/** The `filter` stage's `and`-ed conditions: `f = ENUM.X`, `f = "x"`, `f contains "x"`. */
export function seedConditions(xql: string = SEED_XQL): Condition[] {
  const stage = /\|\s*filter\s+([\s\S]*?)\n\|/.exec(xql)?.[1] ?? '';
  return stage.split(/\s+and\s+/).map((clause) => {
    const m = /^\s*(\w+)\s+(=|contains)\s+(?:ENUM\.(\w+)|"([^"]*)")\s*$/.exec(clause);
    if (m === null) throw new Error(`unexpected seed clause: ${clause}`);
    return { field: m[1] ?? '', op: m[2] === 'contains' ? 'contains' : '=', value: m[3] ?? m[4] ?? '' };
  });
}

/** True when the row passes every seed condition, compared case-insensitively. */
export function matchesSeed(row: XdrRow, conditions: readonly Condition[] = seedConditions()): boolean {
  return conditions.every(({ field, op, value }) => {
    const actual = row[field];
    if (typeof actual !== 'string') return false;
    const a = actual.toLowerCase();
    const v = value.toLowerCase();
    return op === '=' ? a === v : a.includes(v);
  });
}

/** The /node: elements of a command line, unquoted and lower-cased. */
export function nodeTargets(commandLine: string): string[] {
  const m = /[/-]node:\s*((?:"[^"]*"|[^\s,"]+)(?:,(?:"[^"]*"|[^\s,"]+))*)/i.exec(commandLine);
  if (m === null) return [];
  return (m[1] ?? '').split(',').map((t) => t.replace(/["']/g, '').toLowerCase());
}
