/**
 * Reason tables, shared by every hunt that scores: a table names each reason once (points over
 * the card's base score, the detail a finding shows), a hunt's rules pick codes from it, and the
 * score is the base plus the points, held to 0–100. The WMIC hunt's table is risk-reasons.ts;
 * the target-side WMI module has its own.
 */
import type { RiskReason, Severity } from '../finding.js';

/** One table: each code with its points (negative lowers, 0 is a note) and its detail. */
export type ReasonTable<C extends string> = Readonly<Record<C, { readonly points: number; readonly detail: string }>>;

/** Severity bands: low < 40 ≤ medium < 70 ≤ high < 90 ≤ critical. */
export function severityFor(score: number): Severity {
  if (score >= 90) return 'critical';
  if (score >= 70) return 'high';
  if (score >= 40) return 'medium';
  return 'low';
}

/** The reasons of these codes (in the order given), as a finding carries them. */
export function reasonsOf<C extends string>(table: ReasonTable<C>, codes: readonly C[]): RiskReason[] {
  return codes.map((code) => ({ code, points: table[code].points, detail: table[code].detail }));
}

/** The base score plus the reasons' points, held to 0–100, with its severity band. */
export function scoreOf(baseScore: number, reasons: readonly RiskReason[]): { riskScore: number; severity: Severity } {
  const riskScore = Math.max(0, Math.min(100, reasons.reduce((sum, r) => sum + r.points, baseScore)));
  return { riskScore, severity: severityFor(riskScore) };
}
