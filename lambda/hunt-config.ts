/**
 * Each hunt's own settings (context `hunt:hunts.<id>`, validated at synth by infra/hunt-settings.ts),
 * carried to the Lambda in one variable, HUNT_HUNT_SETTINGS: a JSON object of hunt ID →
 * `{ mode?, minSeverity?, topicArn?, allowlist? }`. A hunt's own value wins over the stack-wide one;
 * its allowlist entries apply on top of the bundled allowlist. Parsed strictly at cold start like
 * every other variable: a bad value fails the start naming the hunt and the key.
 */
import type { HandlerConfig } from './config.js';
import { AllowlistError, loadAllowlist, type Allowlist } from './detect/index.js';
import { SEVERITIES, type Severity } from './finding.js';

/** Values of a hunt's `mode` (the same as HUNT_MODE). */
export const HUNT_MODES = ['live', 'shadow'] as const;

/** One hunt's settings as the Lambda reads them. */
export interface HuntOverrides {
  readonly mode?: (typeof HUNT_MODES)[number];
  readonly minSeverity?: Severity;
  /** The hunt's own findings topic (routing `own`); absent: the shared findings topic. */
  readonly topicArn?: string;
  /** Entries that apply to this hunt only, on top of the bundled allowlist. */
  readonly allowlist?: Allowlist;
}

/** Parses HUNT_HUNT_SETTINGS; every problem names the hunt and the key (`<id>.<key> ...`). */
export function parseHuntOverrides(raw: string | undefined): { readonly hunts: Readonly<Record<string, HuntOverrides>>; readonly problems: string[] } {
  const problems: string[] = [];
  if (raw === undefined || raw.trim() === '') return { hunts: {}, problems };
  let given: unknown;
  try {
    given = JSON.parse(raw);
  } catch {
    return { hunts: {}, problems: ['must be a JSON object of hunt ID → settings (got text that is not JSON)'] };
  }
  if (given === null || typeof given !== 'object' || Array.isArray(given)) return { hunts: {}, problems: ['must be a JSON object of hunt ID → settings'] };
  const hunts: Record<string, HuntOverrides> = {};
  for (const [id, value] of Object.entries(given as Record<string, unknown>)) {
    const name = id.slice(0, 100);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${name} must be an object of settings`);
      continue;
    }
    const v = value as Record<string, unknown>;
    const own: { -readonly [K in keyof HuntOverrides]: HuntOverrides[K] } = {};
    for (const key of Object.keys(v)) {
      if (!['mode', 'minSeverity', 'topicArn', 'allowlist'].includes(key)) problems.push(`${name}.${key.slice(0, 60)} is not a per-hunt setting`);
    }
    if (v['mode'] !== undefined) {
      if ((HUNT_MODES as readonly unknown[]).includes(v['mode'])) own.mode = v['mode'] as HuntOverrides['mode'];
      else problems.push(`${name}.mode must be one of ${HUNT_MODES.join(', ')}`);
    }
    if (v['minSeverity'] !== undefined) {
      if ((SEVERITIES as readonly unknown[]).includes(v['minSeverity'])) own.minSeverity = v['minSeverity'] as Severity;
      else problems.push(`${name}.minSeverity must be one of ${SEVERITIES.join(', ')}`);
    }
    if (v['topicArn'] !== undefined) {
      if (typeof v['topicArn'] === 'string' && v['topicArn'].startsWith('arn:')) own.topicArn = v['topicArn'];
      else problems.push(`${name}.topicArn must be an SNS topic ARN`);
    }
    if (v['allowlist'] !== undefined) {
      try {
        own.allowlist = loadAllowlist(v['allowlist']);
      } catch (err) {
        if (!(err instanceof AllowlistError)) throw err;
        problems.push(...err.problems.map((p) => `${name}.allowlist: ${p}`));
      }
    }
    hunts[id] = own;
  }
  return { hunts, problems };
}

/** The handler's configuration for one hunt: its own mode, minimum severity and topic over the stack's. */
export function configForHunt(config: HandlerConfig, huntId: string): HandlerConfig {
  const own = config.hunts?.[huntId];
  if (own === undefined) return config;
  return {
    ...config,
    ...(own.mode !== undefined && { shadow: own.mode === 'shadow' }),
    ...(own.topicArn !== undefined && { topicArn: own.topicArn }),
    ...(own.minSeverity !== undefined && { settings: { ...config.settings, minSeverity: own.minSeverity } }),
  };
}

/** The allowlist one hunt runs with: the bundled one plus the hunt's own entries. */
export function allowlistForHunt(config: HandlerConfig, huntId: string, bundled: Allowlist): Allowlist {
  const own = config.hunts?.[huntId]?.allowlist;
  if (own === undefined) return bundled;
  return { ...bundled, entries: [...bundled.entries, ...own.entries], expiredAtLoad: [...bundled.expiredAtLoad, ...own.expiredAtLoad] };
}

/** The hunts among `ids` that run in shadow (their own mode, else the stack's). */
export function shadowHuntIds(config: HandlerConfig, ids: readonly string[]): string[] {
  return ids.filter((id) => configForHunt(config, id).shadow);
}
