/** Errors of target-side confirmation. */
import type { TargetEvidence } from './types.js';

export class ConfirmError extends Error {
  override readonly name: string = 'ConfirmError';
}

/**
 * The evidence could not be (fully) collected. `partial` holds what did come back (null parts
 * for what failed), so the stage can still say `confirmed` or `unmanaged` where it knows, and
 * `unavailable` elsewhere. `cause` is the underlying XSIAM error (e.g. XsiamAuthError).
 */
export class TargetEvidenceError extends ConfirmError {
  override readonly name = 'TargetEvidenceError';
  constructor(message: string, readonly partial: TargetEvidence, options: { cause: unknown }) {
    super(message, options);
  }
}
