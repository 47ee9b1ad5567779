/**
 * One chunk of the plan, as the list of its stages:
 * query → detect → history → dedupe → select → confirm → incidents → publish → mark → follow-up
 * → record-history.
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
import { judgeHistory, recordHistory } from './stages/history.js';
import { followUp } from './stages/follow-up.js';
import { rememberAwaiting } from './stages/awaiting.js';
import { mark } from './stages/mark.js';
import { publish } from './stages/publish.js';
import { query } from './stages/query.js';
import { select } from './stages/select.js';
import { addCounts, NO_COUNTS, type Tally } from './summary.js';

/** `xql`: the late sweep's query in place of the hunt's (sweep.ts). */
export async function runChunk(ctx: RunContext, window: TimeWindow, xql?: string): Promise<Tally> {
  const queried = await inStage('query', window, () => query(ctx, window, xql));
  const now = ctx.ports.clock.now();
  const detected = await inStage('detect', window, () => detect(ctx, queried.result.rows, now));
  const judged = await inStage('history', window, () => judgeHistory(ctx, window, detected.detection.findings));
  const deduped = await inStage('dedupe', window, () => dedupe(ctx, judged.findings, now));
  const selected = await inStage('select', window, () => select(ctx, deduped.recorded));
  const totals = {
    findings: detected.detection.findings.length,
    newPairs: deduped.recorded.created.length,
    repeats: deduped.recorded.repeats.length,
    suppressed: selected.counts.suppressed ?? 0,
  };
  const confirmed = await inStage('confirm', window, () => confirm(ctx, selected.toNotify, deduped.recorded.repeats, xql !== undefined));
  const grouped = await inStage('incidents', window, () => incidents(ctx, confirmed.toNotify));
  const published = await inStage('publish', window, () => publish(ctx, window, grouped.toNotify, totals, grouped.views));
  const marked = await inStage('mark', window, () => mark(ctx, grouped.toNotify, published.outcome));
  const followed = await inStage('follow-up', window, () => followUp(ctx, window, confirmed.followUps, totals));
  await inStage('follow-up', window, () => rememberAwaiting(ctx, marked.sent, confirmed.followUps));
  await inStage('record-history', window, () => recordHistory(ctx, window, judged.findings));

  return {
    counts: addCounts(NO_COUNTS, queried.counts, detected.counts, judged.counts, deduped.counts, selected.counts, confirmed.counts,
      published.counts, marked.counts, followed.counts),
    expiredAllowlistEntries: detected.detection.expiredAllowlistEntries,
    notifications: marked.sent,
    incidents: grouped.incidents,
    history: judged.status,
    latenciesMs: marked.latenciesMs,
  };
}
