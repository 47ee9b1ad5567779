/**
 * Late evidence for pairs no later run reads again: the pairs notified `not-seen`/`unavailable`
 * are kept on a bounded per-hunt list (StateStore.readAwaiting/updateAwaiting) until the
 * confirmation horizon (the late-arrival one when sweeps run), and the confirm stage re-checks
 * them beside the repeats. Both steps are
 * best effort: a failure is logged and the run goes on (notifications are never held back).
 */
import type { ConfirmationStatus } from '../../confirm/index.js';
import type { TrackedFinding } from '../../finding.js';
import type { AwaitingPair, RunSettings } from '../../ports.js';
import type { RunContext } from '../context.js';

/** Statuses whose notification a later confirmation follows up. */
export const FOLLOWED_UP: readonly ConfirmationStatus[] = ['not-seen', 'unavailable'];

const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'UnknownError');

/**
 * How long after its notification a pair is kept awaiting late evidence: the confirmation horizon,
 * or the late-arrival horizon when late sweeps run (the target's agent may upload hours later too).
 */
export function keepHorizonMs(settings: Pick<RunSettings, 'confirmHorizonMs' | 'lateArrivalMs'>): number {
  return Math.max(settings.confirmHorizonMs, settings.lateArrivalMs ?? 0);
}

/**
 * The horizon a chunk re-checks within: the confirmation horizon for a window's chunk; for a late
 * sweep's chunk, the late-arrival horizon (keepHorizonMs), so evidence arriving hours later is
 * looked for at the sweep's pace, not every run's.
 */
export function recheckHorizonMs(settings: Pick<RunSettings, 'confirmHorizonMs' | 'lateArrivalMs'>, sweeping: boolean): number {
  return sweeping ? keepHorizonMs(settings) : settings.confirmHorizonMs;
}

/**
 * The awaiting pairs still within the horizon; none when the store or the run cannot follow up.
 * A sweep's chunk reads only those past the confirmation horizon: the window's chunk of the same
 * run has re-checked the younger ones.
 */
export async function readAwaiting({ ports, request, flags }: RunContext, now: number, sweeping = false): Promise<AwaitingPair[]> {
  const state = ports.state;
  if (!flags.publish || state.readAwaiting === undefined || state.claimFollowUps === undefined) return [];
  const { settings } = request;
  try {
    const entries = await state.readAwaiting(request.hunt.id, now, recheckHorizonMs(settings, sweeping));
    return sweeping ? entries.filter((e) => now - e.notifiedAt > settings.confirmHorizonMs) : entries;
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
    ...(e.arrivedAt !== undefined && e.arrivedLateMs !== undefined ? { arrivedAt: e.arrivedAt, arrivedLateMs: e.arrivedLateMs } : {}),
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
      ...(f.arrivedAt !== undefined && f.arrivedLateMs !== undefined ? { arrivedAt: f.arrivedAt, arrivedLateMs: f.arrivedLateMs } : {}),
    }]
    : []));
  const remove = confirmedLate.slice(0, request.settings.stormLimit).map((f) => f.fingerprint);
  if (add.length === 0 && remove.length === 0) return;
  try {
    await state.updateAwaiting(request.hunt.id, { add, remove }, now, keepHorizonMs(request.settings));
  } catch (error) {
    ports.log.warn('could not update the pairs awaiting late evidence; the run goes on', { error: errorName(error), added: add.length, removed: remove.length });
  }
}
