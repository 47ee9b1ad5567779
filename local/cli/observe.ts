/**
 * Decorators over the run's ports that let the local tool tell the whole story of a run without
 * changing the pipeline: which pairs the store judged (new, pending, repeats) and how far the
 * queries have got. They only watch; every call goes through unchanged.
 */
import type { TrackedFinding } from '../../lambda/finding.js';
import type { QueryResult, TimeWindow } from '../../lambda/pipeline-types.js';
import type { Checkpoint, RecordOutcome, StateStore, XqlSource } from '../../lambda/ports.js';
import type { Finding } from '../../lambda/finding.js';
import type { XsiamCredentials } from '../../lambda/xsiam/index.js';

/** Every pair the store judged in this run, by fingerprint (the latest verdict wins). */
export class ObservedStore implements StateStore {
  readonly due = new Map<string, TrackedFinding>();
  readonly repeats = new Map<string, TrackedFinding>();
  /** Fingerprints marked NOTIFIED in this run (what the sink accepted). */
  readonly notified = new Set<string>();

  constructor(private readonly inner: StateStore) {}

  acquireLease(huntId: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    return this.inner.acquireLease(huntId, holder, now, ttlMs);
  }

  releaseLease(huntId: string, holder: string): Promise<void> {
    return this.inner.releaseLease(huntId, holder);
  }

  readCheckpoint(huntId: string): Promise<Checkpoint | null> {
    return this.inner.readCheckpoint(huntId);
  }

  writeCheckpoint(huntId: string, next: { coveredUntil: number; lastRunStatus: string }, expectedVersion: number | null, now: number): Promise<Checkpoint> {
    return this.inner.writeCheckpoint(huntId, next, expectedVersion, now);
  }

  async recordFindings(findings: readonly Finding[], now: number, dedupeWindowMs: number): Promise<RecordOutcome> {
    const outcome = await this.inner.recordFindings(findings, now, dedupeWindowMs);
    for (const f of [...outcome.created, ...outcome.pending]) this.due.set(f.fingerprint, f);
    for (const f of outcome.repeats) if (!this.due.has(f.fingerprint)) this.repeats.set(f.fingerprint, f);
    return outcome;
  }

  async markNotified(huntId: string, fingerprints: readonly string[], now: number): Promise<void> {
    await this.inner.markNotified(huntId, fingerprints, now);
    for (const fp of fingerprints) this.notified.add(fp);
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
