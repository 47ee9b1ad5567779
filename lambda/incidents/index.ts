/** Incidents: the host pairs of one chain of lateral movement grouped into one story (pure core). */
export { DEFAULT_INCIDENT_GAP_MS, INCIDENT_CHAIN_LIMIT, INCIDENT_NAME_MAX, INCIDENT_PAIRS_LIMIT, type Incident, type IncidentPair, type IncidentSummary, type IncidentView } from './types.js';
export { hostKey, newIncidentId } from './hosts.js';
export { planIncidents, type IncidentPlan, type PairInput } from './plan.js';
export { readIncident } from './read.js';
export { summaryOf, viewOf } from './views.js';
export { INCIDENT_EVIDENCE_LIMIT, type IncidentEvidence } from './types.js';
export { evidenceEntry, mergeEvidence, readEvidence } from './evidence.js';
