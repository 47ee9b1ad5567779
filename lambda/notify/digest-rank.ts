/**
 * What every rendering of the storm digest shares: the pairs ranked by risk, the highest
 * severity, and the statement that the digest replaces the per-pair messages.
 */
import { SEVERITIES, type Severity, type TrackedFinding } from '../finding.js';
import type { NotificationContext } from '../ports.js';
import { num } from './payload.js';

/** One digest, ranked once and rendered three ways (email, Chatbot, `default` JSON). */
export interface Digest {
  /** Every pair the digest covers, highest risk first. */
  readonly ranked: readonly TrackedFinding[];
  /** Highest valid severity among the pairs, or null. */
  readonly severity: Severity | null;
  /** The storm limit that was exceeded, quoted in the text. */
  readonly stormLimit: number;
  /** The statement every rendering opens with. */
  readonly statement: string;
}

function score(f: TrackedFinding): number {
  // Stryker disable next-line ConditionalExpression: the left operand as true is equivalent, Number.isFinite is false for every non-number (the whole condition's true/false are killed in test/notify/digest-rank-survivors.test.ts)
  return typeof f.riskScore === 'number' && Number.isFinite(f.riskScore) ? f.riskScore : -Infinity;
}

/** Findings by risk score, then event count, then most recent (ties broken by fingerprint for stable output). */
export function byRisk(fs: readonly TrackedFinding[]): TrackedFinding[] {
  return [...fs].sort(
    (a, b) =>
      score(b) - score(a) ||
      (num(b.count) ?? 0) - (num(a.count) ?? 0) ||
      (num(b.lastSeen) ?? 0) - (num(a.lastSeen) ?? 0) ||
      String(a.fingerprint).localeCompare(String(b.fingerprint)),
  );
}

/** Highest finite risk score among `fs`, or null. */
export function topScore(fs: readonly TrackedFinding[]): number | null {
  const best = fs.reduce((m, f) => Math.max(m, score(f)), -Infinity);
  return Number.isFinite(best) ? best : null;
}

/** Highest valid severity among `fs`. */
export function maxSeverity(fs: readonly TrackedFinding[]): Severity | null {
  let best = -1;
  for (const f of fs) best = Math.max(best, SEVERITIES.indexOf(f.severity));
  return SEVERITIES[best] ?? null;
}

/** The statement every digest rendering opens with. */
function replacedStatement(n: number, limit: number): string {
  return (
    `This run found ${n} new host pairs, more than the storm limit of ${limit}: ` +
    `this digest replaces the ${n} per-pair messages (none of them was sent separately).`
  );
}

/** Totals line of the run. */
export function totalsText(ctx: NotificationContext): string {
  const t = ctx.totals;
  return `Run totals: ${t.findings} findings, ${t.newPairs} new host pairs, ${t.repeats} repeats (already notified), ${t.suppressed} suppressed by allowlists.`;
}

/** Ranks `fs` once for the three renderings. */
export function planDigest(fs: readonly TrackedFinding[], stormLimit: number): Digest {
  return { ranked: byRisk(fs), severity: maxSeverity(fs), stormLimit, statement: replacedStatement(fs.length, stormLimit) };
}
