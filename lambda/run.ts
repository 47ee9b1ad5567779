/**
 * One run of a hunt, as pure orchestration over ports:
 * lease → window → credentials → query → detect → dedupe → notify → commit.
 *
 * Nothing here touches AWS, HTTP, the environment or a Lambda event. The checkpoint advances
 * only after every finding of a window is recorded and its notification accepted, so a failure
 * anywhere leaves the window to be covered again by the next run.
 */
import { severityAtLeast, type TrackedFinding } from './finding.js';
import type { HuntDefinition } from './hunts/index.js';
import type { Clock, CredentialsProvider, Detector, Log, Notifier, RunSettings, StateStore, XqlSource } from './ports.js';
import { explicitPlan, planWindows } from './windows.js';
import { XsiamAuthError } from './xsiam/errors.js';
import type { QueryResult, TimeWindow } from './xsiam/types.js';

export interface RunPorts {
  readonly clock: Clock;
  readonly log: Log;
  readonly credentials: CredentialsProvider;
  readonly xql: XqlSource;
  readonly detector: Detector;
  readonly state: StateStore;
  readonly notifier: Notifier;
}

export interface RunRequest {
  readonly hunt: HuntDefinition;
  readonly settings: RunSettings;
  readonly runId: string;
  /** Epoch ms by which the run must have committed (the Lambda deadline minus a margin). */
  readonly deadline: number;
  /**
   * Hunt exactly this window (a backfill or a local run) instead of the one after the checkpoint.
   * Such a run dedupes and notifies as usual but leaves the checkpoint alone.
   */
  readonly window?: TimeWindow;
}

export type RunStatus = 'completed' | 'partial' | 'up-to-date' | 'lease-held';

export interface RunSummary {
  readonly runId: string;
  readonly huntId: string;
  readonly status: RunStatus;
  /** The time covered by this run (first chunk start to last committed chunk end), or null. */
  readonly window: TimeWindow | null;
  readonly chunks: number;
  /** Uncovered time older than the maximum lookback that this run skipped (ms). */
  readonly skippedMs: number;
  readonly rows: number;
  readonly findings: number;
  readonly newPairs: number;
  /** Pairs claimed by an earlier run that never got notified (crash or publish failure), handled now. */
  readonly recovered: number;
  readonly repeats: number;
  readonly suppressed: number;
  readonly belowMinSeverity: number;
  readonly notified: number;
  readonly messages: number;
  readonly digests: number;
  readonly rowProblems: number;
  readonly expiredAllowlistEntries: string[];
  readonly queryCost: number;
  readonly httpCalls: number;
  /** now − end of the covered time (ms) after this run, or null when nothing was ever covered. */
  readonly windowLagMs: number | null;
  readonly durationMs: number;
  /** The pairs this run notified, for the local CLI's output. */
  readonly notifications: TrackedFinding[];
}

export class RunError extends Error {
  override readonly name: string = 'RunError';
}

/** SNS (or the sink) refused some notifications: they stay PENDING and the checkpoint stays put. */
export class PublishFailedError extends RunError {
  override readonly name = 'PublishFailedError';
  constructor(readonly failures: readonly { fingerprint: string; code: string; message: string }[]) {
    const codes = [...new Set(failures.map((f) => f.code))].join(', ');
    super(`${failures.length} notification(s) were not accepted (${codes}); they stay PENDING and the next run retries them`);
  }
}

/** Time to keep in hand after a chunk's query for recording, publishing and committing. */
const COMMIT_RESERVE_MS = 20_000;
/** Time kept after the last publish starts, for marking pairs NOTIFIED and writing the checkpoint. */
const MARK_RESERVE_MS = 5_000;

