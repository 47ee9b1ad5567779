/**
 * Late evidence for pairs no later run reads again: the pairs notified `not-seen`/`unavailable`
 * are kept on a bounded per-hunt list (StateStore.readAwaiting/updateAwaiting) until the
 * confirmation horizon, and the confirm stage re-checks them beside the repeats. Both steps are
 * best effort: a failure is logged and the run goes on (notifications are never held back).
 */
import type { ConfirmationStatus } from '../../confirm/index.js';
import type { TrackedFinding } from '../../finding.js';
import type { AwaitingPair } from '../../ports.js';
import type { RunContext } from '../context.js';

/** Statuses whose notification a later confirmation follows up. */
export const FOLLOWED_UP: readonly ConfirmationStatus[] = ['not-seen', 'unavailable'];

const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'UnknownError');

/** The awaiting pairs still within the horizon; none when the store or the run cannot follow up. */
export async function readAwaiting({ ports, request, flags }: RunContext, now: number): Promise<AwaitingPair[]> {
  const state = ports.state;
  if (!flags.publish || state.readAwaiting === undefined || state.claimFollowUps === undefined) return [];
  try {
    return await state.readAwaiting(request.hunt.id, now, request.settings.confirmHorizonMs);
  } catch (error) {
    ports.log.warn('could not read the pairs awaiting late evidence; the run goes on', { error: errorName(error) });
    return [];
  }
}

/** The pair of an awaiting entry, as the confirmation query and its follow-up see it. */
export function awaitingFinding(huntId: string, e: AwaitingPair): TrackedFinding {
  return {
    huntId, fingerprint: e.fingerprint, sourceHost: e.sourceHost, targetHost: e.targetHost, remoteCommand: e.remoteCommand,
    commandLine: e.remoteCommand ?? '', user: e.user, lineUser: null, parentImage: null, parentCommandLine: null, causalitySha256: null,
    agentId: null, eventIds: [], firstSeen: e.firstSeen, lastSeen: e.lastSeen, riskScore: e.riskScore, severity: e.severity, reasons: [],
    suppressed: null, count: 1, status: 'NOTIFIED', sent: { notifiedAt: e.notifiedAt, confirmation: 'unavailable', followUpSent: null },
  };
}

/**
 * After mark and follow-up: adds the pairs just notified `not-seen`/`unavailable`, drops the ones
 * re-checked and confirmed whose follow-up the follow-up stage claimed (or found claimed); those
 * past the storm limit stay for a later run.
 */
export async function rememberAwaiting(
  { ports, request, flags }: RunContext, notified: readonly TrackedFinding[], confirmedLate: readonly TrackedFinding[],
): Promise<void> {
  const state = ports.state;
  if (!flags.publish || state.updateAwaiting === undefined || state.claimFollowUps === undefined) return;
  const now = ports.clock.now();
  const add = notified.flatMap((f): AwaitingPair[] => (f.confirmation !== undefined && FOLLOWED_UP.includes(f.confirmation.status)
    ? [{
      fingerprint: f.fingerprint, sourceHost: f.sourceHost, targetHost: f.targetHost, remoteCommand: f.remoteCommand, user: f.user,
      firstSeen: f.firstSeen, lastSeen: f.lastSeen, severity: f.severity, riskScore: f.riskScore, notifiedAt: now,
    }]
    : []));
  const remove = confirmedLate.slice(0, request.settings.stormLimit).map((f) => f.fingerprint);
  if (add.length === 0 && remove.length === 0) return;
  try {
    await state.updateAwaiting(request.hunt.id, { add, remove }, now, request.settings.confirmHorizonMs);
  } catch (error) {
    ports.log.warn('could not update the pairs awaiting late evidence; the run goes on', { error: errorName(error), added: add.length, removed: remove.length });
  }
}
