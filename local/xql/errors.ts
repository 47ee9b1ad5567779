/**
 * Errors of the local XQL engine.
 *
 * A parse error carries the 1-based line and column of the offending token, what the parser
 * expected there and what it found, so the emulator can answer like XSIAM's `parse_err`
 * (`{ line, column, message }`).
 */

/** The query text is outside the supported XQL subset or malformed. */
export class XqlParseError extends Error {
  override readonly name = 'XqlParseError' as const;
  readonly line: number;
  readonly column: number;
  readonly expected: string;
  readonly found: string;

  constructor(line: number, column: number, expected: string, found: string, options?: { cause?: unknown }) {
    super(`line ${line}, column ${column}: expected ${expected}, found ${found}`, options);
    this.line = line;
    this.column = column;
    this.expected = expected;
    this.found = found;
  }
}

/** `runXql` was given a time window it cannot apply (non-finite bounds). */
export class XqlWindowError extends Error {
  override readonly name = 'XqlWindowError' as const;
  readonly from: unknown;
  readonly to: unknown;

  constructor(from: unknown, to: unknown) {
    super(`time window bounds must be finite epoch milliseconds, got from=${String(from)} to=${String(to)}`);
    this.from = from;
    this.to = to;
  }
}
