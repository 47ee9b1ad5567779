/** Detection: wmic command-line analysis, risk scoring and allowlists. What other folders may use. */
export { analyzeCommandLine, RECORD_KINDS, type RecordKind, type WmicAnalysis } from './analyze.js';
export { createDetector, UNKNOWN_HOST, type DetectorOptions } from './detector.js';
export {
  loadAllowlist, matchAllowlist, expiredEntryIds, isExpired, ALLOWLIST_SCHEMA_VERSION, MATCH_FIELDS,
  type Allowlist, type AllowlistEntry, type AllowlistSubject,
} from './allowlist.js';
export { DEFAULT_ALLOWLIST } from './default-allowlist.js';
export { assessRisk, severityFor, type RiskAssessment } from './risk.js';
export { RISK_REASONS, type RiskReasonCode } from './risk-reasons.js';
export { reasonsOf, scoreOf, type ReasonTable } from './reason-table.js';
export { findingFingerprint } from './fingerprint.js';
export { redactSecrets } from './redact.js';
export { capText } from './text.js';
export { DetectError, RowShapeError, AllowlistError } from './errors.js';
export { MAX_PAIRS_PER_SOURCE, MAX_TARGETS_PER_ROW } from './caps.js';
