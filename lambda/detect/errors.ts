/** Errors of the detection module. */

/** Base class of every detection error. */
export class DetectError extends Error {
  override readonly name: string = 'DetectError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A row that cannot be analysed (missing command line, wrong field types). The run's other rows go on. */
export class RowShapeError extends DetectError {
  override readonly name = 'RowShapeError' as const;
  constructor(
    message: string,
    /** The row's event id when it could be read. */
    readonly eventId: string | null,
  ) {
    super(message);
  }
}

/** An allowlist file that breaks the schema; `problems` names each bad entry by id or index. */
export class AllowlistError extends DetectError {
  override readonly name = 'AllowlistError' as const;
  constructor(readonly problems: readonly string[], options?: { cause?: unknown }) {
    super(`invalid allowlist: ${problems.join('; ')}`, options);
  }
}
