/** Stage 5, publish: one message per incident (per pair without one), or one digest past the storm limit. */
import type { TrackedFinding } from '../../finding.js';
import type { TimeWindow } from '../../pipeline-types.js';
import type { NotificationContext, PublishOutcome } from '../../ports.js';
import type { RunContext } from '../context.js';
import { MARK_RESERVE_MS } from '../limits.js';
import type { Counts } from '../summary.js';
import { logShadow } from './shadow.js';

export interface Published {
  readonly outcome: PublishOutcome;
  readonly counts: Partial<Counts>;
}

const NOTHING: PublishOutcome = { delivered: [], failed: [], messages: 0, digest: false };

export async function publish(
  { ports, request, flags }: RunContext,
  window: TimeWindow,
  toNotify: readonly TrackedFinding[],
  totals: NotificationContext['totals'],
  incidents?: NotificationContext['incidents'],
): Promise<Published> {
  // Nothing due: the notifier is not called at all (no empty digest).
  if (toNotify.length === 0) return { outcome: NOTHING, counts: {} };
  // Shadow mode: nothing is sent and nothing marked NOTIFIED; what would have gone out is counted and logged.
  if (!flags.publish) return { outcome: NOTHING, counts: await logShadow({ ports, request, flags }, toNotify) };
  // Publishing is paced under SNS's email rate; what would start past this is deferred, not sent.
  const deadline = request.deadline - MARK_RESERVE_MS;
  const outcome = await ports.notifier.publish(toNotify, { hunt: request.hunt, window, runId: request.runId, totals, deadline, ...(incidents ? { incidents } : {}) });
  return { outcome, counts: { messages: outcome.messages, digests: outcome.digest ? 1 : 0, deferred: outcome.deferred?.length ?? 0 } };
}
