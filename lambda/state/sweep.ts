/**
 * The late sweep's mark, the pure rules shared by the DynamoDB and file adapters: one item per
 * hunt and sweep (`SWEEP#<huntId>#<sweep>`) saying up to which arrival time (`_insert_time`) the
 * sweep has hunted, with the query units it spent on the current UTC day. Like the checkpoint it
 * is written with an optimistic version, and only after the sweep's findings are recorded.
 */
import type { SweepMark, SweepMarkUpdate } from '../ports.js';
import { StateCorruptError } from './errors.js';
import { huntIdProblems } from './keys.js';
import { timeProblems } from './validate.js';

const SWEEP_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export function sweepNameProblems(sweep: unknown): string[] {
  return typeof sweep === 'string' && SWEEP_NAME.test(sweep) ? [] : ['sweep must be a short lower-case name such as "short" or "full"'];
}

export function sweepMarkProblems(huntId: unknown, sweep: unknown, next: unknown, expectedVersion: unknown, now: unknown): string[] {
  const n = (typeof next === 'object' && next !== null ? next : {}) as Record<string, unknown>;
  const problems = [
    ...huntIdProblems(huntId), ...sweepNameProblems(sweep),
    ...timeProblems(n['arrivedUntil'], 'next.arrivedUntil'), ...timeProblems(n['sweptAt'], 'next.sweptAt'), ...timeProblems(now, 'now'),
  ];
  if (typeof n['unitsDay'] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(n['unitsDay'])) problems.push('next.unitsDay must be a YYYY-MM-DD day');
  for (const key of ['unitsSpent', 'lastCost', 'lastHours'] as const) {
    const v = n[key];
    if (key === 'lastHours' && v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push(`next.${key} must be a number ≥ 0`);
  }
  if (expectedVersion !== null && !(typeof expectedVersion === 'number' && Number.isInteger(expectedVersion) && expectedVersion >= 1)) {
    problems.push('expectedVersion must be null or an integer ≥ 1');
  }
  return problems;
}

/** The mark that replaces version `expectedVersion` (null: the first one). */
export function nextSweepMark(next: SweepMarkUpdate, expectedVersion: number | null, now: number): SweepMark {
  return {
    arrivedUntil: next.arrivedUntil, sweptAt: next.sweptAt, unitsDay: next.unitsDay, unitsSpent: next.unitsSpent,
    lastCost: next.lastCost, ...(next.lastHours === undefined ? {} : { lastHours: next.lastHours }), version: (expectedVersion ?? 0) + 1, updatedAt: now,
  };
}

/** A stored mark; null when there is none. A malformed one is an error, as for the checkpoint. */
export function readSweepMarkRecord(raw: Record<string, unknown> | undefined): SweepMark | null {
  if (raw === undefined) return null;
  const { arrivedUntil, sweptAt, version, unitsDay, unitsSpent, lastCost, lastHours, updatedAt } = raw;
  if (typeof arrivedUntil !== 'number' || typeof sweptAt !== 'number' || typeof version !== 'number') {
    throw new StateCorruptError(String(raw['pk']), 'sweep mark lacks a numeric arrivedUntil, sweptAt or version', { operation: 'readSweepMark' });
  }
  const units = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  return {
    arrivedUntil, sweptAt, version,
    unitsDay: typeof unitsDay === 'string' ? unitsDay : '',
    unitsSpent: units(unitsSpent), lastCost: units(lastCost), ...(lastHours === undefined ? {} : { lastHours: units(lastHours) }),
    updatedAt: typeof updatedAt === 'number' ? updatedAt : 0,
  };
}
