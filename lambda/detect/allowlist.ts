/**
 * The versioned allowlist (lambda/hunts/allowlist.json): validation, expiry and matching.
 * Format and semantics are documented in README.md ("Allowlist").
 */
import type { Suppression } from '../finding.js';
import { AllowlistError } from './errors.js';
import { globMatch } from './glob.js';
import { baseName, normaliseCommand } from './text.js';

export const ALLOWLIST_SCHEMA_VERSION = 1;
/** Fields an entry can match on; every field an entry gives must match. */
export const MATCH_FIELDS = ['sourceHost', 'targetHost', 'user', 'parentImage', 'causalitySha256', 'commandGlob', 'commandRegex'] as const;
const META_FIELDS = ['id', 'owner', 'reason', 'expires'] as const;

export interface AllowlistEntry {
  readonly id: string;
  readonly owner: string;
  readonly reason: string;
  /** YYYY-MM-DD: the entry applies through the end of that day (UTC). */
  readonly expires: string;
  readonly expiresAt: number;
  readonly sourceHost?: string;
  readonly targetHost?: string;
  readonly user?: string;
  readonly parentImage?: string;
  readonly causalitySha256?: string;
  readonly commandGlob?: string;
  readonly commandRegex?: RegExp;
}

export interface Allowlist {
  readonly schemaVersion: number;
  readonly entries: readonly AllowlistEntry[];
  /** Ids already expired at load time (only when `now` was given to loadAllowlist). */
  readonly expiredAtLoad: readonly string[];
}

/** What a finding offers to the allowlist. */
export interface AllowlistSubject {
  readonly sourceHost: string | null;
  readonly targetHost: string;
  readonly user: string | null;
  readonly parentImage: string | null;
  readonly parentImagePath?: string | null;
  readonly causalitySha256: string | null;
  readonly remoteCommand: string | null;
}

/** End of the given YYYY-MM-DD day (UTC) in epoch ms, or null when it is not a real date. */
function endOfDay(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const start = Date.UTC(y, mo - 1, d);
  const check = new Date(start);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return Date.UTC(y, mo - 1, d + 1);
}

function validateEntry(raw: unknown, index: number, problems: string[]): AllowlistEntry | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`entry #${index}: not an object`);
    return null;
  }
  const e = raw as Record<string, unknown>;
  const label = typeof e['id'] === 'string' && e['id'].trim() !== '' ? `entry "${e['id']}"` : `entry #${index}`;
  const before = problems.length;
  for (const f of META_FIELDS) {
    if (typeof e[f] !== 'string' || (e[f] as string).trim() === '') problems.push(`${label}: missing ${f}`);
  }
  const expiresAt = typeof e['expires'] === 'string' ? endOfDay(e['expires']) : null;
  if (typeof e['expires'] === 'string' && expiresAt === null) problems.push(`${label}: expires must be a date YYYY-MM-DD`);
  for (const key of Object.keys(e)) {
    if (!(META_FIELDS as readonly string[]).includes(key) && !(MATCH_FIELDS as readonly string[]).includes(key)) {
      problems.push(`${label}: unknown field "${key}"`);
    }
  }
  const given = MATCH_FIELDS.filter((f) => e[f] !== undefined);
  if (given.length === 0) problems.push(`${label}: no match field (one of ${MATCH_FIELDS.join(', ')})`);
  for (const f of given) {
    if (typeof e[f] !== 'string' || (e[f] as string).trim() === '') problems.push(`${label}: ${f} must be a non-empty string`);
  }
  let regex: RegExp | undefined;
  if (typeof e['commandRegex'] === 'string') {
    try {
      regex = new RegExp(e['commandRegex'], 'i');
    } catch {
      problems.push(`${label}: commandRegex is not a valid regular expression`);
    }
  }
  if (typeof e['causalitySha256'] === 'string' && !/^[0-9a-fA-F]{64}$/.test(e['causalitySha256'])) {
    problems.push(`${label}: causalitySha256 must be 64 hex digits`);
  }
  if (problems.length > before || expiresAt === null) return null;
  const str = (f: string): string | undefined => (typeof e[f] === 'string' ? (e[f] as string) : undefined);
  return {
    id: e['id'] as string, owner: e['owner'] as string, reason: e['reason'] as string, expires: e['expires'] as string, expiresAt,
    ...(str('sourceHost') !== undefined && { sourceHost: str('sourceHost') }),
    ...(str('targetHost') !== undefined && { targetHost: str('targetHost') }),
    ...(str('user') !== undefined && { user: str('user') }),
    ...(str('parentImage') !== undefined && { parentImage: str('parentImage') }),
    ...(str('causalitySha256') !== undefined && { causalitySha256: str('causalitySha256')!.toLowerCase() }),
    ...(str('commandGlob') !== undefined && { commandGlob: normaliseCommand(str('commandGlob')!) }),
    ...(regex !== undefined && { commandRegex: regex }),
  };
}

