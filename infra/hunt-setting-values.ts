/**
 * The values of one hunt's own settings in `hunt:hunts.<id>` besides its schedule: mode,
 * minSeverity, allowlist and routing. Each parser returns the value or pushes a problem that names
 * `hunt:hunts.<id>.<key>` and the fix. The allowlist is validated by the code the Lambda loads it
 * with (lambda/detect), as the bundled one is (infra/allowlist-check.ts).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { AllowlistError, loadAllowlist, type Allowlist } from '../lambda/detect/index.js';
import { SEVERITIES, type Severity } from '../lambda/finding.js';
import { HUNT_MODES } from '../lambda/hunt-config.js';

/** Where a hunt's findings go: the shared findings topic (filter on `huntId`), or a topic of its own. */
export const HUNT_ROUTINGS = ['shared', 'own'] as const;
export type HuntRouting = (typeof HUNT_ROUTINGS)[number];

/** A hunt's own allowlist as the Lambda receives it (the file format of lambda/hunts/allowlist.json). */
export interface HuntAllowlistJson {
  readonly schemaVersion: number;
  readonly entries: readonly unknown[];
}

const REPO_ROOT = resolve(import.meta.dirname, '..');

export function parseHuntMode(key: string, raw: unknown, problems: string[]): (typeof HUNT_MODES)[number] | undefined {
  if (raw === undefined) return undefined;
  if ((HUNT_MODES as readonly unknown[]).includes(raw)) return raw as (typeof HUNT_MODES)[number];
  problems.push(`${key} must be one of ${HUNT_MODES.join(', ')} (got ${JSON.stringify(raw)?.slice(0, 40)}); leave it out to follow hunt:mode`);
  return undefined;
}

export function parseHuntSeverity(key: string, raw: unknown, problems: string[]): Severity | undefined {
  if (raw === undefined) return undefined;
  if ((SEVERITIES as readonly unknown[]).includes(raw)) return raw as Severity;
  problems.push(`${key} must be one of ${SEVERITIES.join(', ')} (got ${JSON.stringify(raw)?.slice(0, 40)}); leave it out to follow hunt:minSeverity`);
  return undefined;
}

export function parseHuntRouting(key: string, raw: unknown, problems: string[]): HuntRouting {
  if (raw === undefined) return 'shared';
  if ((HUNT_ROUTINGS as readonly unknown[]).includes(raw)) return raw as HuntRouting;
  problems.push(`${key} must be "shared" (the findings topic; subscribers filter on huntId) or "own" (a topic for this hunt) (got ${JSON.stringify(raw)?.slice(0, 40)})`);
  return 'shared';
}

/**
 * A hunt's own allowlist: a list of entries in the allowlist file's format, or the path (from the
 * repository root) of a file in that format. `bundled` is the stack-wide allowlist: an id both use
 * would make a suppression ambiguous.
 */
export function parseHuntAllowlist(key: string, raw: unknown, bundled: Allowlist | undefined, problems: string[]): HuntAllowlistJson | undefined {
  if (raw === undefined) return undefined;
  let doc: unknown;
  let where = key;
  if (Array.isArray(raw)) doc = { schemaVersion: 1, entries: raw };
  else if (typeof raw === 'string' && raw.trim() !== '') {
    where = `${key} (${raw.slice(0, 120)})`;
    try {
      doc = JSON.parse(readFileSync(isAbsolute(raw) ? raw : resolve(REPO_ROOT, raw), 'utf8'));
    } catch (err) {
      problems.push(`${where} must be a readable JSON allowlist file (path from the repository root): ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`);
      return undefined;
    }
  } else {
    problems.push(`${key} must be a list of allowlist entries (README, "Allowlist") or the path of an allowlist file, e.g. "hunts/<ID>.allowlist.json"`);
    return undefined;
  }
  try {
    const own = loadAllowlist(doc);
    const clash = own.entries.filter((e) => bundled?.entries.some((b) => b.id === e.id));
    for (const e of clash) problems.push(`${where}: entry "${e.id}" has the id of an entry of lambda/hunts/allowlist.json (give it its own id)`);
    return clash.length > 0 ? undefined : (doc as HuntAllowlistJson);
  } catch (err) {
    if (!(err instanceof AllowlistError)) throw err;
    problems.push(...err.problems.map((p) => `${where}: ${p}`));
    return undefined;
  }
}

/**
 * Lambda environment variables share 4 KB (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html):
 * the per-hunt settings may take half of it, the rest is the run settings and resource names.
 */
export const MAX_HUNT_SETTINGS_BYTES = 2_048;
