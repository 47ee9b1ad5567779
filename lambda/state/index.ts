/**
 * The state store: dedupe records, checkpoint and run lease, over DynamoDB or a local JSON file.
 */
export { DynamoStateStore, type DynamoStateStoreOptions } from './dynamo-store.js';
export { createHuntTable } from './create-table.js';
export {
  StateError,
  StateThrottledError,
  StateBackendError,
  CheckpointConflictError,
  UnprocessedKeysError,
  RecordContentionError,
  HistoryContentionError,
  FindingNotFoundError,
  StateInputError,
  StateCorruptError,
} from './errors.js';
export { KEY_PREFIX, findingKey, checkpointKey, leaseKey, incidentKey, incidentHostKey } from './keys.js';
export { incidentItems, readIncidentsProblems, readIncidentsVia, writeIncidentsProblems } from './incidents.js';
export { backfillKey, shadowKey } from './keys.js';
export {
  SHADOW_LOG_LIMIT, backfillExpiresAt, backfillProblems, chunkId, dayProblems, mergeShadowEntries, readBackfillChunks,
  readShadowLog, shadowExpiresAt, shadowProblems, utcDay,
} from './progress.js';
export { historyKey, coverageKey } from './keys.js';
export { historyQueryProblems, historyUpdateProblems, historyReadKeys, historyWriteKeys, huntHistoryFrom, planHistoryWrites, type HistoryWrite } from './history.js';
export { RECENT_EVENT_IDS_LIMIT } from './dedupe.js';
export { assertNoProblems, claimProblems, confirmationsProblems, markNotifiedProblems, prepareFindings, timeProblems } from './validate.js';
export { LIST_OF, applyChange, claimIsLive, decide, emptyOutcome, readStoredState, readSentNotice, releasedItem, type ClaimOptions } from './dedupe.js';
export { huntIdProblems } from './keys.js';
export { checkpointProblems, leaseAvailable, leaseProblems, newLease, nextCheckpoint, readCheckpointRecord } from './control.js';
export { AWAITING_LIMIT, awaitingExpiresAt, awaitingProblems, mergeAwaiting, readAwaitingList, type AwaitingChange } from './awaiting.js';
export { awaitingKey } from './keys.js';
export { nextSweepMark, readSweepMarkRecord, sweepMarkProblems, sweepNameProblems } from './sweep.js';
export { sweepKey } from './keys.js';
export { DynamoSendBudget, SendBudgetContentionError, PACE_KEY, type DynamoSendBudgetOptions } from './dynamo-pace.js';
export { incidentEvidenceKey } from './keys.js';
export { incidentEvidenceProblems, nextEvidenceItem } from './incidents.js';
export { READ_PAIRS_LIMIT, readPairsProblems, storedPair } from './stored-pairs.js';
export { DEFAULT_TENANT, tenantPrefix, tenantProblems } from './keys.js';
export { DynamoQuerySlots, type DynamoQuerySlotsOptions } from './dynamo-query-slots.js';
export { QUERY_SLOTS, SLOT_CLOCK_SKEW_MS, slotFree, slotOrder, slotRequestProblems } from './query-slots.js';
export { querySlotKey } from './keys.js';
