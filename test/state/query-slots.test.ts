/**
 * The tenant's query slots (lambda/state-ports.ts QuerySlots), one contract on both adapters:
 * DynamoDB Local (conditional writes, as deployed) and the CLI's in-memory one.
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoQuerySlots, QUERY_SLOTS, SLOT_CLOCK_SKEW_MS, StateInputError, querySlotKey, slotOrder } from '../../lambda/state/index.js';
import type { QuerySlots } from '../../lambda/state-ports.js';
import { MemoryQuerySlots } from '../../local/adapters/index.js';
import { freshTable, localClient } from './dynamo-support.js';

const T0 = Date.UTC(2026, 11, 6, 8, 0, 0);
const MIN = 60_000;

let tableName: string;
beforeAll(async () => {
  tableName = await freshTable(localClient(inject('dynamoDbEndpoint')), 'slots');
});

function contract(name: string, make: () => QuerySlots): void {
  describe(`${name} query slots`, () => {
    const tenant = (): string => `t-${randomUUID().slice(0, 8)}`;

    it('gives out three slots of a tenant, then none, and one again after a release', async () => {
      const slots = make();
      const t = tenant();
      const held = await Promise.all(['a', 'b', 'c'].map((o) => slots.tryAcquire(t, o, T0, T0 + MIN)));
      expect(held.map((l) => l?.slot).sort()).toEqual([0, 1, 2]);
      expect(await slots.tryAcquire(t, 'd', T0, T0 + MIN)).toBeNull();
      // Another tenant has slots of its own.
      expect(await slots.tryAcquire(tenant(), 'x', T0, T0 + MIN)).not.toBeNull();
      await slots.release(held[1]!);
      expect((await slots.tryAcquire(t, 'd', T0 + 1, T0 + MIN))?.slot).toBe(held[1]?.slot);
    });

    it('gives exactly three of ten simultaneous contenders a slot', async () => {
      const slots = make();
      const t = tenant();
      const got = await Promise.all(Array.from({ length: 10 }, (_, i) => slots.tryAcquire(t, `o${i}`, T0, T0 + MIN)));
      expect(got.filter((l) => l !== null)).toHaveLength(QUERY_SLOTS);
      expect(new Set(got.flatMap((l) => (l ? [l.slot] : []))).size).toBe(QUERY_SLOTS);
    });

    it("frees a crashed holder's slot once its lease and the clock-skew slack have run out", async () => {
      const slots = make();
      const t = tenant();
      for (const o of ['dead-1', 'dead-2', 'dead-3']) await slots.tryAcquire(t, o, T0, T0 + MIN);
      // Within the slack the lease still counts: the holder's clock may be behind ours.
      expect(await slots.tryAcquire(t, 'next', T0 + MIN + SLOT_CLOCK_SKEW_MS - 1, T0 + 2 * MIN)).toBeNull();
      const taken = await slots.tryAcquire(t, 'next', T0 + MIN + SLOT_CLOCK_SKEW_MS + 1, T0 + 2 * MIN);
      expect(taken?.owner).toBe('next');
      // The late release of the crashed holder leaves the new owner's slot alone.
      await slots.release({ tenant: t, slot: taken!.slot, owner: `dead-${taken!.slot + 1}` });
      await slots.release({ tenant: t, slot: taken!.slot, owner: 'dead-1' });
      await slots.release({ tenant: t, slot: taken!.slot, owner: 'dead-2' });
      await slots.release({ tenant: t, slot: taken!.slot, owner: 'dead-3' });
      const others = await Promise.all([1, 2].map((i) => slots.tryAcquire(t, `late-${i}`, T0 + MIN + SLOT_CLOCK_SKEW_MS + 2, T0 + 2 * MIN)));
      expect(others.every((l) => l !== null && l.slot !== taken!.slot)).toBe(true);
      expect(await slots.tryAcquire(t, 'one-too-many', T0 + MIN + SLOT_CLOCK_SKEW_MS + 3, T0 + 2 * MIN)).toBeNull();
    });

    it('refuses a bad request, naming what is wrong', async () => {
      const slots = make();
      await expect(slots.tryAcquire('a#b', 'o', T0, T0 + MIN)).rejects.toThrow(/tenant "a#b" must not contain '#'/);
      await expect(slots.tryAcquire('t', '', T0, T0 + MIN)).rejects.toThrow(/owner must be a string of 1 to 200 characters/);
      await expect(slots.tryAcquire('t', 'o', T0, T0)).rejects.toBeInstanceOf(StateInputError);
    });
  });
}

contract('DynamoDB', () => new DynamoQuerySlots({ client: localClient(inject('dynamoDbEndpoint')), tableName }));
contract('in-memory', () => new MemoryQuerySlots());

describe('DynamoDB query slot items', () => {
  it("store the owner and lease under QSLOT#<tenant>#<n>, with a TTL a day past the lease", async () => {
    const client = localClient(inject('dynamoDbEndpoint'));
    const slots = new DynamoQuerySlots({ client, tableName, start: () => 2 });
    const lease = await slots.tryAcquire('item-tenant', 'owner-1', T0, T0 + MIN);
    expect(lease).toEqual({ tenant: 'item-tenant', slot: 2, owner: 'owner-1' });
    const item = (await DynamoDBDocumentClient.from(client).send(new GetCommand({ TableName: tableName, Key: { pk: querySlotKey('item-tenant', 2) } }))).Item;
    expect(item).toMatchObject({ pk: 'QSLOT#item-tenant#2', owner: 'owner-1', leaseUntil: T0 + MIN, acquiredAt: T0, expiresAt: Math.ceil((T0 + MIN + 86_400_000) / 1000) });
  });

  it('refuse more than the four slots XSIAM has', () => {
    expect(() => new DynamoQuerySlots({ client: localClient(inject('dynamoDbEndpoint')), tableName, slots: 5 })).toThrow(/from 1 to 4/);
  });

  it('are tried from a rotating start', () => {
    expect(slotOrder(4)).toEqual([1, 2, 0]);
    expect(slotOrder(-1)).toEqual([2, 0, 1]);
  });
});
