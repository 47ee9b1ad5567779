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
  FindingNotFoundError,
  StateInputError,
  StateCorruptError,
} from './errors.js';
export { KEY_PREFIX, findingKey, checkpointKey, leaseKey } from './keys.js';
export { RECENT_EVENT_IDS_LIMIT } from './dedupe.js';
export { assertNoProblems, confirmationsProblems, markNotifiedProblems, prepareFindings, timeProblems } from './validate.js';
export { applyChange, decide, readStoredState, readSentNotice } from './dedupe.js';
export { huntIdProblems } from './keys.js';
export { checkpointProblems, leaseAvailable, leaseProblems, newLease, nextCheckpoint, readCheckpointRecord } from './control.js';
