/**
 * Stage 4, select: of the pairs due (new, or pending from an earlier run), those to notify.
 * Suppressed and below-minimum pairs are counted, not sent; they stay PENDING. The store already
 * judged every pair with this run's verdict (RecordOutcome), so nothing is merged here.
 */
import { severityAtLeast, type TrackedFinding } from '../../finding.js';
import type { RecordOutcome } from '../../ports.js';
import type { RunContext } from '../context.js';
import type { Counts } from '../summary.js';

export interface Selected {
  readonly toNotify: TrackedFinding[];
  readonly counts: Partial<Counts>;
}

export function select({ request }: RunContext, recorded: RecordOutcome): Selected {
  const toNotify: TrackedFinding[] = [];
  let suppressed = 0;
  let belowMinSeverity = 0;
  for (const f of [...recorded.created, ...recorded.pending]) {
    if (f.suppressed) suppressed += 1;
    else if (!severityAtLeast(f.severity, request.settings.minSeverity)) belowMinSeverity += 1;
    else toNotify.push(f);
  }
  // Claimed by an earlier run and due now: a crash or publish failure is being made good.
  // (Pairs kept PENDING because they were suppressed or below the minimum severity are counted
  // as such each time they are seen, not as recovered.)
  const earlier = new Set(recorded.pending.map((f) => f.fingerprint));
  const recovered = toNotify.filter((f) => earlier.has(f.fingerprint)).length;
  return { toNotify, counts: { suppressed, belowMinSeverity, recovered } };
}
