/**
 * History items on the store side, shared by the DynamoDB and file adapters so they cannot drift:
 * input checks, which keys a read or a write touches, and the items a write puts (read, merged,
 * guarded by their revision).
 */
import {
  mergeCoverage, mergeSubject, readCoverage, readSubject, revOf, subjectName, SUBJECT_NAME_LIMIT,
  type HistoryQuery, type HistoryUpdate, type HuntHistory, type SubjectHistory, type SubjectKind,
} from '../history/index.js';
import { DEFAULT_TENANT, coverageKey, historyKey, huntIdProblems } from './keys.js';
import { isExpired } from './time.js';
import { timeProblems } from './validate.js';

/** Subjects one call may name: far above a chunk's distinct sources and users, small enough to bound a call. */
export const HISTORY_SUBJECTS_LIMIT = 10_000;

const isDay = (d: unknown): boolean => typeof d === 'number' && Number.isInteger(d) && d >= 0;

function namesProblems(names: unknown, label: string): string[] {
  if (!Array.isArray(names)) return [`${label} must be an array of names`];
  if (names.length > HISTORY_SUBJECTS_LIMIT) return [`${label} names more than ${HISTORY_SUBJECTS_LIMIT} subjects`];
  const bad = names.findIndex((n) => typeof n !== 'string' || n.trim() === '' || n.length > SUBJECT_NAME_LIMIT);
  return bad >= 0 ? [`${label}[${bad}] must be a non-empty name of at most ${SUBJECT_NAME_LIMIT} characters`] : [];
}

export function historyQueryProblems(huntId: unknown, query: HistoryQuery, now: unknown): string[] {
  if (typeof query !== 'object' || query === null) return [...huntIdProblems(huntId), 'query must be { hosts, users }'];
  return [...huntIdProblems(huntId), ...namesProblems(query.hosts, 'query.hosts'), ...namesProblems(query.users, 'query.users'), ...timeProblems(now, 'now')];
}

export function historyUpdateProblems(huntId: unknown, update: HistoryUpdate, now: unknown): string[] {
  if (typeof update !== 'object' || update === null) return [...huntIdProblems(huntId), 'update must be { coveredDays, sightings, keepDays }'];
  const problems = [...huntIdProblems(huntId), ...timeProblems(now, 'now')];
  if (!Array.isArray(update.coveredDays) || !update.coveredDays.every(isDay)) problems.push('update.coveredDays must be UTC day numbers');
  // Stryker disable next-line ConditionalExpression: the typeof test alone is redundant (Number.isInteger is false for every non-number); the other conditions are killed by history-survivors.test.ts
  if (typeof update.keepDays !== 'number' || !Number.isInteger(update.keepDays) || update.keepDays < 1 || update.keepDays > 400) problems.push('update.keepDays must be a whole number from 1 to 400');
  if (!Array.isArray(update.sightings)) return [...problems, 'update.sightings must be an array'];
  if (update.sightings.length > 2 * HISTORY_SUBJECTS_LIMIT) problems.push(`update.sightings names more than ${2 * HISTORY_SUBJECTS_LIMIT} subjects`);
  update.sightings.forEach((s, i) => {
    const at = `update.sightings[${i}]`;
    if (s?.kind !== 'host' && s?.kind !== 'user') problems.push(`${at}.kind must be host or user`);
    if (typeof s?.name !== 'string' || subjectName(s.name) !== s.name) problems.push(`${at}.name must be a lower-cased, trimmed name of at most ${SUBJECT_NAME_LIMIT} characters`);
    if (!Array.isArray(s?.days) || !s.days.every(isDay)) problems.push(`${at}.days must be UTC day numbers`);
    if (!Array.isArray(s?.targets) || !s.targets.every((t: unknown) => typeof t === 'string' && t.length <= 64)) problems.push(`${at}.targets must be target hashes`);
  });
  return problems;
}

type Subject = { readonly kind: SubjectKind; readonly name: string; readonly key: string };

/** The keys a read touches: the coverage item, then each distinct host and user. */
export function historyReadKeys(huntId: string, query: HistoryQuery, tenant = DEFAULT_TENANT): { coverage: string; subjects: Subject[] } {
  const subjects = new Map<string, Subject>();
  for (const [kind, names] of [['host', query.hosts], ['user', query.users]] as const) {
    for (const raw of names) {
      const name = subjectName(raw);
      if (name !== null) subjects.set(historyKey(huntId, kind, name, tenant), { kind, name, key: historyKey(huntId, kind, name, tenant) });
    }
  }
  return { coverage: coverageKey(huntId, tenant), subjects: [...subjects.values()] };
}