export async function runHunt(ports: RunPorts, request: RunRequest): Promise<RunSummary> {
  const { hunt, settings, runId } = request;
  const started = ports.clock.now();
  const tally = newTally();

  if (!(await ports.state.acquireLease(hunt.id, runId, started, settings.leaseTtlMs))) {
    ports.log.warn('another run holds the lease; skipping this run', { huntId: hunt.id, runId });
    return summarise(request, 'lease-held', tally, null, ports.clock.now() - started, null);
  }
  try {
    let checkpoint = request.window ? null : await ports.state.readCheckpoint(hunt.id);
    const plan = request.window ? explicitPlan(request.window, settings.maxWindowMs) : planWindows(checkpoint, started, settings);
    if (plan.skipped) {
      ports.log.warn('uncovered time is older than the maximum lookback and was skipped', {
        huntId: hunt.id, skippedFrom: iso(plan.skipped.from), skippedTo: iso(plan.skipped.to), skippedMs: plan.skippedMs,
      });
    }
    tally.skippedMs = plan.skippedMs;
    let covered = null as TimeWindow | null;
    let status: RunStatus = plan.chunks.length === 0 ? 'up-to-date' : 'completed';

    for (const chunk of plan.chunks) {
      if (covered && ports.clock.now() > request.deadline - 2 * COMMIT_RESERVE_MS) {
        status = 'partial';
        ports.log.warn('deadline near: stopping catch-up; the next run continues from the checkpoint', { huntId: hunt.id });
        break;
      }
      if (!(await runChunk(ports, request, chunk, tally))) {
        // Paced notifications ran into the deadline: the rest stay PENDING and the checkpoint
        // stays before this chunk, so the next run sees them again and publishes them.
        status = 'partial';
        ports.log.warn('deadline near: notifications deferred to the next run; checkpoint kept', { huntId: hunt.id });
        break;
      }
      if (!request.window) {
        checkpoint = await ports.state.writeCheckpoint(
          hunt.id, { coveredUntil: chunk.to, lastRunStatus: 'ok' }, checkpoint?.version ?? null, ports.clock.now());
      }
      covered = { from: covered?.from ?? chunk.from, to: chunk.to };
      tally.chunks += 1;
    }
    const lag = checkpoint ? ports.clock.now() - checkpoint.coveredUntil : null;
    return summarise(request, status, tally, covered, ports.clock.now() - started, lag);
  } finally {
    await ports.state.releaseLease(hunt.id, runId).catch((err: unknown) => {
      // The lease expires on its own; a failed release must not hide the run's real outcome.
      ports.log.warn('could not release the run lease', { huntId: hunt.id, error: errorName(err) });
    });
  }
}

