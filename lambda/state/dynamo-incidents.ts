/**
 * Incidents over DynamoDB: reads are BatchGetItem (host index, then incidents), writes are Puts
 * grouped into TransactWriteItems (up to 100 per request, a few in flight): no round trip per pair.
 * A run holds the hunt's lease, so no other writer races these items; the puts are unconditional.
 */
import type { Incident } from '../incidents/index.js';
import { batchGetItems } from './dynamo-batch.js';
import type { FindingTableContext } from './dynamo-findings.js';
import { TRANSACT_CONCURRENCY, itemBytes, sizedGroups, submitActions } from './dynamo-transact.js';
import { incidentItems, readIncidentsVia } from './incidents.js';
import { mapLimit } from './limit.js';

export function readIncidentsInTable(ctx: FindingTableContext, huntId: string, hosts: readonly string[], now: number): Promise<Incident[]> {
  return readIncidentsVia((keys) => batchGetItems(ctx.client, ctx.tableName, keys, ctx.batchGet), huntId, hosts, now);
}

export async function writeIncidentsInTable(ctx: FindingTableContext, huntId: string, incidents: readonly Incident[], now: number, ttlMs: number): Promise<void> {
  const items = incidentItems(huntId, incidents, now, ttlMs);
  await mapLimit(sizedGroups(items, itemBytes), TRANSACT_CONCURRENCY, (group) =>
    submitActions(ctx.client, 'writeIncidents', group.map((Item) => ({ Put: { TableName: ctx.tableName, Item } })), ctx.write));
}