/**
 * Validates a parsed allowlist file; throws AllowlistError listing every bad entry by id or index.
 * Expired entries are valid (they stop applying); with `now`, their ids are listed in `expiredAtLoad`.
 */
export function loadAllowlist(json: unknown, now?: number): Allowlist {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new AllowlistError(['the allowlist must be an object']);
  const doc = json as Record<string, unknown>;
  const problems: string[] = [];
  if (doc['schemaVersion'] !== ALLOWLIST_SCHEMA_VERSION) problems.push(`schemaVersion must be ${ALLOWLIST_SCHEMA_VERSION}`);
  if (!Array.isArray(doc['entries'])) problems.push('entries must be an array');
  const rawEntries: unknown[] = Array.isArray(doc['entries']) ? doc['entries'] : [];
  const entries: AllowlistEntry[] = [];
  const seen = new Set<string>();
  rawEntries.forEach((raw, index) => {
    const entry = validateEntry(raw, index, problems);
    if (entry === null) return;
    if (seen.has(entry.id)) problems.push(`entry "${entry.id}": duplicate id`);
    seen.add(entry.id);
    entries.push(entry);
  });
  if (problems.length > 0) throw new AllowlistError(problems);
  const expiredAtLoad = now === undefined ? [] : entries.filter((e) => isExpired(e, now)).map((e) => e.id);
  return { schemaVersion: ALLOWLIST_SCHEMA_VERSION, entries, expiredAtLoad };
}

/** True once the entry's expiry day (UTC) has ended. */
export function isExpired(entry: AllowlistEntry, now: number): boolean {
  return now >= entry.expiresAt;
}

/** Ids of the entries that no longer apply at `now`. */
export function expiredEntryIds(allowlist: Allowlist, now: number): string[] {
  return allowlist.entries.filter((e) => isExpired(e, now)).map((e) => e.id);
}

function entryMatches(e: AllowlistEntry, s: AllowlistSubject): boolean {
  const glob = (pattern: string | undefined, value: string | null | undefined): boolean =>
    pattern === undefined || (value !== null && value !== undefined && globMatch(pattern, value));
  if (!glob(e.sourceHost, s.sourceHost)) return false;
  if (!glob(e.targetHost, s.targetHost)) return false;
  if (!glob(e.user, s.user)) return false;
  if (e.parentImage !== undefined) {
    const byPath = e.parentImage.includes('\\');
    const value = byPath ? (s.parentImagePath ?? null) : s.parentImage === null ? null : baseName(s.parentImage);
    if (!glob(e.parentImage, value)) return false;
  }
  if (e.causalitySha256 !== undefined && (s.causalitySha256 ?? '').toLowerCase() !== e.causalitySha256) return false;
  if (e.commandGlob !== undefined && !glob(e.commandGlob, s.remoteCommand === null ? null : normaliseCommand(s.remoteCommand))) return false;
  if (e.commandRegex !== undefined && (s.remoteCommand === null || !e.commandRegex.test(s.remoteCommand))) return false;
  return true;
}

/** The first live entry that matches the subject, as a Suppression; expired entries never match. */
export function matchAllowlist(allowlist: Allowlist, subject: AllowlistSubject, now: number): Suppression | null {
  for (const e of allowlist.entries) {
    if (!isExpired(e, now) && entryMatches(e, subject)) return { entryId: e.id, owner: e.owner, reason: e.reason, expires: e.expires };
  }
  return null;
}
