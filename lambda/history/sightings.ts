/** What one chunk adds to the history: who ran remote wmic creation on which days, to which targets. Pure. */
import { createHash } from 'node:crypto';
import { UNKNOWN_HOST } from '../detect/index.js';
import { hostIdentity } from '../hosts/index.js';
import type { Finding } from '../finding.js';
import type { TimeWindow } from '../pipeline-types.js';
import { dayOf, daysOfWindow } from './days.js';
import { HISTORY_EXTRA_DAYS, type HistoryQuery, type HistorySettings, type HistoryUpdate, type Sighting, type SubjectKind } from './types.js';

/** Longest name kept (a key must stay far below DynamoDB's 2,048-byte partition key). */
export const SUBJECT_NAME_LIMIT = 256;

/** The name a subject is kept under: trimmed, lower-cased (hosts and users compare case-insensitively), capped. */
export function subjectName(name: string | null): string | null {
  const n = name?.trim().toLowerCase().slice(0, SUBJECT_NAME_LIMIT) ?? '';
  return n === '' ? null : n;
}

/** The name a source host is kept under; null for the detector's stand-in for a row without a host. */
export function hostName(sourceHost: string): string | null {
  return sourceHost === UNKNOWN_HOST ? null : subjectName(hostIdentity(sourceHost));
}

/** A short, stable hash of a target: enough to count distinct targets without storing host names. */
export function targetHash(target: string): string {
  return createHash('sha256').update(hostIdentity(target), 'utf8').digest('hex').slice(0, 16);
}

/** Day entries each item keeps for these settings. */
export function keepDaysFor(settings: HistorySettings): number {
  return settings.historyBaselineDays + HISTORY_EXTRA_DAYS;
}

/** The hosts and users a chunk's findings need history for. */
export function historyQuery(findings: readonly Pick<Finding, 'sourceHost' | 'user'>[]): HistoryQuery {
  const hosts = new Set<string>();
  const users = new Set<string>();
  for (const f of findings) {
    const host = hostName(f.sourceHost);
    const user = subjectName(f.user);
    if (host !== null) hosts.add(host);
    if (user !== null) users.add(user);
  }
  return { hosts: [...hosts], users: [...users] };
}

/** A chunk's days in order, as a reader of the update expects them. */
function ascending(days: ReadonlySet<number>): number[] {
  // Stryker disable next-line MethodExpression,ArithmeticOperator: the store merges them with mergeDays, which sorts them again
  return [...days].sort((a, b) => a - b);
}

/**
 * The chunk's sightings: every finding counts (repeats, suppressed and below-minimum ones too:
 * what is normal does not depend on what was notified), on the days of its events.
 */
export function sightingsOf(findings: readonly Finding[], window: TimeWindow, settings: HistorySettings): HistoryUpdate {
  const bySubject = new Map<string, { kind: SubjectKind; name: string; days: Set<number>; targets: Set<string> }>();
  const add = (kind: SubjectKind, name: string | null, f: Finding): void => {
    if (name === null) return;
    const key = `${kind}\n${name}`;
    const entry = bySubject.get(key) ?? { kind, name, days: new Set<number>(), targets: new Set<string>() };
    entry.days.add(dayOf(f.firstSeen)).add(dayOf(f.lastSeen));
    entry.targets.add(targetHash(f.targetHost));
    bySubject.set(key, entry);
  };
  for (const f of findings) {
    add('host', hostName(f.sourceHost), f);
    add('user', subjectName(f.user), f);
  }
  const sightings: Sighting[] = [...bySubject.values()].map((s) => ({
    kind: s.kind, name: s.name, days: ascending(s.days), targets: [...s.targets],
  }));
  return { coveredDays: daysOfWindow(window), sightings, keepDays: keepDaysFor(settings) };
}
