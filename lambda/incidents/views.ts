/** The views of an incident other parts read: the notifier's, and the run summary's. */
import type { Incident, IncidentSummary, IncidentView } from './types.js';

export function viewOf(i: Incident): IncidentView {
  return { id: i.id, chain: [...i.chain], severity: i.severity, threadId: i.threadId, pairCount: i.pairCount };
}

export function summaryOf(i: Incident): IncidentSummary {
  return {
    id: i.id, chain: [...i.chain],
    pairs: i.pairs.map((p) => ({ source: p.source, target: p.target })),
    severity: i.severity, firstSeen: i.firstSeen, lastSeen: i.lastSeen,
  };
}
