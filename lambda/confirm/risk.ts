/**
 * The confirmation's effect on risk: `target.confirmed` (the attack reached the target) raises the
 * score more than `target.unmanaged` (a blind spot). Points come from the one reason table
 * (lambda/detect/risk-reasons.ts); score and severity are re-derived the way detection does.
 *
 * A routine source (`history.routine-source`) whose launch the target confirms gets
 * `target.confirmed-routine` (0 points) instead: confirmation of a routine admin action is
 * expected, not suspicious. Every due pair is checked before the minimum severity is applied, so
 * without this a routine helpdesk pair just under the minimum would be lifted across it.
 */
import { RISK_REASONS, severityFor } from '../detect/index.js';
import type { Finding, RiskReason } from '../finding.js';
import type { Confirmation } from './types.js';

const CONFIRMED_CODES: readonly string[] = ['target.confirmed', 'target.confirmed-routine'];

const isRoutine = (finding: Pick<Finding, 'reasons'> | undefined): boolean =>
  finding?.reasons.some((r) => r.code === 'history.routine-source') ?? false;

/**
 * The reason a confirmation adds to `finding`, or null (`not-seen` and `unavailable` add none).
 * @param finding - the pair judged; @default none (not routine)
 */
export function confirmationReason(c: Confirmation, finding?: Pick<Finding, 'reasons'>): RiskReason | null {
  if (c.status === 'confirmed') {
    const code = isRoutine(finding) ? 'target.confirmed-routine' : 'target.confirmed';
    return { code, ...RISK_REASONS[code] };
  }
  if (c.status === 'unmanaged') return { code: 'target.unmanaged', ...RISK_REASONS['target.unmanaged'] };
  return null;
}

/** `finding` with the confirmation's reason added (once) and its score (0–100) and severity re-derived. */
export function applyConfirmation<F extends Finding>(finding: F, c: Confirmation): F {
  const reason = confirmationReason(c, finding);
  if (reason === null) return finding;
  const same = CONFIRMED_CODES.includes(reason.code) ? CONFIRMED_CODES : [reason.code];
  if (finding.reasons.some((r) => same.includes(r.code))) return finding;
  const riskScore = Math.max(0, Math.min(100, finding.riskScore + reason.points));
  return { ...finding, riskScore, severity: severityFor(riskScore), reasons: [...finding.reasons, reason] };
}
