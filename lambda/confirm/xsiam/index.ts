/** The XSIAM adapter of TargetEvidenceSource. */
export { XsiamTargetEvidence, type XsiamEvidenceClient, type XsiamTargetEvidenceOptions } from './adapter.js';
