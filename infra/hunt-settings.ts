/**
 * The hunts a deployment runs and each one's settings. Every card the Lambda bundle embeds
 * (hunts/, via lambda/hunts/cards.generated.ts) runs by default; `hunt:hunts` in the context may
 * give a hunt its own schedule, mode, minSeverity, allowlist and routing:
 * `{ "<hunt ID>": { "schedule": "rate(1 hour)", "mode": "shadow", "routing": "own" } }`. Validated at
 * synth: a broken card (CardError, with its lines), an embedded copy older than hunts/, an unknown
 * hunt ID or setting all stop it with every problem named.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EMBEDDED_CARDS } from '../lambda/hunts/index.js';
import { EMBEDDED_HUNTS } from '../lambda/modules/index.js';
import { DEFAULT_ALLOWLIST, loadAllowlist } from '../lambda/detect/index.js';
import type { Severity } from '../lambda/finding.js';
import type { HUNT_MODES } from '../lambda/hunt-config.js';
import {
  MAX_HUNT_SETTINGS_BYTES, parseHuntAllowlist, parseHuntMode, parseHuntRouting, parseHuntSeverity, type HuntAllowlistJson, type HuntRouting,
} from './hunt-setting-values.js';
import type { SynthWarning } from './context.js';
import { parseSchedule, type ScheduleSpec } from './schedule.js';

/** The settings a hunt may have of its own. */
export const HUNT_SETTING_KEYS = ['schedule', 'mode', 'minSeverity', 'allowlist', 'routing'] as const;

/** One hunt as deployed. */
export interface DeployedHunt {
  readonly id: string;
  /** The hunt's own schedule; undefined: the stack-wide `hunt:schedule`. */
  readonly schedule: ScheduleSpec | undefined;
  /** The hunt's own mode; undefined: the stack-wide `hunt:mode`. */
  readonly mode?: (typeof HUNT_MODES)[number] | undefined;
  /** The hunt's own minimum severity; undefined: the stack-wide `hunt:minSeverity`. */
  readonly minSeverity?: Severity | undefined;
  /** Allowlist entries for this hunt only, on top of the bundled allowlist. */
  readonly allowlist?: HuntAllowlistJson | undefined;
  /** `shared` (default): the findings topic; `own`: a topic of its own. */
  readonly routing?: HuntRouting;
}

const HUNTS_DIR = resolve(import.meta.dirname, '../hunts');

/** Problems with the embedded cards: each card of hunts/ must be embedded as it is now. */
export function embeddedCardProblems(dir: string = HUNTS_DIR): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md').sort();
  const embedded = new Map(EMBEDDED_CARDS.map((c) => [c.file, c.text]));
  const stale = files.filter((f) => embedded.get(`hunts/${f}`) !== readFileSync(join(dir, f), 'utf8'));
  const gone = [...embedded.keys()].filter((f) => !files.includes(f.slice('hunts/'.length)));
  return [...stale, ...gone].length === 0 ? [] : [
    `the Lambda bundle's copy of hunts/ is stale (${[...stale, ...gone].join(', ')}): run npm run cards, then npm run hunt -- validate`,
  ];
}

