/** Errors of the local command line, and how any error is described to a user (never with secrets). */

/** The run was not started, for a reason the user can act on (exit 2 with the message, no usage text). */
export class RunRefusedError extends Error {
  override readonly name = 'RunRefusedError';
}

/** Not one row of an events file could be read (exit 1). */
export class EventsUnreadableError extends Error {
  override readonly name = 'EventsUnreadableError';
}

/** Name, message and causes, without stack noise; messages of this product carry no secrets. */
export function describeError(err: unknown): { name: string; message: string; cause: string | null } {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), cause: null };
  const cause = err.cause === undefined ? null : oneLine(err.cause);
  return { name: err.name, message: err.message, cause };
}

function oneLine(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return `${err.name}: ${err.message}${err.cause === undefined ? '' : ` (cause: ${oneLine(err.cause)})`}`;
}

/** The one-line form main prints on stderr. */
export function errorLine(err: unknown): string {
  const d = describeError(err);
  return `${d.name}: ${d.message}${d.cause ? ` (cause: ${d.cause})` : ''}`;
}
