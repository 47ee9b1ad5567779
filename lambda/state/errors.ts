/**
 * Errors of the state store. Adapters translate vendor errors (DynamoDB SDK, file system) into
 * these at the boundary; `retryable` tells the shell whether a later attempt may succeed.
 */

/** Base of every state-store failure. */
export class StateError extends Error {
  override readonly name: string = 'StateError';
  /** True when the same call may succeed later (throttling, contention, a server fault). */
  readonly retryable: boolean;
  /** The store operation that failed, e.g. `recordFindings`. */
  readonly operation: string;

  constructor(message: string, options: { operation: string; retryable?: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.operation = options.operation;
    this.retryable = options.retryable ?? false;
  }
}

/** The backend refused for capacity reasons (DynamoDB throttling after the SDK's own retries). */
export class StateThrottledError extends StateError {
  override readonly name = 'StateThrottledError';
  constructor(operation: string, readonly code: string, options: { cause: unknown }) {
    super(`State store throttled during ${operation} (${code})`, { operation, retryable: true, cause: options.cause });
  }
}

/** Any other backend failure (missing table, access denied, validation, server fault). */
export class StateBackendError extends StateError {
  override readonly name = 'StateBackendError';
  constructor(operation: string, readonly code: string, retryable: boolean, options: { cause: unknown }) {
    super(`State store failed during ${operation} (${code})`, { operation, retryable, cause: options.cause });
  }
}

/** The checkpoint's stored version is not the one the writer expected: another run moved it. */
export class CheckpointConflictError extends StateError {
  override readonly name = 'CheckpointConflictError';
  constructor(
    readonly huntId: string,
    readonly expectedVersion: number | null,
    /** Version found in the store (null: none), when the backend reported it. */
    readonly actualVersion: number | null | undefined,
    options: { cause?: unknown } = {},
  ) {
    super(
      `Checkpoint of ${huntId} changed underneath: expected version ${expectedVersion ?? 'none'}, found ${actualVersion === undefined ? 'another' : (actualVersion ?? 'none')}`,
      { operation: 'writeCheckpoint', retryable: false, cause: options.cause },
    );
  }
}

/** BatchGetItem kept returning UnprocessedKeys after every back-off attempt. */
export class UnprocessedKeysError extends StateError {
  override readonly name = 'UnprocessedKeysError';
  constructor(readonly remaining: number, readonly attempts: number, operation = 'recordFindings') {
    super(`BatchGetItem left ${remaining} keys unprocessed after ${attempts} attempts`, {
      operation,
      retryable: true,
    });
  }
}

/** Concurrent writers kept changing the same finding items; nothing was lost, try the run again. */
export class RecordContentionError extends StateError {
  override readonly name = 'RecordContentionError';
  constructor(readonly keys: readonly string[], readonly rounds: number) {
    super(`${keys.length} finding item(s) kept changing concurrently after ${rounds} rounds`, {
      operation: 'recordFindings',
      retryable: true,
    });
  }
}

/** Concurrent writers kept changing the same history items; the chunk is hunted again by the next run. */
export class HistoryContentionError extends StateError {
  override readonly name = 'HistoryContentionError';
  constructor(readonly keys: readonly string[], readonly rounds: number) {
    super(`${keys.length} history item(s) kept changing concurrently after ${rounds} rounds`, {
      operation: 'recordHistory',
      retryable: true,
    });
  }
}

/** markNotified named findings the store does not hold; the others were marked. */
export class FindingNotFoundError extends StateError {
  override readonly name = 'FindingNotFoundError';
  constructor(readonly huntId: string, readonly fingerprints: readonly string[]) {
    super(`markNotified: ${fingerprints.length} finding(s) of ${huntId} are not stored: ${fingerprints.slice(0, 5).join(', ')}`, {
      operation: 'markNotified',
    });
  }
}

/** An argument is not usable (empty hunt id, non-finite time, malformed finding); nothing was written. */
export class StateInputError extends StateError {
  override readonly name = 'StateInputError';
  constructor(operation: string, readonly problems: readonly string[]) {
    super(`${operation}: invalid input: ${problems.join('; ')}`, { operation });
  }
}

/** Stored data this code cannot use: the embedded store's file, or an item edited by hand. */
export class StateCorruptError extends StateError {
  override readonly name = 'StateCorruptError';
  constructor(
    /** The file path or item key. */
    readonly where: string,
    readonly problem: string,
    options: { operation: string; cause?: unknown },
  ) {
    super(`${where} is unreadable: ${problem}`, options);
  }
}
