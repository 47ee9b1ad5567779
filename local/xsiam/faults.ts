/** Per-endpoint queues of injected faults, consumed in order. */
import type { Fault, FaultControl, LocalApi } from './types.js';

export class FaultQueue implements FaultControl {
  readonly #queues = new Map<LocalApi, { fault: Fault; left: number }[]>();

  add(endpoint: LocalApi, fault: Fault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`fault.times must be a positive integer, got ${String(times)}`);
    const queue = this.#queues.get(endpoint) ?? [];
    queue.push({ fault, left: times });
    this.#queues.set(endpoint, queue);
  }

  pending(endpoint: LocalApi): number {
    return (this.#queues.get(endpoint) ?? []).reduce((sum, item) => sum + item.left, 0);
  }

  clear(): void {
    this.#queues.clear();
  }

  /** The fault for this request, if any; consumes one use of it. */
  take(endpoint: LocalApi): Fault | undefined {
    const queue = this.#queues.get(endpoint);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.left -= 1;
    if (head.left <= 0) queue.shift();
    return head.fault;
  }
}
