/**
 * Shadow log and backfill progress, the pure core shared by the DynamoDB and file adapters:
 * item shapes, bounds, expiry and the merge rules, so both stores keep the same items.
 */
import { SEVERITIES } from '../finding.js';
import type { TimeWindow } from '../pipeline-types.js';
import type { ShadowEntry, ShadowLog } from '../ports.js';
import { huntIdProblems } from './keys.js';
import { expiresAtFor } from './time.js';
import { timeProblems } from './validate.js';

/** Pairs listed per shadow-log day; more are counted in `dropped` (keeps the item far below 400 KB). */
export const SHADOW_LOG_LIMIT = 200;
/** A shadow-log day is kept this long after it ends (the report reads the last day; a week helps a late look). */
export const SHADOW_LOG_TTL_MS = 8 * 24 * 3_600_000;
/** Backfill progress is kept this long after its last chunk (a resume weeks later starts over). */
export const BACKFILL_TTL_MS = 30 * 24 * 3_600_000;
const COMMAND_CHARS = 200;

/** The UTC day (`YYYY-MM-DD`) of an epoch-ms instant. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** One entry per pair: the first sighting of the day is kept, later ones of the same pair add nothing. */
export function mergeShadowEntries(stored: unknown, incoming: readonly ShadowEntry[]): { entries: ShadowEntry[]; dropped: number } {
  const s = (typeof stored === 'object' && stored !== null ? stored : {}) as Record<string, unknown>;
  const entries = Array.isArray(s['entries']) ? s['entries'].filter(isShadowEntry) : [];
  let dropped = typeof s['dropped'] === 'number' && Number.isFinite(s['dropped']) ? s['dropped'] : 0;
  const known = new Set(entries.map((e) => e.fingerprint));
  for (const entry of incoming) {
    if (known.has(entry.fingerprint)) continue;
    known.add(entry.fingerprint);
    if (entries.length < SHADOW_LOG_LIMIT) entries.push(shadowEntry(entry));
    else dropped += 1;
  }
  return { entries, dropped };
}

/** The stored shadow-log item read leniently: a hand-edited entry is skipped, not fatal to the report. */
export function readShadowLog(raw: Record<string, unknown> | undefined, day: string): ShadowLog {
  const { entries, dropped } = mergeShadowEntries(raw, []);
  return { day, entries, dropped };
}

/** The item's expiry: a week after the end of its day. */
export function shadowExpiresAt(day: string): number {
  return expiresAtFor(Date.parse(`${day}T00:00:00Z`) + 24 * 3_600_000 + SHADOW_LOG_TTL_MS);
}

function shadowEntry(e: ShadowEntry): ShadowEntry {
  const command = e.remoteCommand === null ? null : e.remoteCommand.length > COMMAND_CHARS ? `${e.remoteCommand.slice(0, COMMAND_CHARS)}…` : e.remoteCommand;
  return {
    fingerprint: e.fingerprint, sourceHost: e.sourceHost, targetHost: e.targetHost, severity: e.severity,
    riskScore: e.riskScore, reasons: [...e.reasons], remoteCommand: command, seenAt: e.seenAt,
  };
}

function isShadowEntry(v: unknown): v is ShadowEntry {
  const e = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  return typeof e['fingerprint'] === 'string' && typeof e['sourceHost'] === 'string' && typeof e['targetHost'] === 'string'
    && (SEVERITIES as readonly unknown[]).includes(e['severity']) && typeof e['riskScore'] === 'number'
    && Array.isArray(e['reasons']) && typeof e['seenAt'] === 'number';
}

export function shadowProblems(huntId: unknown, entries: unknown, now: unknown): string[] {
  const problems = [...huntIdProblems(huntId), ...timeProblems(now, 'now')];
  if (!Array.isArray(entries)) problems.push('entries must be an array');
  else entries.forEach((e, i) => { if (!isShadowEntry(e)) problems.push(`entries[${i}] is not a shadow entry`); });
  return problems;
}

export function dayProblems(day: unknown): string[] {
  // Stryker disable next-line Regex: the read-back below needs day === toISOString().slice(0, 10), always a whole YYYY-MM-DD (or ±YYYYYY-MM, refused either way), so a dropped ^ or $ lets nothing more through
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return ['day must be a UTC date YYYY-MM-DD'];
  const ms = Date.parse(`${day}T00:00:00Z`);
  // Date.parse rolls 2026-02-31 over to 3 March: the day must read back as itself
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === day ? [] : ['day must be a UTC date YYYY-MM-DD'];
}

/** `from-to` of a chunk, the member of the stored set. */
export function chunkId(chunk: TimeWindow): string {
  return `${chunk.from}-${chunk.to}`;
}

/** The chunk windows of a stored progress set (a DynamoDB string set or the file store's array). */
export function readBackfillChunks(raw: Record<string, unknown> | undefined): TimeWindow[] {
  const done = raw?.['chunksDone'];
  const ids: unknown[] = done instanceof Set ? [...(done as Set<unknown>)] : Array.isArray(done) ? done : [];
  const chunks: TimeWindow[] = [];
  for (const id of ids) {
    const m = typeof id === 'string' ? /^(\d+)-(\d+)$/.exec(id) : null;
    if (m) chunks.push({ from: Number(m[1]), to: Number(m[2]) });
  }
  return chunks.sort((a, b) => a.from - b.from);
}

export function backfillExpiresAt(now: number): number {
  return expiresAtFor(now + BACKFILL_TTL_MS);
}

export function windowProblems(w: unknown, label: string): string[] {
  const o = (typeof w === 'object' && w !== null ? w : {}) as Record<string, unknown>;
  const problems = [...timeProblems(o['from'], `${label}.from`), ...timeProblems(o['to'], `${label}.to`)];
  if (problems.length === 0 && (o['from'] as number) >= (o['to'] as number)) problems.push(`${label}.from must be before ${label}.to`);
  return problems;
}

export function backfillProblems(huntId: unknown, range: unknown, chunk?: unknown): string[] {
  const problems = [...huntIdProblems(huntId), ...windowProblems(range, 'range')];
  if (chunk !== undefined) {
    problems.push(...windowProblems(chunk, 'chunk'));
    const r = range as TimeWindow;
    const c = chunk as TimeWindow;
    if (problems.length === 0 && (c.from < r.from || c.to > r.to)) problems.push('chunk must lie inside range');
  }
  return problems;
}
