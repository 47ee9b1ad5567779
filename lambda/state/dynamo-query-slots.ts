/**
 * The tenant's query slots in the hunt table: one item per slot (`QSLOT#<tenant>#<n>`), taken with
 * a put conditional on the slot being free or its lease run out, and given back with a delete
 * conditional on the owner. Of two runs taking the same slot one write lands; the other tries the
 * next slot. A Lambda that dies holding a slot frees it when its lease runs out.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { QuerySlotLease, QuerySlots } from '../state-ports.js';
import { guarded, isConditionalCheckFailed } from './dynamo-errors.js';
import { StateInputError } from './errors.js';
import { querySlotKey } from './keys.js';
import { QUERY_SLOTS, SLOT_CLOCK_SKEW_MS, slotOrder, slotRequestProblems } from './query-slots.js';
import { expiresAtFor } from './time.js';

export interface DynamoQuerySlotsOptions {
  /** A DynamoDBClient (wrapped in a Document client here) or a ready DynamoDBDocumentClient. */
  readonly client: DynamoDBClient | DynamoDBDocumentClient;
  readonly tableName: string;
  /** @default QUERY_SLOTS (3) */
  readonly slots?: number;
  /** @default SLOT_CLOCK_SKEW_MS (2 s) */
  readonly skewMs?: number;
  /** Where each attempt starts among the slots. @default random */
  readonly start?: () => number;
}

/** QuerySlots over one DynamoDB item per slot. */
export class DynamoQuerySlots implements QuerySlots {
  private readonly doc: DynamoDBDocumentClient;
  private readonly slots: number;
  private readonly skewMs: number;

  constructor(private readonly opts: DynamoQuerySlotsOptions) {
    this.doc = opts.client instanceof DynamoDBDocumentClient ? opts.client : DynamoDBDocumentClient.from(opts.client);
    this.slots = opts.slots ?? QUERY_SLOTS;
    this.skewMs = opts.skewMs ?? SLOT_CLOCK_SKEW_MS;
    if (!Number.isInteger(this.slots) || this.slots < 1 || this.slots > 4) {
      throw new StateInputError('DynamoQuerySlots', ['slots must be a whole number from 1 to 4 (XSIAM runs at most 4 queries of a tenant)']);
    }
  }

  async tryAcquire(tenant: string, owner: string, now: number, leaseUntil: number): Promise<QuerySlotLease | null> {
    const problems = slotRequestProblems(tenant, owner, now, leaseUntil);
    if (problems.length > 0) throw new StateInputError('tryAcquire', problems);
    const start = this.opts.start?.() ?? Math.floor(Math.random() * this.slots);
    for (const slot of slotOrder(start, this.slots)) {
      try {
        await guarded('acquireQuerySlot', () => this.doc.send(new PutCommand({
          TableName: this.opts.tableName,
          // expiresAt lets TTL remove a dead holder's item a day later; the condition reads leaseUntil.
          Item: { pk: querySlotKey(tenant, slot), owner, leaseUntil, acquiredAt: now, expiresAt: expiresAtFor(leaseUntil + 86_400_000) },
          ConditionExpression: 'attribute_not_exists(pk) OR #until < :stale',
          ExpressionAttributeNames: { '#until': 'leaseUntil' },
          ExpressionAttributeValues: { ':stale': now - this.skewMs },
        })));
        return { tenant, slot, owner };
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
      }
    }
    return null;
  }

  async release(lease: QuerySlotLease): Promise<void> {
    try {
      await guarded('releaseQuerySlot', () => this.doc.send(new DeleteCommand({
        TableName: this.opts.tableName,
        Key: { pk: querySlotKey(lease.tenant, lease.slot) },
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': lease.owner },
      })));
    } catch (err) {
      // Taken over after our lease ran out (or already gone): it is no longer ours to free.
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }
}
