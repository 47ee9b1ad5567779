/**
 * Incidents over DynamoDB: reads are BatchGetItem (host index, then incidents), writes are Puts
 * grouped into TransactWriteItems (up to 100 per request, a few in flight): no round trip per pair.
 * A run holds the hunt's lease, so no other writer races these items; the puts are unconditional.
 */
import type { TrackedFinding } from '../finding.js';
import type { Incident, IncidentEvidence } from '../incidents/index.js';
import { batchGetItems } from './dynamo-batch.js';
import type { FindingTableContext } from './dynamo-findings.js';
import { putGuardedByRev, type ProgressTable } from './dynamo-progress.js';
import { TRANSACT_CONCURRENCY, itemBytes, sizedGroups, submitActions } from './dynamo-transact.js';
import { incidentItems, nextEvidenceItem, readIncidentsVia } from './incidents.js';
import { findingKey, incidentEvidenceKey } from './keys.js';
import { mapLimit } from './limit.js';
import { storedPair } from './stored-pairs.js';

export function readIncidentsInTable(ctx: FindingTableContext, huntId: string, hosts: readonly string[], now: number): Promise<Incident[]> {
  return readIncidentsVia((keys) => batchGetItems(ctx.client, ctx.tableName, keys, ctx.batchGet), huntId, hosts, now, ctx.tenant);
}

export async function writeIncidentsInTable(ctx: FindingTableContext, huntId: string, incidents: readonly Incident[], now: number, ttlMs: number): Promise<void> {
  const items = incidentItems(huntId, incidents, now, ttlMs, ctx.tenant);
  await mapLimit(sizedGroups(items, itemBytes), TRANSACT_CONCURRENCY, (group) =>
    submitActions(ctx.client, 'writeIncidents', group.map((Item) => ({ Put: { TableName: ctx.tableName, Item } })), ctx.write));
}

/** The stored pairs with these fingerprints: one batched read of their finding items. */
export async function readPairsInTable(ctx: FindingTableContext, huntId: string, fingerprints: readonly string[], now: number): Promise<TrackedFinding[]> {
  if (fingerprints.length === 0) return [];
  const items = await batchGetItems(ctx.client, ctx.tableName, [...new Set(fingerprints)].map((fp) => findingKey(huntId, fp, ctx.tenant)), ctx.batchGet, 'readPairs');
  return [...items.values()].map((raw) => storedPair(raw, huntId, now)).filter((p): p is TrackedFinding => p !== null);
}

/** The incident's evidence item, read and put guarded by `rev` (the pair's hunt may write its incident meanwhile: another item). */
export async function recordIncidentEvidenceInTable(
  t: ProgressTable, huntId: string, incidentId: string, evidence: readonly IncidentEvidence[], now: number, ttlMs: number,
): Promise<void> {
  await putGuardedByRev(t, 'recordIncidentEvidence', incidentEvidenceKey(huntId, incidentId, t.tenant), (current) => nextEvidenceItem(current, evidence, now, ttlMs));
}