/** The hunts to deploy with their settings, and the problems of `hunt:hunts`. */
export function parseHuntSettings(raw: unknown, key = 'hunt:hunts'): { readonly hunts: DeployedHunt[]; readonly problems: string[] } {
  const problems: string[] = [];
  const ids = EMBEDDED_HUNTS.map((h) => h.card.id);
  let given: Record<string, unknown> = {};
  if (typeof raw === 'string' && raw.trim() !== '') {
    try {
      given = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      problems.push(`${key} must be a JSON object of hunt ID → settings (got text that is not JSON)`);
    }
  } else if (raw !== undefined && raw !== null && raw !== '') given = raw as Record<string, unknown>;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    problems.push(`${key} must be an object of hunt ID → settings, e.g. {"${ids[0]}": {"schedule": "rate(15 minutes)"}}`);
    given = {};
  }
  for (const id of Object.keys(given)) {
    if (!ids.includes(id)) problems.push(`${key}: "${id.slice(0, 100)}" is not a hunt of hunts/ (the hunts are ${ids.join(', ')})`);
  }
  const hunts = ids.map((id): DeployedHunt => {
    const own = given[id];
    if (own === undefined) return { id, schedule: undefined };
    if (own === null || typeof own !== 'object' || Array.isArray(own)) {
      problems.push(`${key}.${id} must be an object of settings (${HUNT_SETTING_KEYS.join(', ')})`);
      return { id, schedule: undefined };
    }
    const settings = own as Record<string, unknown>;
    for (const k of Object.keys(settings)) {
      if (!(HUNT_SETTING_KEYS as readonly string[]).includes(k)) problems.push(`${key}.${id}.${k.slice(0, 60)} is not a per-hunt setting (they are ${HUNT_SETTING_KEYS.join(', ')})`);
    }
    const at = (k: string): string => `${key}.${id}.${k}`;
    const parsed = settings['schedule'] === undefined ? undefined : parseSchedule(at('schedule'), String(settings['schedule']));
    if (typeof parsed === 'string') problems.push(parsed);
    return {
      id,
      schedule: typeof parsed === 'string' ? undefined : parsed,
      mode: parseHuntMode(at('mode'), settings['mode'], problems),
      minSeverity: parseHuntSeverity(at('minSeverity'), settings['minSeverity'], problems),
      allowlist: parseHuntAllowlist(at('allowlist'), settings['allowlist'], DEFAULT_ALLOWLIST, problems),
      routing: parseHuntRouting(at('routing'), settings['routing'], problems),
    };
  });
  const bytes = Buffer.byteLength(JSON.stringify(huntEnvironment(hunts, () => 'arn:aws:sns:xx-xxxx-1:123456789012:' + 'x'.repeat(60))), 'utf8');
  if (bytes > MAX_HUNT_SETTINGS_BYTES) {
    problems.push(`${key} takes ${bytes} bytes of the Lambda's environment, more than ${MAX_HUNT_SETTINGS_BYTES} (all its variables share 4 KB): move long per-hunt allowlists into lambda/hunts/allowlist.json`);
  }
  return { hunts, problems };
}

/**
 * What the Lambda reads in HUNT_HUNT_SETTINGS (lambda/hunt-config.ts): each hunt with a setting of
 * its own; `topicArn` gives the ARN of a hunt's own topic (routing `own`).
 */
export function huntEnvironment(hunts: readonly DeployedHunt[], topicArn: (id: string) => string): Record<string, Record<string, unknown>> {
  const env: Record<string, Record<string, unknown>> = {};
  for (const h of hunts) {
    const own = {
      ...(h.mode !== undefined && { mode: h.mode }),
      ...(h.minSeverity !== undefined && { minSeverity: h.minSeverity }),
      ...(h.routing === 'own' && { topicArn: topicArn(h.id) }),
      ...(h.allowlist !== undefined && { allowlist: h.allowlist }),
    };
    if (Object.keys(own).length > 0) env[h.id] = own;
  }
  return env;
}

/** Entries of a hunt's own allowlist already expired: they deploy, but no longer suppress anything. */
export function huntAllowlistWarnings(hunts: readonly DeployedHunt[], now: number = Date.now()): SynthWarning[] {
  return hunts.flatMap((h) => (h.allowlist === undefined ? [] : loadAllowlist(h.allowlist, now).expiredAtLoad.map((id) => ({
    id: `hunt:allowlistExpired:${h.id}:${id}`,
    message: `Allowlist entry "${id}" of hunt:hunts.${h.id}.allowlist has expired and no longer suppresses anything: renew or remove it.`,
  }))));
}