/** The hunt's history from the stored items (expired items read as absent). */
export function huntHistoryFrom(
  huntId: string, query: HistoryQuery, item: (key: string) => Record<string, unknown> | undefined, now: number, tenant = DEFAULT_TENANT,
): HuntHistory {
  const live = (key: string): Record<string, unknown> | undefined => {
    const raw = item(key);
    return raw === undefined || isExpired(raw['expiresAt'], now) ? undefined : raw;
  };
  const { coverage, subjects } = historyReadKeys(huntId, query, tenant);
  const hosts = new Map<string, SubjectHistory>();
  const users = new Map<string, SubjectHistory>();
  for (const s of subjects) {
    const read = readSubject(live(s.key), s.kind, s.name);
    if (read !== null) (s.kind === 'host' ? hosts : users).set(s.name, read);
  }
  return { coveredDays: readCoverage(live(coverage)), hosts, users };
}

/** One item a write puts, and the revision it expects to replace (null: absent or without one). */
export interface HistoryWrite {
  readonly key: string;
  readonly item: Record<string, unknown>;
  readonly expectedRev: number | null;
  /** True when no item was stored under the key (an expired one is present: its rev guards the put). */
  readonly absent: boolean;
}

/** The keys a write touches: coverage (when the chunk covered days) and each sighting. */
export function historyWriteKeys(huntId: string, update: HistoryUpdate, tenant = DEFAULT_TENANT): string[] {
  const keys = update.coveredDays.length > 0 ? [coverageKey(huntId, tenant)] : [];
  return [...new Set([...keys, ...update.sightings.map((s) => historyKey(huntId, s.kind, s.name, tenant))])];
}

/** Fields that make an item's meaning; `rev` and `updatedAt` change on every write and do not count. */
const MEANING = ['subject', 'name', 'days', 'targets', 'targetCount', 'expiresAt'] as const;

/**
 * True when `next` says what the stored item already says: nothing to write. A scheduled run
 * re-reads its overlap every few minutes and sees the same subjects on the same day; those cost a
 * read, not a write.
 */
function unchanged(raw: Record<string, unknown> | undefined, next: Record<string, unknown>): boolean {
  return raw !== undefined && MEANING.every((f) => JSON.stringify(raw[f]) === JSON.stringify(next[f]));
}

/** The items to put for `update`, each merged with what `item` returns for its key (restricted to `only` when given). */
export function planHistoryWrites(
  huntId: string, update: HistoryUpdate, item: (key: string) => Record<string, unknown> | undefined, now: number, only?: ReadonlySet<string>,
  tenant = DEFAULT_TENANT,
): HistoryWrite[] {
  const writes: HistoryWrite[] = [];
  const stored = (key: string): { raw: Record<string, unknown> | undefined; rev: number | null; absent: boolean } => {
    const raw = item(key);
    // An expired item starts over (its days no longer count) but its rev still guards the put.
    const expired = raw !== undefined && isExpired(raw['expiresAt'], now);
    return { raw: expired ? undefined : raw, rev: revOf(raw), absent: raw === undefined };
  };
  const merged = new Map<string, { kind: SubjectKind; name: string; days: number[]; targets: string[] }>();
  for (const s of update.sightings) {
    const key = historyKey(huntId, s.kind, s.name, tenant);
    const m = merged.get(key) ?? { kind: s.kind, name: s.name, days: [], targets: [] };
    m.days.push(...s.days);
    m.targets.push(...s.targets);
    merged.set(key, m);
  }
  if (update.coveredDays.length > 0) {
    const key = coverageKey(huntId, tenant);
    if (only === undefined || only.has(key)) {
      const { raw, rev, absent } = stored(key);
      const item = { pk: key, ...mergeCoverage(readCoverage(raw), rev, update.coveredDays, update.keepDays, now) };
      if (!unchanged(raw, item)) writes.push({ key, expectedRev: rev, absent, item });
    }
  }
  for (const [key, s] of merged) {
    if (only !== undefined && !only.has(key)) continue;
    const { raw, rev, absent } = stored(key);
    const record = mergeSubject(readSubject(raw, s.kind, s.name), rev, s, update.keepDays, now);
    const item = { pk: key, ...record, days: [...record.days], targets: [...record.targets] };
    if (!unchanged(raw, item)) writes.push({ key, expectedRev: rev, absent, item });
  }
  return writes;
}
