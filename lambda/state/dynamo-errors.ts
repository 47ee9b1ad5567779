/**
 * Translation of DynamoDB SDK errors into StateError subclasses, at the adapter boundary.
 * What is not an AWS or network error (a bug, our own StateError) passes through untouched.
 */
import { StateBackendError, StateError, StateThrottledError } from './errors.js';

/** Error names DynamoDB and the SDK use for "slow down" (kept recognisable: retryable, own class). */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ThrottlingError',
]);

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'TimeoutError']);

/** Transient by nature even when the SDK does not flag them. */
const TRANSIENT = new Set(['TransactionConflictException', 'TransactionInProgressException', 'InternalServerError', 'ServiceUnavailable', 'LimitExceededException']);

interface SdkLike {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: unknown;
  $retryable?: { throttling?: boolean } | undefined;
}

/** True for DynamoDB's ConditionalCheckFailedException (matched by name: it survives bundling and mocks). */
export function isConditionalCheckFailed(err: unknown): err is Error & { Item?: unknown } {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}

/** The StateError to throw for `err` raised during `operation`, or `err` itself when it is not the SDK's. */
export function translateDynamoError(err: unknown, operation: string): unknown {
  // Conditional failures are answers, not faults: each caller turns them into its own outcome.
  if (err instanceof StateError || !(err instanceof Error) || isConditionalCheckFailed(err)) return err;
  const e = err as Error & SdkLike;
  const code = typeof e.code === 'string' && NETWORK.has(e.code) ? e.code : e.name;
  if (THROTTLING.has(code) || e.$retryable?.throttling === true) return new StateThrottledError(operation, code, { cause: err });
  if (NETWORK.has(code)) return new StateBackendError(operation, code, true, { cause: err });
  if (typeof e.$metadata !== 'object' && e.$fault === undefined) return err;
  const retryable = e.$fault === 'server' || e.$retryable !== undefined || TRANSIENT.has(code);
  return new StateBackendError(operation, code, retryable, { cause: err });
}

/** Runs `call`, translating what it throws. */
export async function guarded<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw translateDynamoError(err, operation);
  }
}
