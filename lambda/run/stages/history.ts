/**
 * The history stages around dedupe. Before it: the chunk's findings judged against the history as
 * it was before this chunk (`history.first-source` raises, `history.routine-source` lowers), so
 * the new scores decide what is notified. After mark: every finding of the chunk (repeats,
 * suppressed and below-minimum ones too) and the days it covered are recorded, in batched writes.
 *
 * A history that cannot be read does not stop the hunt: the chunk is judged without it (logged and
 * counted). A failed write fails the chunk like any other state write: the checkpoint stays and
 * the next run hunts the chunk again (recording is idempotent, and only days before a chunk's own
 * day are judged, so the verdicts do not change).
 */
import type { Finding } from '../../finding.js';
import { applyHistory, historyQuery, referenceDay, sightingsOf, type HistoryStatus, type HuntHistory } from '../../history/index.js';
import type { TimeWindow } from '../../pipeline-types.js';
import type { RunContext } from '../context.js';
import type { Counts } from '../summary.js';

export interface HistoryJudged {
  /** The findings with history reasons applied (the same objects when warming up). */
  readonly findings: Finding[];
  readonly status: HistoryStatus;
  readonly counts: Partial<Counts>;
}

export async function judgeHistory({ ports, request }: RunContext, window: TimeWindow, findings: readonly Finding[]): Promise<HistoryJudged> {
  let history: HuntHistory | null = null;
  try {
    history = await ports.state.readHistory(request.hunt.id, historyQuery(findings), ports.clock.now());
  } catch (err) {
    // Stryker disable next-line StringLiteral,MethodExpression: log field wording and length (the README documents neither); whether it warns is tested
    const error = err instanceof Error ? `${err.name}: ${err.message.slice(0, 300)}` : 'unknown error';
    // Stryker disable next-line StringLiteral,ObjectLiteral: log wording and fields (the README documents neither); whether it warns is tested
    ports.log.warn('history could not be read; this chunk is judged without it', { huntId: request.hunt.id, error });
  }
  const verdict = applyHistory(findings, history, request.settings, referenceDay(window));
  if (verdict.status.warmingUp && history !== null && findings.length > 0) {
    // Stryker disable next-line StringLiteral,ObjectLiteral: log wording and fields (the README documents neither); when it is logged is tested
    ports.log.info('history warming up: no history reasons yet', { coveredDays: verdict.status.coveredDays, minCoverageDays: verdict.status.minCoverageDays });
  }
  return {
    findings: verdict.findings,
    status: verdict.status,
    counts: {
      firstSources: verdict.firstSources,
      routineSources: verdict.routineSources,
      historyWarmingUp: verdict.status.warmingUp ? 1 : 0,
      historyUnavailable: history === null ? 1 : 0,
    },
  };
}

export async function recordHistory({ ports, request }: RunContext, window: TimeWindow, findings: readonly Finding[]): Promise<void> {
  await ports.state.recordHistory(request.hunt.id, sightingsOf(findings, window, request.settings), ports.clock.now());
}
