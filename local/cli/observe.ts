/**
 * Decorators over the run's ports that let the local tool tell the whole story of a run without
 * changing the pipeline: which pairs the store judged (new, pending, repeats) and how far the
 * queries have got. They only watch; every call goes through unchanged.
 */
import type { TrackedFinding } from '../../lambda/finding.js';
import type { QueryResult, TimeWindow } from '../../lambda/pipeline-types.js';
import type { RecordOutcome, StateStore, XqlSource } from '../../lambda/ports.js';
import type { Finding } from '../../lambda/finding.js';
import type { XsiamCredentials } from '../../lambda/xsiam/index.js';

/**
 * Every pair the store judged in this run, by fingerprint (the latest verdict wins). `store` is the
 * store to hand the run: it forwards every method to the real one and watches two of them, so a
 * method the StateStore port gains later passes through without a change here.
 */
export class ObservedStore {
  readonly due = new Map<string, TrackedFinding>();
  readonly repeats = new Map<string, TrackedFinding>();
  /** Fingerprints marked NOTIFIED in this run (what the sink accepted). */
  readonly notified = new Set<string>();
  readonly store: StateStore;

  constructor(inner: StateStore) {
    const watched: Partial<StateStore> = {
      recordFindings: async (findings: readonly Finding[], now: number, dedupeWindowMs: number): Promise<RecordOutcome> => {
        const outcome = await inner.recordFindings(findings, now, dedupeWindowMs);
        for (const f of [...outcome.created, ...outcome.pending]) this.due.set(f.fingerprint, f);
        for (const f of outcome.repeats) if (!this.due.has(f.fingerprint)) this.repeats.set(f.fingerprint, f);
        return outcome;
      },
      markNotified: async (huntId: string, fingerprints: readonly string[], now: number): Promise<void> => {
        await inner.markNotified(huntId, fingerprints, now);
        for (const fp of fingerprints) this.notified.add(fp);
      },
    };
    this.store = new Proxy(inner, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && prop in watched) return watched[prop as keyof StateStore];
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** The due pairs the sink accepted, by the store's own record. */
  notifiedPairs(): TrackedFinding[] {
    return [...this.due.values()].filter((f) => this.notified.has(f.fingerprint));
  }
}

/** Prints "query i/N …" on stderr before each chunk's query, when the run has more than one. */
export class ProgressXql implements XqlSource {
  private done = 0;

  constructor(private readonly inner: XqlSource, private readonly total: number, private readonly note: (text: string) => void) {}

  async query(credentials: XsiamCredentials, xql: string, window: TimeWindow, options: { deadline: number }): Promise<QueryResult> {
    // A retry after a credentials refusal queries the same window again: count windows, not calls.
    const key = window.from;
    this.lastWindow = window;
    if (key !== this.last) {
      this.done += 1;
      this.last = key;
      if (this.total > 1) this.note(`query ${this.done}/${this.total}: ${new Date(window.from).toISOString()} → ${new Date(window.to).toISOString()}\n`);
    }
    return this.inner.query(credentials, xql, window, options);
  }

  private last: number | null = null;
  /** The window queried last: after a failed chunk, the one that failed. */
  lastWindow: TimeWindow | null = null;
}
