/**
 * Persistence of the embedded store: one JSON file, replaced atomically (temp file + rename),
 * with a lock file so two local runs on the same directory take turns.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StateBackendError, StateCorruptError } from '../../lambda/state/index.js';

export const STATE_FILE = 'state.json';
const FORMAT = 'hunt-state/1';
/** A lock older than this is left over from a crashed process. */
const STALE_LOCK_MS = 30_000;
const LOCK_WAIT_MS = 10_000;
const LOCK_POLL_MS = 20;

export type Items = Record<string, Record<string, unknown>>;

const codeOf = (err: unknown): string => (err as { code?: unknown }).code?.toString() ?? 'UNKNOWN';

/** Reads the items; an absent file is an empty store. */
export async function loadItems(path: string, operation: string): Promise<Items> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return {};
    throw new StateBackendError(operation, codeOf(err), false, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new StateCorruptError(path, 'not JSON', { operation, cause: err });
  }
  const doc = parsed as { format?: unknown; items?: unknown };
  if (typeof parsed !== 'object' || parsed === null || doc.format !== FORMAT) {
    throw new StateCorruptError(path, `not a ${FORMAT} state file`, { operation });
  }
  if (typeof doc.items !== 'object' || doc.items === null || Array.isArray(doc.items)
    || !Object.values(doc.items).every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
    throw new StateCorruptError(path, '"items" is not an object of items', { operation });
  }
  return doc.items as Items;
}

/** Writes the items to a temp file in the same directory, then renames it over the state file. */
export async function saveItems(path: string, dir: string, items: Items, operation: string): Promise<void> {
  const temp = join(dir, `.${STATE_FILE}.${process.pid}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, JSON.stringify({ format: FORMAT, items }), { encoding: 'utf8', flush: true });
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new StateBackendError(operation, codeOf(err), false, { cause: err });
  }
}

/** Runs `fn` holding `<dir>/state.json.lock` (created exclusively; a stale one is broken). */
export async function withFileLock<T>(dir: string, operation: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(dir, `${STATE_FILE}.lock`);
  const deadline = Date.now() + LOCK_WAIT_MS;
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new StateBackendError(operation, codeOf(err), false, { cause: err });
  }
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.close();
      break;
    } catch (err) {
      if (codeOf(err) !== 'EEXIST') throw new StateBackendError(operation, codeOf(err), false, { cause: err });
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_LOCK_MS) await rm(lock, { force: true });
      else if (Date.now() > deadline) throw new StateBackendError(operation, 'LockTimeout', true, { cause: err });
      else await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}
