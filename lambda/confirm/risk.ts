/**
 * The confirmation's effect on risk: `target.confirmed` (the attack reached the target) raises the
 * score more than `target.unmanaged` (a blind spot). Points come from the one reason table
 * (lambda/detect/risk-reasons.ts); score and severity are re-derived the way detection does.
 */
import { RISK_REASONS, severityFor } from '../detect/index.js';
import type { Finding, RiskReason } from '../finding.js';
import type { Confirmation } from './types.js';

/** The reason a confirmation adds, or null (`not-seen` and `unavailable` add none). */
export function confirmationReason(c: Confirmation): RiskReason | null {
  if (c.status === 'confirmed') return { code: 'target.confirmed', ...RISK_REASONS['target.confirmed'] };
  if (c.status === 'unmanaged') return { code: 'target.unmanaged', ...RISK_REASONS['target.unmanaged'] };
  return null;
}

/** `finding` with the confirmation's reason added (once) and its score (0–100) and severity re-derived. */
export function applyConfirmation<F extends Finding>(finding: F, c: Confirmation): F {
  const reason = confirmationReason(c);
  if (reason === null || finding.reasons.some((r) => r.code === reason.code)) return finding;
  const riskScore = Math.max(0, Math.min(100, finding.riskScore + reason.points));
  return { ...finding, riskScore, severity: severityFor(riskScore), reasons: [...finding.reasons, reason] };
}
