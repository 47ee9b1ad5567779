/**
 * The confirmation step for the pairs one chunk is about to notify, over two ports (credentials
 * and a TargetEvidenceSource). It never throws: whatever fails, every pair gets an outcome
 * (`unavailable` where nothing could be learned) and the notification still goes out. Pairs
 * whose launches lie hours apart (a late pair beside on-time ones) get one query each (groups.ts).
 * The run pipeline calls it after dedupe; it is not wired here.
 */
import type { CredentialsProvider, Log } from '../ports.js';
import { XsiamAuthError, type TimeWindow } from '../xsiam/index.js';
import { TargetEvidenceError } from './errors.js';
import { judge } from './judge.js';
import { confirmationGroups, MAX_CONFIRM_GROUPS } from './groups.js';
import { DEFAULT_TIMING, type ConfirmTiming } from './range.js';
import { parseTarget } from './target.js';
import type { Confirmation, ConfirmPair, ConfirmReport, TargetEvidence, TargetEvidenceSource } from './types.js';

export interface ConfirmStagePorts {
  readonly credentials: CredentialsProvider;
  readonly evidence: TargetEvidenceSource;
  readonly log: Pick<Log, 'warn'>;
}

export interface ConfirmStageOptions {
  readonly now: number;
  readonly ingestLagMs: number;
  /** Epoch ms by which the confirmation must be done (leave the chunk time to publish). */
  readonly deadline: number;
  /** @default DEFAULT_TIMING */
  readonly timing?: ConfirmTiming;
}

export interface ConfirmStageResult {
  /** One outcome per pair, by fingerprint. */
  readonly confirmations: Map<string, Confirmation>;
  readonly report: ConfirmReport;
  /** Why (part of) the check failed, for the log and the summary; null when it did not. */
  readonly failure: string | null;
}

const NOTHING: ConfirmReport = { httpCalls: 0, queryCost: 0, queries: 0, endpointRequests: 0 };

function add(a: ConfirmReport, b: ConfirmReport): ConfirmReport {
  // Stryker disable next-line ArithmeticOperator: every sum starts at NOTHING, so `-` negates each group's total and the run's sum negates it back (same report)
  return { httpCalls: a.httpCalls + b.httpCalls, queryCost: a.queryCost + b.queryCost, queries: a.queries + b.queries, endpointRequests: a.endpointRequests + b.endpointRequests };
}

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error');

export async function confirmPairs(ports: ConfirmStagePorts, pairs: readonly ConfirmPair[], options: ConfirmStageOptions): Promise<ConfirmStageResult> {
  const timing = options.timing ?? DEFAULT_TIMING;
  const confirmations = new Map<string, Confirmation>();
  let report = NOTHING;
  let failure: string | null = null;
  // Late pairs (hours before the run) get their own query over their own time (groups.ts).
  for (const [i, group] of confirmationGroups(pairs, options.now, options.ingestLagMs, timing).entries()) {
    const checked = i < MAX_CONFIRM_GROUPS
      ? await confirmGroup(ports, group.pairs, group.range, options, timing)
      : { confirmations: judge(group.pairs, null, 'the chunk had too many separate launch times to check at once; the pair waits for a later check', timing), report: NOTHING, failure: null };
    for (const [fingerprint, c] of checked.confirmations) confirmations.set(fingerprint, c);
    report = add(report, checked.report);
    failure ??= checked.failure;
  }
  return { confirmations, report, failure };
}

const notChecked = (pairs: readonly ConfirmPair[], why: string, timing: ConfirmTiming): ConfirmStageResult =>
  ({ confirmations: judge(pairs, null, why, timing), report: NOTHING, failure: null });

/** One query range and its pairs: the collect, one secret re-read after an auth error, the judgement. */
async function confirmGroup(ports: ConfirmStagePorts, pairs: readonly ConfirmPair[], range: TimeWindow | null, options: ConfirmStageOptions, timing: ConfirmTiming): Promise<ConfirmStageResult> {
  const targets = [...new Set(pairs.map((p) => p.targetHost).filter((t) => parseTarget(t).kind !== 'unchecked'))];
  if (range === null) return notChecked(pairs, 'the launch is more recent than the ingest lag; the target side is not in XSIAM yet', timing);
  // Stryker disable next-line StringLiteral: every target here is unchecked, and judgePair gives each its own reason instead
  if (targets.length === 0) return notChecked(pairs, 'no target can be checked', timing);
  let report = NOTHING;
  let evidence: TargetEvidence | null = null;
  let failure: string | null = null;
  const collect = async (forceRefresh: boolean): Promise<TargetEvidence> => {
    const credentials = await ports.credentials.get(forceRefresh ? { forceRefresh } : undefined);
    return ports.evidence.collect(credentials, { targets, range }, { deadline: options.deadline });
  };
  try {
    try {
      evidence = await collect(false);
    } catch (error) {
      if (!(error instanceof TargetEvidenceError && error.cause instanceof XsiamAuthError)) throw error;
      // The secret may have been rotated: read it again once, as the hunt's own query does.
      report = add(report, error.partial.report);
      // Stryker disable next-line StringLiteral: log wording (the status field is tested)
      ports.log.warn('XSIAM refused the credentials during target confirmation; re-reading the secret once', { status: error.cause.status });
      evidence = await collect(true);
    }
    report = add(report, evidence.report);
  } catch (error) {
    failure = describe(error);
    if (error instanceof TargetEvidenceError) {
      evidence = error.partial;
      report = add(report, error.partial.report);
    }
    // Stryker disable next-line StringLiteral: log wording (the error field is tested)
    ports.log.warn('target confirmation incomplete; affected pairs are marked unavailable', { error: failure.slice(0, 500) });
  }
  return { confirmations: judge(pairs, evidence, failure ?? 'the confirmation query did not run', timing), report, failure };
}
