/**
 * The query units a run spent, per hunt: one EMF document of its own with the `huntId` dimension
 * beside the stack's (Powertools' single metric keeps the default dimensions), so the dashboard
 * can sum them per hunt per day. The tenant-wide alarm reads the run metrics QueryCost and
 * ConfirmQueryCost (same units, stack dimensions only).
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { RunSummary } from './run/index.js';
import { HUNT_DIMENSION, METRIC } from './telemetry.js';

/** Query units of the run: its own and late sweeps' queries (`queryCost`) plus its confirmations. */
export function runQueryUnits(s: Pick<RunSummary, 'queryCost' | 'confirmQueryCost'>): number {
  return s.queryCost + s.confirmQueryCost;
}

export function emitHuntQueryUnits(metrics: Metrics, s: Pick<RunSummary, 'huntId' | 'queryCost' | 'confirmQueryCost'>): void {
  const single = metrics.singleMetric();
  single.addDimension(HUNT_DIMENSION, s.huntId);
  single.addMetric(METRIC.huntQueryUnits, MetricUnit.NoUnit, runQueryUnits(s));
}
