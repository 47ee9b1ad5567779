/**
 * What "normal here" means for a hunt: per source host and per user, the UTC days on which they
 * ran a remote wmic creation and the targets they reached, plus the days the hunt has covered.
 * Bounded: at most `keepDays` day entries and HISTORY_MAX_TARGETS target hashes per subject.
 */

/** Whose history: the host that ran wmic, or the user that ran it. */
export type SubjectKind = 'host' | 'user';

/** One subject's history as read from the store. */
export interface SubjectHistory {
  readonly kind: SubjectKind;
  /** Lower-cased host or user name. */
  readonly name: string;
  /** Distinct UTC day numbers (epoch ms / 86,400,000, floored), ascending. */
  readonly days: readonly number[];
  /** Hashes of the most recent distinct targets (at most HISTORY_MAX_TARGETS). */
  readonly targets: readonly string[];
  /** Distinct targets reached: exact up to HISTORY_MAX_TARGETS, a lower bound beyond. */
  readonly targetCount: number;
}

/** The history one chunk is judged against: the hunt's coverage and the subjects it asked for. */
export interface HuntHistory {
  /** UTC days the hunt has hunted (any window touching the day), ascending. */
  readonly coveredDays: readonly number[];
  /** By lower-cased host name; subjects never seen are absent. */
  readonly hosts: ReadonlyMap<string, SubjectHistory>;
  /** By lower-cased user name. */
  readonly users: ReadonlyMap<string, SubjectHistory>;
}

/** The subjects to read. Names are lower-cased by the store. */
export interface HistoryQuery {
  readonly hosts: readonly string[];
  readonly users: readonly string[];
}

/** One subject seen in one chunk. */
export interface Sighting {
  readonly kind: SubjectKind;
  readonly name: string;
  readonly days: readonly number[];
  readonly targets: readonly string[];
}

/** What one chunk adds to the history. */
export interface HistoryUpdate {
  /** UTC days the chunk's window touched. */
  readonly coveredDays: readonly number[];
  readonly sightings: readonly Sighting[];
  /** Day entries kept per item (older ones are dropped); also sets the items' TTL. */
  readonly keepDays: number;
}

/** The knobs of history (RunSettings carries them; validated by config.ts). */
export interface HistorySettings {
  /** Days before the chunk's day that count as "normal here". @default 30 */
  readonly historyBaselineDays: number;
  /** A source seen on at least this many distinct baseline days is routine. @default 5 */
  readonly historyRoutineMinDays: number;
  /** History reasons apply only once this many baseline days are covered. @default 7 */
  readonly historyMinCoverageDays: number;
}

/** Where history stands for one chunk, for the run summary. */
export interface HistoryStatus {
  /** True while fewer than `minCoverageDays` baseline days are covered: no history reasons yet. */
  readonly warmingUp: boolean;
  /** Covered days inside the baseline. */
  readonly coveredDays: number;
  readonly minCoverageDays: number;
  readonly baselineDays: number;
  /** False when the history could not be read (the chunk was judged without it). */
  readonly available: boolean;
}

/** Target hashes kept per subject. */
export const HISTORY_MAX_TARGETS = 50;
/** Day entries kept beyond the baseline, so a changed baseline still finds its days. */
export const HISTORY_EXTRA_DAYS = 15;
export const DAY_MS = 86_400_000;
