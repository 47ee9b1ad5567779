/**
 * The "awaiting late evidence" list, the pure core shared by the DynamoDB and file adapters: one
 * bounded item per hunt (`AWAIT#<huntId>`) listing the pairs notified `not-seen`/`unavailable`,
 * kept until the confirmation horizon has passed.
 */
import { SEVERITIES } from '../finding.js';
import type { AwaitingPair } from '../ports.js';
import { fingerprintProblems, huntIdProblems } from './keys.js';
import { expiresAtFor } from './time.js';
import { timeProblems } from './validate.js';

/**
 * Pairs listed per hunt. When more are due, the least severe go first (lowest severity, then
 * lowest risk, then the oldest notification): a flood of low pairs cannot push a critical pair out
 * of its follow-up.
 */
export const AWAITING_LIMIT = 200;
/** Keeps the item well below DynamoDB's 400 KB item limit, whatever the commands' length. */
const AWAITING_MAX_CHARS = 300_000;

export interface AwaitingChange {
  readonly add: readonly AwaitingPair[];
  readonly remove: readonly string[];
}

const within = (e: AwaitingPair, now: number, horizonMs: number): boolean => now - e.notifiedAt <= horizonMs;

/** The stored list read leniently (a hand-edited entry is skipped), without the entries past the horizon. */
export function readAwaitingList(raw: unknown, now: number, horizonMs: number): AwaitingPair[] {
  const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const entries = Array.isArray(s['entries']) ? s['entries'].filter(isAwaitingPair) : [];
  return entries.filter((e) => within(e, now, horizonMs)).sort((a, b) => a.notifiedAt - b.notifiedAt);
}

/** Most severe first; on a tie the riskier, then the newer notification. */
function moreSevere(a: AwaitingPair, b: AwaitingPair): number {
  return SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || b.riskScore - a.riskScore || b.notifiedAt - a.notifiedAt;
}

/** The list after `change`: one entry per pair (the first notification kept), bounded to the most severe, oldest first. */
export function mergeAwaiting(raw: unknown, change: AwaitingChange, now: number, horizonMs: number): AwaitingPair[] {
  const removed = new Set(change.remove);
  const byFingerprint = new Map<string, AwaitingPair>();
  for (const e of [...readAwaitingList(raw, now, horizonMs), ...change.add.map(awaitingPair)]) {
    if (removed.has(e.fingerprint) || byFingerprint.has(e.fingerprint) || !within(e, now, horizonMs)) continue;
    byFingerprint.set(e.fingerprint, e);
  }
  const kept = [...byFingerprint.values()].sort(moreSevere).slice(0, AWAITING_LIMIT);
  // No emptiness guard needed: an empty list is "[]", 2 characters, so the loop always ends.
  while (JSON.stringify(kept).length > AWAITING_MAX_CHARS) kept.pop();
  return kept.sort((a, b) => a.notifiedAt - b.notifiedAt);
}

/** The item's expiry: when its newest entry passes the horizon. */
export function awaitingExpiresAt(entries: readonly AwaitingPair[], now: number, horizonMs: number): number {
  return expiresAtFor(Math.max(now, ...entries.map((e) => e.notifiedAt)) + horizonMs);
}

/** Problems with readAwaiting's / updateAwaiting's arguments. */
export function awaitingProblems(huntId: unknown, now: unknown, horizonMs: unknown, change?: unknown): string[] {
  const problems = [...huntIdProblems(huntId), ...timeProblems(now, 'now'), ...timeProblems(horizonMs, 'horizonMs', { positive: true })];
  if (change === undefined) return problems;
  const c = (typeof change === 'object' && change !== null ? change : {}) as Record<string, unknown>;
  if (!Array.isArray(c['add'])) problems.push('change.add must be an array');
  else c['add'].forEach((e, i) => { if (!isAwaitingPair(e)) problems.push(`change.add[${i}] must be an awaiting pair (fingerprint, hosts, times, severity)`); });
  if (!Array.isArray(c['remove'])) problems.push('change.remove must be an array');
  else c['remove'].forEach((f, i) => problems.push(...fingerprintProblems(f, `change.remove[${i}]`)));
  return problems;
}

function awaitingPair(e: AwaitingPair): AwaitingPair {
  return {
    fingerprint: e.fingerprint, sourceHost: e.sourceHost, targetHost: e.targetHost, remoteCommand: e.remoteCommand, user: e.user,
    firstSeen: e.firstSeen, lastSeen: e.lastSeen, severity: e.severity, riskScore: e.riskScore, notifiedAt: e.notifiedAt,
    ...(isTime(e.arrivedAt) && isTime(e.arrivedLateMs) ? { arrivedAt: e.arrivedAt, arrivedLateMs: e.arrivedLateMs } : {}),
  };
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isTextOrNull = (v: unknown): boolean => v === null || typeof v === 'string';

function isAwaitingPair(v: unknown): v is AwaitingPair {
  const e = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  return isText(e['fingerprint']) && fingerprintProblems(e['fingerprint']).length === 0 && isText(e['sourceHost']) && isText(e['targetHost']) &&
    isTextOrNull(e['remoteCommand']) && isTextOrNull(e['user']) && isTime(e['firstSeen']) && isTime(e['lastSeen']) &&
    isTime(e['notifiedAt']) && Number.isFinite(e['riskScore']) &&
    (SEVERITIES as readonly unknown[]).includes(e['severity']);
}
