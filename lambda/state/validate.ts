/**
 * Input checks at the store's edge: every problem is named at once, before anything is written,
 * so a malformed argument fails clearly instead of half-recording a run or crashing on a TypeError.
 */
import type { Finding } from '../finding.js';
import { StateInputError } from './errors.js';
import { findingKey, fingerprintProblems, huntIdProblems } from './keys.js';
import { mergeEventIds } from './dedupe.js';
import { CONFIRMATION_STATUSES } from '../confirm/index.js';

const NULLABLE = ['remoteCommand', 'user', 'lineUser', 'parentImage', 'parentCommandLine', 'causalitySha256', 'agentId', 'suppressed'] as const;

/** Throws one StateInputError listing `problems`, if there are any. */
export function assertNoProblems(operation: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new StateInputError(operation, problems);
}

/** Problems with a time argument (epoch ms or a duration). */
export function timeProblems(value: unknown, label: string, { positive = false } = {}): string[] {
  if (typeof value !== 'number' || !Number.isFinite(value)) return [`${label} must be a finite number`];
  if (positive && value <= 0) return [`${label} must be greater than 0`];
  return [];
}

function findingProblems(finding: unknown, index: number): string[] {
  const at = `findings[${index}]`;
  if (typeof finding !== 'object' || finding === null) return [`${at} is not an object`];
  const f = finding as Record<string, unknown>;
  const problems = [...huntIdProblems(f['huntId'], `${at}.huntId`), ...fingerprintProblems(f['fingerprint'], `${at}.fingerprint`)];
  if (!Array.isArray(f['eventIds']) || !f['eventIds'].every((id) => typeof id === 'string')) problems.push(`${at}.eventIds must be an array of strings`);
  problems.push(...timeProblems(f['firstSeen'], `${at}.firstSeen`), ...timeProblems(f['lastSeen'], `${at}.lastSeen`));
  return problems;
}

/** Plain data only: drops `undefined` inside nested values (the DynamoDB marshaller rejects it). */
function plain<T>(value: T): T {
  // a string comes back from the round trip as it went in: most of these fields are strings, and
  // serialising each command line twice per finding was a tenth of the decide stage
  // Stryker disable next-line ConditionalExpression: a shortcut: the JSON round trip returns every string unchanged
  if (typeof value === 'string') return value;
  // Stryker disable next-line ConditionalExpression: `value === null` -> false is equivalent (JSON round-trips null to null); the other conditions are killed by validate-survivors.test.ts
  return value === undefined || value === null ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function normalise(finding: Finding): Finding {
  const copy: Record<string, unknown> = { ...finding, reasons: plain(finding.reasons) ?? [] };
  for (const field of NULLABLE) copy[field] = plain(finding[field]) ?? null;
  for (const [k, v] of Object.entries(copy)) if (v === undefined) delete copy[k];
  return copy as unknown as Finding;
}

/**
 * Validates a run's findings and folds findings with the same key into one (event ids united,
 * first/last seen widened): one key may appear once per BatchGetItem call.
 */
export function prepareFindings(findings: readonly Finding[]): Finding[] {
  if (!Array.isArray(findings)) throw new StateInputError('recordFindings', ['findings must be an array']);
  assertNoProblems('recordFindings', findings.flatMap((f, i) => findingProblems(f, i)));
  const byKey = new Map<string, Finding>();
  for (const finding of findings) {
    const key = findingKey(finding.huntId, finding.fingerprint);
    const earlier = byKey.get(key);
    if (earlier === undefined) {
      byKey.set(key, normalise(finding));
      continue;
    }
    byKey.set(key, {
      ...earlier,
      eventIds: mergeEventIds(earlier.eventIds, finding.eventIds, Number.MAX_SAFE_INTEGER).eventIds,
      firstSeen: Math.min(earlier.firstSeen, finding.firstSeen),
      lastSeen: Math.max(earlier.lastSeen, finding.lastSeen),
    });
  }
  return [...byKey.values()];
}

/** Problems with markNotified's arguments. */
export function markNotifiedProblems(huntId: unknown, fingerprints: unknown, now: unknown): string[] {
  const problems = [...huntIdProblems(huntId), ...timeProblems(now, 'now')];
  if (!Array.isArray(fingerprints)) problems.push('fingerprints must be an array');
  else fingerprints.forEach((f, i) => problems.push(...fingerprintProblems(f, `fingerprints[${i}]`)));
  return problems;
}

/** `confirmations` of markNotified: absent, or a map of fingerprint → a known confirmation status. */
export function confirmationsProblems(confirmations: unknown): string[] {
  if (confirmations === undefined) return [];
  if (!(confirmations instanceof Map)) return ['confirmations must be a Map of fingerprint to confirmation status'];
  const problems: string[] = [];
  for (const [fingerprint, status] of confirmations as Map<unknown, unknown>) {
    if (!(CONFIRMATION_STATUSES as readonly unknown[]).includes(status)) {
      problems.push(`confirmations[${String(fingerprint).slice(0, 80)}] must be one of ${CONFIRMATION_STATUSES.join(', ')} (got ${String(status).slice(0, 40)})`);
    }
  }
  return problems;
}

/** `claim` of recordFindings (absent, or a run id and a positive maximum run duration). */
export function claimProblems(claim: unknown): string[] {
  if (claim === undefined) return [];
  if (typeof claim !== 'object' || claim === null) return ['claim must be an object with runId and maxRunMs'];
  const { runId, maxRunMs } = claim as Record<string, unknown>;
  const problems = timeProblems(maxRunMs, 'claim.maxRunMs', { positive: true });
  if (typeof runId !== 'string' || runId.length === 0 || runId.length > 200) problems.push('claim.runId must be a string of 1 to 200 characters');
  return problems;
}
