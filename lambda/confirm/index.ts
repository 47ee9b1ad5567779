/** Target-side confirmation: what other folders may use. */
export { CONFIRMATION_STATUSES } from './types.js';
export type {
  Confirmation, ConfirmationStatus, ConfirmPair, ConfirmReport, ManagedAgent, TargetEvent, TargetEvidence,
  TargetEvidenceRequest, TargetEvidenceSource,
} from './types.js';
export { ConfirmError, TargetEvidenceError } from './errors.js';
export { parseTarget, targetMatchesAgent, firstLabel, ipList, type ParsedTarget } from './target.js';
export { normaliseCommand, sameCommand } from './command.js';
export { confirmationRange, pairWindow, DEFAULT_TIMING, type ConfirmTiming } from './range.js';
export { confirmationGroups, JOIN_GAP_MS, MAX_CONFIRM_GROUPS, type ConfirmGroup } from './groups.js';
export { buildConfirmationXql, batches, xqlTime, MAX_TARGETS_PER_QUERY, CONFIRM_ROW_LIMIT, CONFIRM_FIELDS } from './xql.js';
export { toTargetEvents } from './rows.js';
export { judge, judgePair } from './judge.js';
export { confirmationJson, CONFIRMATION_HEADLINES } from './json.js';
export { confirmPairs, type ConfirmStagePorts, type ConfirmStageOptions, type ConfirmStageResult } from './stage.js';
export { confirmationReason, applyConfirmation } from './risk.js';
export { XsiamTargetEvidence, type XsiamEvidenceClient, type XsiamTargetEvidenceOptions } from './xsiam/index.js';
