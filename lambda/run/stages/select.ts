/**
 * Stage 5, select: of the pairs due (new, or pending from an earlier run), those to notify, judged
 * on the score the target check left (so a pair's score never depends on the minimum severity).
 * Suppressed and below-minimum pairs are counted, not sent; they stay PENDING. The store already
 * judged every pair with this run's verdict (RecordOutcome), so nothing is merged here.
 */
import { severityAtLeast, type TrackedFinding } from '../../finding.js';
import type { RecordOutcome } from '../../ports.js';
import type { RunContext } from '../context.js';
import type { Counts } from '../summary.js';

export interface Selected {
  readonly toNotify: TrackedFinding[];
  /** Due pairs below the minimum severity, with their target check: the score they hold at any threshold. */
  readonly held: TrackedFinding[];
  readonly counts: Partial<Counts>;
}

/** The due pairs of this chunk (new, or pending from an earlier run): the ones select judges. */
export function duePairs(recorded: RecordOutcome): TrackedFinding[] {
  return [...recorded.created, ...recorded.pending];
}

/**
 * @param checked - the due pairs as the target check left them (score with `target.*` applied);
 *   @default the store's own records
 */
export function select({ request }: RunContext, recorded: RecordOutcome, checked: readonly TrackedFinding[] = duePairs(recorded)): Selected {
  const toNotify: TrackedFinding[] = [];
  const held: TrackedFinding[] = [];
  let suppressed = 0;
  const due = (f: TrackedFinding): boolean => !f.suppressed && severityAtLeast(f.severity, request.settings.minSeverity);
  const byFingerprint = new Map(checked.map((f) => [f.fingerprint, f]));
  for (const record of duePairs(recorded)) {
    const f = byFingerprint.get(record.fingerprint) ?? record;
    if (f.suppressed) suppressed += 1;
    else if (!due(f)) held.push(f);
    else toNotify.push(f);
  }
  // Due pairs another live run claimed: it notifies them. They hold this chunk uncommitted, so if
  // that run dies a later run (or this chunk's retry) reads them again and recovers them.
  const inFlight = (recorded.inFlight ?? []).filter(due).length;
  // Claimed by an earlier run and due now: a crash or publish failure is being made good.
  // (Pairs kept PENDING because they were suppressed or below the minimum severity are counted
  // as such each time they are seen, not as recovered.)
  const earlier = new Set(recorded.pending.map((f) => f.fingerprint));
  const recovered = toNotify.filter((f) => earlier.has(f.fingerprint)).length;
  return { toNotify, held, counts: { suppressed, belowMinSeverity: held.length, recovered, inFlight } };
}
