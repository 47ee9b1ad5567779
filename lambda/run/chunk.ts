/**
 * One chunk of the plan, as the list of its stages:
 * query → detect → join → history → dedupe → confirm → select → incidents → publish → mark → follow-up
 * → join (its effects) → record-history.
 * Each stage returns its data and the counts it moved; a port's error comes out as a StageError
 * naming the stage and this chunk's window.
 */
import type { TimeWindow } from '../pipeline-types.js';
import type { RunContext } from './context.js';
import { inStage } from './errors.js';
import { dedupe } from './stages/dedupe.js';
import { confirm } from './stages/confirm.js';
import { detect } from './stages/detect.js';
import { incidents } from './stages/incidents.js';
import { applyJoins, explainByPairs } from './stages/join.js';
import { judgeHistory, recordHistory } from './stages/history.js';
import { followUp } from './stages/follow-up.js';
import { rememberAwaiting } from './stages/awaiting.js';
import { mark } from './stages/mark.js';
import { publish } from './stages/publish.js';
import { query } from './stages/query.js';
import { duePairs, select } from './stages/select.js';
import { addCounts, NO_COUNTS, type Tally } from './summary.js';

/** `xql`: the late sweep's query in place of the hunt's (sweep.ts). */
export async function runChunk(ctx: RunContext, window: TimeWindow, xql?: string): Promise<Tally> {
  const queried = await inStage('query', window, () => query(ctx, window, xql));
  const now = ctx.ports.clock.now();
  const detected = await inStage('detect', window, () => detect(ctx, queried.result.rows, now));
  const explained = await inStage('join', window, () => explainByPairs(ctx, detected.detection.findings, now));
  const judged = await inStage('history', window, () => judgeHistory(ctx, window, explained.findings));
  const deduped = await inStage('dedupe', window, () => dedupe(ctx, judged.findings, now));
  // Every due pair not suppressed is checked on its target before the minimum severity is applied:
  // `target.confirmed` can lift a pair across it, and a score must not depend on the threshold.
  // Still one confirmation query per chunk (per 100 targets): the pairs are checked as one batch.
  const candidates = duePairs(deduped.recorded).filter((f) => !f.suppressed);
  const confirmed = await inStage('confirm', window, () => confirm(ctx, candidates, deduped.recorded.repeats, xql !== undefined));
  const selected = await inStage('select', window, () => select(ctx, deduped.recorded, confirmed.toNotify));
  const totals = {
    findings: detected.detection.findings.length,
    newPairs: deduped.recorded.created.length,
    repeats: deduped.recorded.repeats.length,
    suppressed: selected.counts.suppressed ?? 0,
  };
  const grouped = await inStage('incidents', window, () => incidents(ctx, selected.toNotify));
  const published = await inStage('publish', window, () => publish(ctx, window, grouped.toNotify, totals, grouped.views));
  const marked = await inStage('mark', window, () => mark(ctx, grouped.toNotify, published.outcome));
  const followed = await inStage('follow-up', window, () => followUp(ctx, window, confirmed.followUps, totals));
  await inStage('follow-up', window, () => rememberAwaiting(ctx, marked.sent, confirmed.followUps));
  const joined = await inStage('join', window, () => applyJoins(ctx, window, explained.joins, totals));
  await inStage('record-history', window, () => recordHistory(ctx, window, judged.findings));

  return {
    counts: addCounts(NO_COUNTS, queried.counts, detected.counts, judged.counts, deduped.counts, selected.counts, confirmed.counts,
      published.counts, marked.counts, followed.counts, explained.counts, joined.counts),
    expiredAllowlistEntries: detected.detection.expiredAllowlistEntries,
    notifications: marked.sent,
    incidents: grouped.incidents,
    history: judged.status,
    latenciesMs: marked.latenciesMs,
    checked: confirmed.toNotify,
  };
}
