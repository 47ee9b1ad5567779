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

/** An error class's name where a message quotes it (`XsiamNetworkError: …`): the reader needs the words only. */
const CLASS_PREFIX = /\b(?:[A-Z][a-z0-9]+){1,6}(?:Error|Exception): /g;

/**
 * The one-line form main prints on stderr: the message and each cause in words, without class
 * names, and each cause once (a wrapper often repeats its cause's message already).
 */
export function errorLine(err: unknown): string {
  let text = '';
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 6; e = e instanceof Error ? e.cause : undefined, depth += 1) {
    const words = (e instanceof Error ? e.message : String(e)).replace(CLASS_PREFIX, '').trim();
    if (words === '' || text.includes(words)) continue;
    text = text === '' ? words : `${text}: ${words}`;
  }
  return text === '' ? 'the command failed without a message' : text;
}

/** A file named on the command line, or a refusal that names the option, the path and the reason (exit 2). */
export async function readOrRefuse<T>(flag: string, file: string, read: (file: string) => Promise<T>): Promise<T> {
  try {
    return await read(file);
  } catch (err) {
    throw new RunRefusedError(`${flag} ${file}: cannot read it (${(err as { code?: string }).code ?? 'error'})`);
  }
}
