/**
 * The tenant's query slots in this process's memory, for the CLI: the same rules as the DynamoDB
 * adapter (lambda/state/query-slots.ts), so a local run against a real tenant never holds more
 * than three of its four parallel queries.
 */
import { QUERY_SLOTS, SLOT_CLOCK_SKEW_MS, StateInputError, slotFree, slotOrder, slotRequestProblems } from '../../lambda/state/index.js';
import type { QuerySlotLease, QuerySlots } from '../../lambda/state-ports.js';

export class MemoryQuerySlots implements QuerySlots {
  readonly #held = new Map<string, { owner: string; leaseUntil: number }>();
  #next = 0;

  constructor(private readonly slots: number = QUERY_SLOTS, private readonly skewMs: number = SLOT_CLOCK_SKEW_MS) {}

  tryAcquire(tenant: string, owner: string, now: number, leaseUntil: number): Promise<QuerySlotLease | null> {
    const problems = slotRequestProblems(tenant, owner, now, leaseUntil);
    if (problems.length > 0) return Promise.reject(new StateInputError('tryAcquire', problems));
    this.#next += 1;
    for (const slot of slotOrder(this.#next, this.slots)) {
      const key = `${tenant}#${slot}`;
      if (!slotFree(this.#held.get(key)?.leaseUntil, now, this.skewMs)) continue;
      this.#held.set(key, { owner, leaseUntil });
      return Promise.resolve({ tenant, slot, owner });
    }
    return Promise.resolve(null);
  }

  release(lease: QuerySlotLease): Promise<void> {
    const key = `${lease.tenant}#${lease.slot}`;
    if (this.#held.get(key)?.owner === lease.owner) this.#held.delete(key);
    return Promise.resolve();
  }
}
