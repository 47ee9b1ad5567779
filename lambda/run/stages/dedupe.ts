/**
 * Stage 3, dedupe: each finding recorded in the state store, and classified: claimed now
 * (created), claimed earlier but never notified (pending), or already notified (repeat).
 */
import type { Finding } from '../../finding.js';
import type { RecordOutcome } from '../../ports.js';
import type { RunContext } from '../context.js';
import type { Counts } from '../summary.js';

export interface Deduped {
  readonly recorded: RecordOutcome;
  readonly counts: Partial<Counts>;
}

export async function dedupe({ ports, request }: RunContext, findings: readonly Finding[], now: number): Promise<Deduped> {
  const recorded = await ports.state.recordFindings(findings, now, request.settings.dedupeWindowMs);
  return { recorded, counts: { newPairs: recorded.created.length, repeats: recorded.repeats.length } };
}