/** Runs one chunk; false when some notifications were deferred (the chunk is not complete). */
async function runChunk(ports: RunPorts, request: RunRequest, window: TimeWindow, tally: Tally): Promise<boolean> {
  const { hunt, settings } = request;
  const result = await queryWithRotation(ports, hunt.queries[settings.queryVariant], window, request.deadline - COMMIT_RESERVE_MS);
  tally.rows += result.rows.length;
  tally.queryCost += result.queryCost;
  tally.httpCalls += result.httpCalls;
  tally.rowProblems += result.rowProblems.length;
  for (const problem of result.rowProblems.slice(0, 20)) ports.log.warn('malformed row in the XSIAM reply', { problem });

  const now = ports.clock.now();
  const detection = ports.detector(result.rows, now);
  tally.findings += detection.findings.length;
  tally.rowProblems += detection.problems.length;
  for (const id of detection.expiredAllowlistEntries) tally.expired.add(id);
  for (const problem of detection.problems.slice(0, 20)) {
    ports.log.warn('row skipped', { eventId: problem.eventId, problem: problem.problem });
  }

  const recorded = await ports.state.recordFindings(detection.findings, now, settings.dedupeWindowMs);
  tally.newPairs += recorded.created.length;
  tally.repeats += recorded.repeats.length;

  // A pair claimed earlier is judged with this run's verdict when this run saw it again
  // (an allowlist entry may have expired or been added since).
  const current = new Map(detection.findings.map((f) => [f.fingerprint, f]));
  const candidates = [...recorded.created, ...recorded.pending].map((tracked) => {
    const seen = current.get(tracked.fingerprint);
    return seen
      ? { ...tracked, suppressed: seen.suppressed, riskScore: seen.riskScore, severity: seen.severity, reasons: seen.reasons }
      : tracked;
  });
  const toNotify: TrackedFinding[] = [];
  let suppressed = 0;
  for (const f of candidates) {
    if (f.suppressed) suppressed += 1;
    else if (!severityAtLeast(f.severity, settings.minSeverity)) tally.belowMinSeverity += 1;
    else toNotify.push(f);
  }
  tally.suppressed += suppressed;
  // Claimed by an earlier run and due now: a crash or publish failure is being made good.
  // (Pairs kept PENDING because they were suppressed or below the minimum severity are counted
  // as such each time they are seen, not as recovered.)
  const earlier = new Set(recorded.pending.map((f) => f.fingerprint));
  tally.recovered += toNotify.filter((f) => earlier.has(f.fingerprint)).length;
  if (toNotify.length === 0) return true;

  const outcome = await ports.notifier.publish(toNotify, {
    hunt, window, runId: request.runId,
    totals: { findings: detection.findings.length, newPairs: recorded.created.length, repeats: recorded.repeats.length, suppressed },
    deadline: request.deadline - MARK_RESERVE_MS,
  });
  tally.messages += outcome.messages;
  if (outcome.digest) tally.digests += 1;
  if (outcome.delivered.length > 0) {
    await ports.state.markNotified(hunt.id, outcome.delivered, ports.clock.now());
    const delivered = new Set(outcome.delivered);
    const sent = toNotify.filter((f) => delivered.has(f.fingerprint));
    tally.notified += sent.length;
    tally.notifications.push(...sent);
  }
  if (outcome.failed.length > 0) throw new PublishFailedError(outcome.failed);
  return (outcome.deferred ?? []).length === 0;
}

/** Runs the query; on an authentication error re-reads the secret once (it may have been rotated). */
async function queryWithRotation(ports: RunPorts, xql: string, window: TimeWindow, deadline: number): Promise<QueryResult> {
  const credentials = await ports.credentials.get();
  try {
    return await ports.xql.query(credentials, xql, window, { deadline });
  } catch (err) {
    if (!(err instanceof XsiamAuthError)) throw err;
    ports.log.warn('XSIAM refused the credentials; re-reading the secret once', { status: err.status });
    const fresh = await ports.credentials.get({ forceRefresh: true });
    return ports.xql.query(fresh, xql, window, { deadline });
  }
}

interface Tally {
  rows: number; findings: number; newPairs: number; recovered: number; repeats: number; suppressed: number;
  belowMinSeverity: number; notified: number; messages: number; digests: number; rowProblems: number;
  queryCost: number; httpCalls: number; skippedMs: number; chunks: number;
  expired: Set<string>; notifications: TrackedFinding[];
}

function newTally(): Tally {
  return {
    rows: 0, findings: 0, newPairs: 0, recovered: 0, repeats: 0, suppressed: 0, belowMinSeverity: 0, notified: 0,
    messages: 0, digests: 0, rowProblems: 0, queryCost: 0, httpCalls: 0, skippedMs: 0, chunks: 0,
    expired: new Set(), notifications: [],
  };
}

function summarise(
  request: RunRequest, status: RunStatus, t: Tally, window: TimeWindow | null, durationMs: number, windowLagMs: number | null,
): RunSummary {
  return {
    runId: request.runId, huntId: request.hunt.id, status, window,
    chunks: t.chunks, skippedMs: t.skippedMs, rows: t.rows, findings: t.findings, newPairs: t.newPairs,
    recovered: t.recovered, repeats: t.repeats, suppressed: t.suppressed, belowMinSeverity: t.belowMinSeverity,
    notified: t.notified, messages: t.messages, digests: t.digests, rowProblems: t.rowProblems,
    expiredAllowlistEntries: [...t.expired], queryCost: t.queryCost, httpCalls: t.httpCalls,
    windowLagMs, durationMs, notifications: t.notifications,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'UnknownError';
}
