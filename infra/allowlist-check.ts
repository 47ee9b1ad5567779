/**
 * The allowlist is bundled into the Lambda and validated when the Lambda loads it, so a bad entry
 * would deploy fine and then fail every run. The synth validates the same file with the same code
 * first and stops, naming each bad entry.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// The validator itself, not lambda/detect/index.js: that index also loads the bundled allowlist at
// import, which would throw a bare stack trace before this check could name the entry.
import { loadAllowlist } from '../lambda/detect/index.js';
import { AllowlistError } from '../lambda/detect/index.js';
import type { SynthWarning } from './context.js';

/** The allowlist the Lambda bundles (see lambda/detect/default-allowlist.ts). */
export const ALLOWLIST_FILE = fileURLToPath(new URL('../lambda/hunts/allowlist.json', import.meta.url));

/** The allowlist file is not valid; `problems` names each bad entry by id or index. */
export class AllowlistFileError extends Error {
  override readonly name = 'AllowlistFileError';
  constructor(readonly file: string, readonly problems: readonly string[], options?: ErrorOptions) {
    super(`Invalid allowlist ${file} (nothing was synthesized):\n  - ${problems.join('\n  - ')}`, options);
  }
}

/**
 * Validates the allowlist file; throws AllowlistFileError listing every problem. Returns warnings
 * for entries that have already expired (they deploy, but no longer suppress anything).
 */
export function checkAllowlistFile(file: string = ALLOWLIST_FILE, now: number = Date.now()): SynthWarning[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AllowlistFileError(file, [`not readable as JSON: ${err instanceof Error ? err.message : String(err)}`], { cause: err });
  }
  try {
    const allowlist = loadAllowlist(json, now);
    return allowlist.expiredAtLoad.map((id) => ({
      id: `hunt:allowlistExpired:${id}`,
      message: `Allowlist entry "${id}" in ${file} has expired and no longer suppresses anything: renew or remove it.`,
    }));
  } catch (err) {
    if (err instanceof AllowlistError) throw new AllowlistFileError(file, err.problems, { cause: err });
    throw err;
  }
}
