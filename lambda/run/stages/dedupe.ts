/**
 * Stage 3, dedupe: each finding recorded in the state store, and classified: claimed now
 * (created), claimed earlier but never notified (pending), already notified (repeat), or
 * claimed by another run that may still be alive (in-flight: that run notifies it).
 */
import type { Finding } from '../../finding.js';
import type { RecordOutcome } from '../../ports.js';
import type { RunContext } from '../context.js';
import type { Counts } from '../summary.js';

export interface Deduped {
  readonly recorded: RecordOutcome;
  readonly counts: Partial<Counts>;
}

export async function dedupe({ ports, request, flags }: RunContext, findings: readonly Finding[], now: number): Promise<Deduped> {
  // A live run names itself on its claims, so a concurrent run leaves them to it (exactly once
  // between runs). Shadow claims carry no owner: shadow publishes nothing, so it never holds a pair back.
  const claim = flags.publish ? { runId: request.runId, maxRunMs: request.settings.maxRunMs } : undefined;
  const recorded = await ports.state.recordFindings(findings, now, request.settings.dedupeWindowMs, claim);
  return { recorded, counts: { newPairs: recorded.created.length, repeats: recorded.repeats.length } };
}
