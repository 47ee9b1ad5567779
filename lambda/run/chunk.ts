/**
 * One chunk of the plan, as the list of its stages:
 * query → detect → dedupe → select → confirm → publish → mark → follow-up.
 * Each stage returns its data and the counts it moved; a port's error comes out as a StageError
 * naming the stage and this chunk's window.
 */
import type { TimeWindow } from '../pipeline-types.js';
import type { RunContext } from './context.js';
import { inStage } from './errors.js';
import { dedupe } from './stages/dedupe.js';
import { confirm } from './stages/confirm.js';
import { detect } from './stages/detect.js';
import { followUp } from './stages/follow-up.js';
import { mark } from './stages/mark.js';
import { publish } from './stages/publish.js';
import { query } from './stages/query.js';
import { select } from './stages/select.js';
import { addCounts, NO_COUNTS, type Tally } from './summary.js';

export async function runChunk(ctx: RunContext, window: TimeWindow): Promise<Tally> {
  const queried = await inStage('query', window, () => query(ctx, window));
  const now = ctx.ports.clock.now();
  const detected = await inStage('detect', window, () => detect(ctx, queried.result.rows, now));
  const deduped = await inStage('dedupe', window, () => dedupe(ctx, detected.detection.findings, now));
  const selected = await inStage('select', window, () => select(ctx, deduped.recorded));
  const totals = {
    findings: detected.detection.findings.length,
    newPairs: deduped.recorded.created.length,
    repeats: deduped.recorded.repeats.length,
    suppressed: selected.counts.suppressed ?? 0,
  };
  const confirmed = await inStage('confirm', window, () => confirm(ctx, selected.toNotify, deduped.recorded.repeats));
  const published = await inStage('publish', window, () => publish(ctx, window, confirmed.toNotify, totals));
  const marked = await inStage('mark', window, () => mark(ctx, confirmed.toNotify, published.outcome));
  const followed = await inStage('follow-up', window, () => followUp(ctx, window, confirmed.followUps, totals));

  return {
    counts: addCounts(NO_COUNTS, queried.counts, detected.counts, deduped.counts, selected.counts, confirmed.counts, published.counts,
      marked.counts, followed.counts),
    expiredAllowlistEntries: detected.detection.expiredAllowlistEntries,
    notifications: marked.sent,
  };
}
