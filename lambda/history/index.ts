/** History: what is normal here, per source host and per user, and the reasons it adds. */
export { applyHistory, historyStatus, DANGEROUS_PAYLOADS, type HistoryVerdict, type Judged } from './apply.js';
export { dayOf, daysInBaseline, daysOfWindow, mergeDays, referenceDay } from './days.js';
export {
  historyExpiresAt, mergeCoverage, mergeSubject, readCoverage, readSubject, revOf, type CoverageRecord, type SubjectRecord,
} from './record.js';
export { historyQuery, hostName, keepDaysFor, sightingsOf, subjectName, targetHash, SUBJECT_NAME_LIMIT } from './sightings.js';
export {
  DAY_MS, HISTORY_EXTRA_DAYS, HISTORY_MAX_TARGETS,
  type HistoryQuery, type HistorySettings, type HistoryStatus, type HistoryUpdate, type HuntHistory, type Sighting, type SubjectHistory, type SubjectKind,
} from './types.js';
