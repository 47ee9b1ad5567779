/**
 * Stage 6, mark: the pairs whose notification was accepted are stored NOTIFIED; then any the sink
 * refused fail the run (PublishFailedError), so they stay PENDING and the checkpoint stays put.
 * First, this run's claims on pairs not sent are released for the next run.
 */
import { arrivedLate, type TrackedFinding } from '../../finding.js';
import type { PublishOutcome } from '../../ports.js';
import type { RunContext } from '../context.js';
import { PublishFailedError } from '../errors.js';
import type { Counts } from '../summary.js';

export interface Marked {
  /** The pairs notified, for the summary. */
  readonly sent: TrackedFinding[];
  readonly counts: Partial<Counts>;
  /** Per notified pair with a known arrival: ms from its arrival in XSIAM to SNS accepting it. */
  readonly latenciesMs: number[];
}

export async function mark({ ports, request }: RunContext, toNotify: readonly TrackedFinding[], outcome: PublishOutcome): Promise<Marked> {
  await releaseUnsent({ ports, request }, outcome);
  let sent: TrackedFinding[] = [];
  const acceptedAt = ports.clock.now();
  if (outcome.delivered.length > 0) {
    const delivered = new Set(outcome.delivered);
    sent = toNotify.filter((f) => delivered.has(f.fingerprint));
    // The status each notification carried decides on a late-evidence follow-up later.
    const confirmations = new Map(sent.flatMap((f) => (f.confirmation === undefined ? [] : [[f.fingerprint, f.confirmation.status] as const])));
    // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty map and none store the same items (each reads confirmations?.get(fp))
    await ports.state.markNotified(request.hunt.id, outcome.delivered, ports.clock.now(), ...(confirmations.size > 0 ? [confirmations] : []));
  }
  if (outcome.failed.length > 0) throw new PublishFailedError(outcome.failed);
  const latenciesMs = sent.flatMap((f) => (f.arrivedAt === undefined ? [] : [Math.max(0, acceptedAt - f.arrivedAt)]));
  return { sent, counts: { notified: sent.length, latePairs: sent.filter((f) => arrivedLate(f)).length }, latenciesMs };
}

/**
 * Gives up this run's claims on the pairs it could not notify (deferred past the deadline, refused
 * by the sink): the next run or this chunk's retry publishes them at once, instead of waiting
 * out maxRunMs. Best effort: a claim left in place only ages out.
 */
async function releaseUnsent({ ports, request }: Pick<RunContext, 'ports' | 'request'>, outcome: PublishOutcome): Promise<void> {
  const unsent = [...(outcome.deferred ?? []), ...outcome.failed.map((f) => f.fingerprint)];
  if (unsent.length === 0 || ports.state.releaseClaims === undefined) return;
  try {
    await ports.state.releaseClaims(request.hunt.id, [...new Set(unsent)], request.runId);
  } catch (error) {
    ports.log.warn('could not release the claims of unsent pairs; they are recovered once they age out', { error: error instanceof Error ? error.name : 'UnknownError' });
  }
}
