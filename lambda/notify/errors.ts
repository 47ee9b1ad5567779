/** Errors of the notify module. Publish failures are reported in PublishOutcome.failed, not thrown. */

/** Base class of every notify error. */
export class NotifyError extends Error {
  override readonly name: string = 'NotifyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A notifier was built with options that cannot work (empty topic ARN, storm limit below 1). */
export class NotifyConfigError extends NotifyError {
  override readonly name = 'NotifyConfigError';
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(message);
  }
}

/** One finding could not be rendered (malformed record); the other findings still go out. */
export class RenderError extends NotifyError {
  override readonly name = 'RenderError';
  constructor(
    message: string,
    readonly fingerprint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
