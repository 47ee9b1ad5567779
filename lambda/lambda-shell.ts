/**
 * The Lambda's shell around runHunt: turns the scheduled event and the Lambda context into a run
 * request, logs one summary line per run, emits EMF metrics, and throws on failure so Lambda's
 * async retries and the on-failure destination apply. No hunt logic lives here.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { assertChunkDone, chunkFailure, isQuotaExhausted, runAction } from './action-handlers.js';
import { parseAction } from './actions.js';
import { chunkResult } from './backfill-plan.js';
import type { HandlerConfig } from './config.js';
import type { OpsPublisher } from './shadow-report.js';
import { isSecretNotConfigured } from './credentials/index.js';
import type { HuntDefinition } from './hunts/index.js';
import type { Log } from './ports.js';
import { PublishFailedError, runHunt, StageError, type RunPorts, type RunSummary } from './run/index.js';
import { METRIC } from './telemetry.js';
import { emitHuntQueryUnits } from './query-units-metric.js';

/** Time kept back from Lambda's own timeout so a run can commit (or fail loudly) before it is killed. */
const SAFETY_MARGIN_MS = 10_000;
/** The run lease outlives the invocation by this much, then frees itself even after a crash. */
const LEASE_SLACK_MS = 30_000;

export interface ShellDeps {
  readonly config: HandlerConfig;
  readonly hunt: HuntDefinition;
  readonly ports: Omit<RunPorts, 'log'>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The ops (alarm) topic, for the daily shadow report. @default none: the report action fails */
  readonly ops?: OpsPublisher | undefined;
  /** The hunts in shadow, which the daily shadow report covers. @default this hunt */
  readonly shadowHunts?: readonly string[];
}

/** A run that did no hunting because the XSIAM secret has no value yet (see isSecretNotConfigured). */
export interface SecretNotConfiguredResult {
  readonly runId: string;
  readonly status: 'secret-not-configured';
  /** What ops should do; names the secret, never a value. */
  readonly message: string;
}

/**
 * A scheduled tick, or an action event of the backfill state machine / daily shadow report
 * (`{ "action": "hunt-window" | "plan-backfill" | "backfill-summary" | "shadow-report", ... }`, see actions.ts).
 */
export type HuntEvent = Partial<ScheduledEvent> | Readonly<Record<string, unknown>> | undefined;
/** A chunk's result: the run summary without the notified pairs (Step Functions payloads are small). */
export type ChunkResult = Omit<RunSummary, 'notifications' | 'expiredAllowlistEntries' | 'checked'>;

export type HuntHandler = (event: HuntEvent, context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>) => Promise<RunSummary | SecretNotConfiguredResult | ChunkResult | ({ readonly status: string } & Record<string, unknown>)>;

