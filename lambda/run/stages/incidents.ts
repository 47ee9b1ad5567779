/**
 * Stage, incidents (right before publish): the pairs to notify grouped into incidents, joined to
 * the open incidents the store holds for their hosts, stored before anything is published (so a
 * crash or refused publish leaves the ids in place and the next run tells the pairs under them).
 * Two state calls per chunk with pairs: one batched read, one batched write.
 */
import type { TrackedFinding } from '../../finding.js';
import { DEFAULT_INCIDENT_GAP_MS, hostKey, planIncidents, summaryOf, viewOf, type IncidentSummary, type IncidentView } from '../../incidents/index.js';
import type { RunContext } from '../context.js';

export interface Grouped {
  /** The pairs to notify, each with its `incidentId`. */
  readonly toNotify: TrackedFinding[];
  /** What the notifier tells of each incident. */
  readonly views: IncidentView[];
  /** The incidents of this chunk's pairs, for the run summary. */
  readonly incidents: IncidentSummary[];
}

export async function incidents({ ports, request }: RunContext, toNotify: readonly TrackedFinding[]): Promise<Grouped> {
  if (toNotify.length === 0) return { toNotify: [], views: [], incidents: [] };
  const huntId = request.hunt.id;
  const now = ports.clock.now();
  const gapMs = request.settings.incidentGapMs ?? DEFAULT_INCIDENT_GAP_MS;
  const hosts = [...new Set(toNotify.flatMap((f) => [hostKey(f.sourceHost), hostKey(f.targetHost)]))];
  const known = await ports.state.readIncidents(huntId, hosts, now);
  const plan = planIncidents(huntId, toNotify, known, gapMs);
  // Kept as long as the pairs' dedupe records, and never shorter than the gap.
  await ports.state.writeIncidents(huntId, plan.changed, now, Math.max(request.settings.dedupeWindowMs, gapMs));
  return {
    toNotify: toNotify.map((f) => {
      const incidentId = plan.assignment.get(f.fingerprint);
      // Stryker disable next-line ConditionalExpression: planIncidents assigns every pair it is given an incident, so the id is never undefined
      return incidentId === undefined ? f : { ...f, incidentId };
    }),
    views: plan.incidents.map(viewOf),
    incidents: plan.incidents.map(summaryOf),
  };
}
