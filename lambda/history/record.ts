/**
 * History items as stored, the pure core both state adapters share (like state/dedupe.ts for
 * findings): how an item is read (leniently: a hand-edited item must not crash a run), how a
 * chunk's sighting merges into it, and its size bounds and TTL.
 */
import { mergeDays } from './days.js';
import { DAY_MS, HISTORY_MAX_TARGETS, type Sighting, type SubjectHistory, type SubjectKind } from './types.js';

/** A subject's item (`pk = HIST#<huntId>#HOST#<name>` or `...#USER#<name>`). */
export interface SubjectRecord {
  readonly subject: SubjectKind;
  readonly name: string;
  readonly days: readonly number[];
  readonly targets: readonly string[];
  readonly targetCount: number;
  /** Bumped on every write; the guard of read-then-put. */
  readonly rev: number;
  readonly updatedAt: number;
  /** Epoch seconds: the kept span after the later of the newest day and the write (the table's TTL attribute). */
  readonly expiresAt: number;
}

/** The hunt's coverage item (`pk = HIST#<huntId>#COVERAGE`). */
export interface CoverageRecord {
  readonly subject: 'coverage';
  readonly days: readonly number[];
  readonly rev: number;
  readonly updatedAt: number;
  readonly expiresAt: number;
}

const isDay = (d: unknown): d is number => typeof d === 'number' && Number.isInteger(d) && d >= 0;

/** The days of a stored item: integers only, ascending, distinct. */
function readDays(raw: unknown): number[] {
  return Array.isArray(raw) ? [...new Set(raw.filter(isDay))].sort((a, b) => a - b) : [];
}

/** A subject item read leniently; null when absent or not a history item of this kind. */
export function readSubject(raw: Record<string, unknown> | undefined, kind: SubjectKind, name: string): SubjectHistory | null {
  if (raw === undefined || raw['subject'] !== kind) return null;
  const targets = Array.isArray(raw['targets']) ? raw['targets'].filter((t): t is string => typeof t === 'string').slice(-HISTORY_MAX_TARGETS) : [];
  const count = typeof raw['targetCount'] === 'number' && Number.isFinite(raw['targetCount']) ? raw['targetCount'] : 0;
  return { kind, name, days: readDays(raw['days']), targets, targetCount: Math.max(count, targets.length) };
}

/** The covered days of a coverage item (none when absent or unreadable). */
export function readCoverage(raw: Record<string, unknown> | undefined): number[] {
  return raw === undefined || raw['subject'] !== 'coverage' ? [] : readDays(raw['days']);
}

/** The stored revision (null when the item has none: a hand-written item, replaced only if still without one). */
export function revOf(raw: Record<string, unknown> | undefined): number | null {
  return raw !== undefined && typeof raw['rev'] === 'number' ? raw['rev'] : null;
}

/**
 * Epoch seconds until which an item matters: `keepDays` after its newest day, or after the write
 * when that is later, so a backfill of older events keeps its history for the runs that follow it
 * (verdicts count days relative to the hunted chunk, not to the wall clock).
 */
export function historyExpiresAt(newestDay: number, keepDays: number, now: number): number {
  return Math.ceil(((Math.max(newestDay, Math.floor(now / DAY_MS)) + keepDays + 1) * DAY_MS) / 1000);
}

/** The targets after adding `seen`: most recent last, at most HISTORY_MAX_TARGETS, and the distinct count. */
function mergeTargets(stored: readonly string[], count: number, seen: readonly string[]): { targets: string[]; targetCount: number } {
  const targets = [...stored];
  let targetCount = Math.max(count, stored.length);
  for (const t of new Set(seen)) {
    const at = targets.indexOf(t);
    if (at >= 0) targets.splice(at, 1);
    else targetCount += 1;
    targets.push(t);
  }
  // Beyond the kept hashes a dropped target seen again counts again: the count is a bound, not exact.
  return { targets: targets.slice(-HISTORY_MAX_TARGETS), targetCount };
}

/** The item after merging a chunk's sighting into what was stored (null: none yet). */
export function mergeSubject(stored: SubjectHistory | null, rev: number | null, sighting: Sighting, keepDays: number, now: number): SubjectRecord {
  const days = mergeDays(stored?.days ?? [], sighting.days, keepDays);
  const { targets, targetCount } = mergeTargets(stored?.targets ?? [], stored?.targetCount ?? 0, sighting.targets);
  return {
    subject: sighting.kind, name: sighting.name, days, targets, targetCount,
    rev: (rev ?? 0) + 1, updatedAt: now, expiresAt: historyExpiresAt(days[days.length - 1] ?? 0, keepDays, now),
  };
}

/** The coverage item after adding a chunk's days. */
export function mergeCoverage(stored: readonly number[], rev: number | null, days: readonly number[], keepDays: number, now: number): CoverageRecord {
  const merged = mergeDays(stored, days, keepDays);
  return { subject: 'coverage', days: merged, rev: (rev ?? 0) + 1, updatedAt: now, expiresAt: historyExpiresAt(merged[merged.length - 1] ?? 0, keepDays, now) };
}