export function makeHandler(deps: ShellDeps): HuntHandler {
  const { logger, metrics } = deps;
  return async (event, context) => {
    logger.appendKeys({ runId: context.awsRequestId, scheduledTime: typeof event?.['time'] === 'string' ? event['time'] : undefined });
    let action;
    try {
      action = parseAction(event);
      if (action.action !== 'scheduled' && action.action !== 'hunt-window') {
        return await runAction(action, { hunt: deps.hunt, settings: deps.config.settings, state: deps.ports.state, now: deps.ports.clock.now, ops: deps.ops,
          ...(deps.shadowHunts !== undefined && { shadowHunts: deps.shadowHunts }) });
      }
    } catch (err) {
      logger.error('invocation failed', { error: describeError(err) });
      logger.resetKeys();
      throw err;
    }
    const window = action.action === 'hunt-window' ? action.window : undefined;
    const started = deps.ports.clock.now();
    try {
      const summary = await runHunt({ ...deps.ports, log: asLog(logger) }, {
        ...(window === undefined ? {} : { window, windowLease: true }),
        // Shadow deployments never publish; an event may ask for shadow, never for live.
        shadow: deps.config.shadow || (action.action === 'hunt-window' && action.shadow),
        hunt: deps.hunt,
        // A run killed by Lambda's timeout must not block the next scheduled run for long.
        settings: { ...deps.config.settings, leaseTtlMs: context.getRemainingTimeInMillis() + LEASE_SLACK_MS },
        runId: context.awsRequestId,
        deadline: started + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS,
      });
      const { notifications: _sent, incidents: _incidents, checked: _checked, ...line } = summary;
      logger.info('run summary', { summary: line });
      emitRunMetrics(metrics, summary, action.action === 'hunt-window');
      if (action.action === 'hunt-window') {
        assertChunkDone(summary);
        return chunkResult(summary) as ChunkResult;
      }
      // The checked pairs are for the local CLI's output: a busy day's could pass Lambda's response limit.
      return { ...summary, checked: [] };
    } catch (err) {
      // The step that failed wraps its port's error; the secret's state is the cause's.
      // A backfill chunk without credentials must fail (the execution says so), not count as done.
      if (action.action !== 'hunt-window' && isSecretNotConfigured(err instanceof StageError ? err.cause : err)) {
        // A fresh deploy before anyone put the credentials: one steady, named signal (the
        // SecretNotConfigured alarm) instead of an error, two retries and a failed-runs record
        // every schedule tick. The checkpoint did not move, so nothing is skipped meanwhile.
        const message = `The XSIAM secret ${deps.config.secretId} does not exist or has no value yet: put the credentials JSON (README, "Deploy"); the next run starts hunting.`;
        logger.error('run skipped: XSIAM secret not configured', { error: describeError(err), hint: message });
        metrics.addMetric(METRIC.secretNotConfigured, MetricUnit.Count, 1);
        metrics.addMetric(METRIC.runSucceeded, MetricUnit.Count, 0);
        return { runId: context.awsRequestId, status: 'secret-not-configured', message };
      }
      logger.error('run failed', { error: describeError(err) });
      metrics.addMetric(METRIC.durationMs, MetricUnit.Milliseconds, deps.ports.clock.now() - started);
      // A spent quota: its own signal, and no retries (Lambda's async retries come back within
      // minutes, the quota after a day).
      const quotaExhausted = isQuotaExhausted(err);
      if (quotaExhausted) metrics.addMetric(METRIC.xsiamQuotaExhausted, MetricUnit.Count, 1);
      // A chunk's failure is retried by the state machine: its own metric, not the schedule's alarms.
      if (action.action === 'hunt-window') {
        metrics.addMetric(METRIC.backfillChunkFailed, MetricUnit.Count, 1);
        throw chunkFailure(err);
      }
      metrics.addMetric(METRIC.runFailed, MetricUnit.Count, 1);
      if (quotaExhausted) {
        return { runId: context.awsRequestId, status: 'quota-exhausted', message: 'The XSIAM daily XQL query quota is exhausted; the checkpoint stays, and the next run after the reset catches up.' };
      }
      // SNS refused some notifications: the alarm on this metric says so by name.
      if (err instanceof PublishFailedError) metrics.addMetric(METRIC.publishFailures, MetricUnit.Count, err.failures.length);
      throw err;
    } finally {
      metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}

/** `chunk`: a backfill chunk, whose outcome has its own metric and which feeds no scheduled-run alarm. */
function emitRunMetrics(metrics: Metrics, s: RunSummary, chunk: boolean): void {
  const count = (name: string, value: number): void => { metrics.addMetric(name, MetricUnit.Count, value); };
  // A run that found another run holding the lease, or no XSIAM query slot for its first window,
  // hunted nothing: it is not a heartbeat (slots held for hours would otherwise look healthy).
  const done = s.status === 'lease-held' || (s.querySlotUnavailable > 0 && s.chunks === 0) ? 0 : 1;
  if (chunk) count(METRIC.backfillChunkSucceeded, s.status === 'completed' || s.status === 'up-to-date' ? 1 : 0);
  else count(METRIC.runSucceeded, done);
  count(METRIC.rows, s.rows);
  count(METRIC.findings, s.findings);
  count(METRIC.newPairs, s.newPairs);
  count(METRIC.repeats, s.repeats);
  count(METRIC.suppressed, s.suppressed);
  count(METRIC.notified, s.notified);
  count(METRIC.wouldNotify, s.wouldNotify);
  // Zeros on every completed scheduled run give the publish and secret alarms data points to recover on.
  if (!chunk) {
    count(METRIC.publishFailures, 0);
    count(METRIC.secretNotConfigured, 0);
  }
  count(METRIC.httpCalls, s.httpCalls);
  metrics.addMetric(METRIC.queryCost, MetricUnit.NoUnit, s.queryCost);
  metrics.addMetric(METRIC.skippedSeconds, MetricUnit.Seconds, Math.round(s.skippedMs / 1000));
  if (s.windowLagMs !== null) metrics.addMetric(METRIC.windowLagSeconds, MetricUnit.Seconds, Math.round(s.windowLagMs / 1000));
  metrics.addMetric(METRIC.durationMs, MetricUnit.Milliseconds, s.durationMs);
  count(METRIC.confirmQueries, s.confirmQueries);
  count(METRIC.confirmHttpCalls, s.confirmHttpCalls);
  metrics.addMetric(METRIC.confirmQueryCost, MetricUnit.NoUnit, s.confirmQueryCost);
  count(METRIC.confirmed, s.confirmed);
  count(METRIC.notSeen, s.notSeen);
  count(METRIC.unmanaged, s.unmanaged);
  count(METRIC.unavailable, s.unavailable);
  count(METRIC.followUps, s.followUps);
  count(METRIC.pairsInFlight, s.inFlight);
  count(METRIC.lateSweeps, s.lateSweeps);
  metrics.addMetric(METRIC.lateSweepQueryCost, MetricUnit.NoUnit, s.lateSweepQueryCost);
  metrics.addMetric(METRIC.lateSweepDataHours, MetricUnit.NoUnit, s.lateSweepDataHours);
  count(METRIC.lateSweepsOverBudget, s.lateSweepsOverBudget);
  count(METRIC.latePairs, s.latePairs);
  for (const ms of s.detectionLatencyMs?.values ?? []) metrics.addMetric(METRIC.detectionLatencyMs, MetricUnit.Milliseconds, ms);
  count(METRIC.querySlotUnavailable, s.querySlotUnavailable);
  emitHuntQueryUnits(metrics, s);
}

/** Powertools Logger behind the pipeline's Log port. */
export function asLog(logger: Logger): Log {
  const extra = (e?: Record<string, unknown>): LogAttributes => (e ?? {}) as LogAttributes;
  return {
    debug: (m, e) => logger.debug(m, extra(e)),
    info: (m, e) => logger.info(m, extra(e)),
    warn: (m, e) => logger.warn(m, extra(e)),
    error: (m, e) => logger.error(m, extra(e)),
  };
}

/** Name, message and cause chain of an error; messages of this product's errors carry no secrets. */
export function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { name: 'NonError', message: String(err).slice(0, 300) };
  const out: Record<string, unknown> = { name: err.name, message: err.message.slice(0, 1000) };
  if (err.cause !== undefined) out.cause = describeError(err.cause);
  return out;
}
