/**
 * Stage 4, confirm (between dedupe and select): one target-side check (lambda/confirm/) for every
 * due pair that is not suppressed, whatever its score (select then judges the checked score, so a
 * score never depends on the minimum severity), and for the repeats that may earn a follow-up.
 * They go as one batch: one confirmation query per chunk (per 100 targets), as before.
 * Runs only when `confirmTargets` is on, a TargetEvidenceSource is wired and there is a pair to
 * check. It never throws and never outlives its budget: whatever fails, each pair goes out with
 * an outcome (`unavailable` when nothing could be learned).
 */
import { applyConfirmation, confirmPairs, judge, type Confirmation, type ConfirmationStatus } from '../../confirm/index.js';
import { redactSecrets } from '../../detect/index.js';
import type { TrackedFinding } from '../../finding.js';
import type { RunContext } from '../context.js';
import { COMMIT_RESERVE_MS, CONFIRM_BUDGET_MS } from '../limits.js';
import type { Counts } from '../summary.js';
import { awaitingFinding, readAwaiting, recheckHorizonMs } from './awaiting.js';

export interface Confirmed {
  /** The pairs to notify, each with its `confirmation` and the risk it adds. */
  readonly toNotify: TrackedFinding[];
  /** Repeats notified `not-seen`/`unavailable` that the target now confirms: their one follow-up. */
  readonly followUps: TrackedFinding[];
  readonly counts: Partial<Counts>;
}

/** Statuses whose notification a later confirmation follows up. */
const FOLLOWED_UP: readonly ConfirmationStatus[] = ['not-seen', 'unavailable'];

/** A repeat whose notification said not-seen/unavailable, within the horizon, with no follow-up yet. */
export function followUpDue(f: TrackedFinding, now: number, horizonMs: number): boolean {
  const sent = f.sent;
  return sent !== undefined && sent.confirmation !== null && FOLLOWED_UP.includes(sent.confirmation) &&
    sent.followUpSent === null && sent.notifiedAt !== null && now - sent.notifiedAt <= horizonMs;
}

/** `f` with `c` attached (the target's command line redacted like the detector's output) and its risk reason applied. */
function withConfirmation(f: TrackedFinding, c: Confirmation): TrackedFinding {
  const confirmation = c.commandLine === null ? c : { ...c, commandLine: redactSecrets(c.commandLine) };
  return { ...applyConfirmation(f, confirmation), confirmation };
}

const KEY_OF_STATUS: Record<ConfirmationStatus, 'confirmed' | 'notSeen' | 'unmanaged' | 'unavailable'> = {
  confirmed: 'confirmed', 'not-seen': 'notSeen', unmanaged: 'unmanaged', unavailable: 'unavailable',
};

/**
 * The awaiting pairs (notified not-seen/unavailable, within the horizon) this chunk did not read:
 * a pair read again is judged by its repeat (followUpDue), which knows whether it was followed up.
 */
async function awaitingNotRead(ctx: RunContext, now: number, toNotify: readonly TrackedFinding[], repeats: readonly TrackedFinding[], sweeping: boolean): Promise<TrackedFinding[]> {
  const read = new Set([...toNotify, ...repeats].map((f) => f.fingerprint));
  const awaiting = await readAwaiting(ctx, now, sweeping);
  return awaiting.filter((e) => !read.has(e.fingerprint)).map((e) => awaitingFinding(ctx.request.hunt.id, e));
}

/** `sweeping`: the chunk is a late sweep's, which re-checks within the late-arrival horizon (awaiting.ts). */
export async function confirm(
  ctx: RunContext, toNotify: readonly TrackedFinding[], repeats: readonly TrackedFinding[], sweeping = false,
): Promise<Confirmed> {
  const { ports, request } = ctx;
  const source = ports.targetEvidence;
  const now = ports.clock.now();
  if (!request.settings.confirmTargets || source === undefined) return { toNotify: [...toNotify], followUps: [], counts: {} };
  const horizonMs = recheckHorizonMs(request.settings, sweeping);
  const recheck = [...repeats.filter((f) => followUpDue(f, now, horizonMs)), ...await awaitingNotRead(ctx, now, toNotify, repeats, sweeping)];
  const pairs = [...toNotify, ...recheck];
  if (pairs.length === 0) return { toNotify: [], followUps: [], counts: {} };

  const deadline = Math.min(now + CONFIRM_BUDGET_MS, request.deadline - COMMIT_RESERVE_MS);
  let confirmations: Map<string, Confirmation>;
  let report = { httpCalls: 0, queryCost: 0, queries: 0, endpointRequests: 0 };
  if (deadline <= now) {
    confirmations = judge(pairs, null, 'no time was left before the run deadline');
  } else {
    try {
      const result = await confirmPairs({ credentials: ports.credentials, evidence: source, log: ports.log }, pairs,
        { now, ingestLagMs: request.settings.ingestLagMs, deadline });
      confirmations = result.confirmations;
      report = { ...result.report };
    } catch (error) {
      // confirmPairs does not throw; should a port break that promise, the notifications still go out.
      ports.log.warn('target confirmation failed; pairs are marked unavailable', { error: error instanceof Error ? error.name : 'UnknownError' });
      confirmations = judge(pairs, null, 'the target-side check failed');
    }
  }

  const outcomes = { confirmed: 0, notSeen: 0, unmanaged: 0, unavailable: 0 };
  const notified = toNotify.map((f) => {
    const c = confirmations.get(f.fingerprint);
    if (c === undefined) return f;
    outcomes[KEY_OF_STATUS[c.status]] += 1;
    return withConfirmation(f, c);
  });
  const followUps = recheck.flatMap((f) => {
    const c = confirmations.get(f.fingerprint);
    return c?.status === 'confirmed' ? [{ ...withConfirmation(f, c), followUp: true }] : [];
  });
  return {
    toNotify: notified,
    followUps,
    counts: {
      ...outcomes, confirmQueries: report.queries, confirmHttpCalls: report.httpCalls, confirmQueryCost: report.queryCost,
      confirmEndpointRequests: report.endpointRequests,
    },
  };
}
