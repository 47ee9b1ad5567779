/**
 * Stage 7, follow-up (after mark): the one late-evidence message of each repeat the target now
 * confirms, in the original's Slack thread and as an "UPDATE" email, through the same paced
 * notifier. The follow-up is claimed first with a conditional write (claimFollowUps), then
 * sent: at most one per pair, whichever runs race. A claim whose message then fails is not
 * retried (at most once beats twice). Never throws: a follow-up must not hold back the checkpoint.
 */
import type { TrackedFinding } from '../../finding.js';
import type { HuntDefinition } from '../../hunts/index.js';
import { hostKey } from '../../incidents/index.js';
import type { StateStore } from '../../ports.js';
import type { NotificationContext } from '../../ports.js';
import type { TimeWindow } from '../../pipeline-types.js';
import type { RunContext } from '../context.js';
import { MARK_RESERVE_MS } from '../limits.js';
import type { Counts } from '../summary.js';

export interface FollowedUp {
  readonly sent: TrackedFinding[];
  readonly counts: Partial<Counts>;
}

/** `hunt`: the pairs' hunt (another hunt's pairs when a stored pair is confirmed by this hunt's finding: stages/join.ts). */
export async function followUp(
  { ports, request }: RunContext, window: TimeWindow, followUps: readonly TrackedFinding[], totals: NotificationContext['totals'],
  hunt: HuntDefinition = request.hunt,
): Promise<FollowedUp> {
  const state = ports.state;
  if (followUps.length === 0 || state.claimFollowUps === undefined) return { sent: [], counts: {} };
  // Never a digest: at most the storm limit per chunk, the rest stay unclaimed (a later repeat may still earn one).
  const due = followUps.slice(0, request.settings.stormLimit);
  try {
    const claimed = new Set(await state.claimFollowUps(hunt.id, due.map((f) => f.fingerprint), ports.clock.now()));
    const claimedPairs = due.filter((f) => claimed.has(f.fingerprint));
    if (claimedPairs.length === 0) return { sent: [], counts: {} };
    const toSend = await inTheirThreads(hunt.id, claimedPairs, ports.state, ports.clock.now());
    const outcome = await ports.notifier.publish(toSend, { hunt, window, runId: request.runId, totals, deadline: request.deadline - MARK_RESERVE_MS });
    const lost = outcome.failed.length + (outcome.deferred?.length ?? 0);
    // Stryker disable next-line StringLiteral,ObjectLiteral,ArrayDeclaration,ArrowFunction: log wording and fields (the README documents neither); whether it warns is tested
    if (lost > 0) ports.log.warn('late-evidence follow-ups not delivered; they are not retried', { lost, codes: [...new Set(outcome.failed.map((f) => f.code))] });
    const delivered = new Set(outcome.delivered);
    const sent = toSend.filter((f) => delivered.has(f.fingerprint));
    return { sent, counts: { followUps: sent.length, messages: outcome.messages } };
  } catch (error) {
    // Stryker disable next-line StringLiteral,ObjectLiteral: log wording and fields (the README documents neither); the warning itself is tested
    ports.log.warn('late-evidence follow-ups failed; the run goes on', { error: error instanceof Error ? error.name : 'UnknownError' });
    return { sent: [], counts: {} };
  }
}

/**
 * The pairs with the Slack thread their notification went to: the incident that lists them (one
 * batched read). A pair no incident lists keeps its own thread.
 */
async function inTheirThreads(huntId: string, pairs: readonly TrackedFinding[], state: StateStore, now: number): Promise<TrackedFinding[]> {
  const hosts = [...new Set(pairs.flatMap((f) => [hostKey(f.sourceHost), hostKey(f.targetHost)]))];
  const known = await state.readIncidents(huntId, hosts, now);
  const threadOf = new Map<string, { id: string; threadId: string }>();
  for (const incident of known) {
    if (incident.mergedInto !== null) continue;
    for (const p of incident.pairs) threadOf.set(p.fingerprint, { id: incident.id, threadId: incident.threadId });
  }
  return pairs.map((f) => {
    const thread = threadOf.get(f.fingerprint);
    return thread === undefined ? f : { ...f, incidentId: thread.id, threadId: thread.threadId };
  });
}
