import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC } from '../../lambda/telemetry.js';
import { huntMetric } from './hunt-metrics.js';

/** Props of {@link HealthAlarms}. */
export interface HealthAlarmsProps {
  readonly fn: lambda.IFunction;
  /** The alias the backfill state machine invokes: its errors and throttles are not the schedule's. */
  readonly backfillAlias?: lambda.IFunction;
  /** Lambda on-failure destination. */
  readonly failedRunsQueue: sqs.IQueue;
  /** EventBridge dead-letter queue. */
  readonly undeliveredTicksQueue: sqs.IQueue;
  /** Receives every alarm's ALARM and OK transitions. */
  readonly topic: sns.ITopic;
  /** Alarm when no run succeeded for this many minutes (whole minutes, at most 1440). */
  readonly heartbeatMinutes: number;
}

const PERIOD = Duration.minutes(5);

/** Alarms that say the hunt is failing, stuck, or silently not running. */
export class HealthAlarms extends Construct {
  public readonly errors: cw.Alarm;
  public readonly throttles: cw.Alarm;
  public readonly failedRuns: cw.Alarm;
  public readonly undeliveredTicks: cw.Alarm;
  public readonly publishFailures: cw.Alarm;
  public readonly secretNotConfigured: cw.Alarm;
  public readonly heartbeat: cw.Alarm;
  public readonly lateSweepOverBudget: cw.Alarm;

  constructor(scope: Construct, id: string, props: HealthAlarmsProps) {
    super(scope, id);
    const action = new cwActions.SnsAction(props.topic);
    const atLeastOnce = (alarmId: string, metric: cw.IMetric, description: string): cw.Alarm => {
      const alarm = new cw.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No data means nothing happened: no errors, no messages.
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    };

    // The function's metrics aggregate every alias; the backfill alias's own are subtracted
    // (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html, "Resource" dimension).
    const scheduledOnly = (name: 'Errors' | 'Throttles'): cw.IMetric => {
      const all = props.fn.metric(name, { period: PERIOD, statistic: 'Sum' });
      if (props.backfillAlias === undefined) return all;
      return new cw.MathExpression({
        expression: 'all - FILL(backfill, 0)',
        usingMetrics: { all, backfill: props.backfillAlias.metric(name, { period: PERIOD, statistic: 'Sum' }) },
        period: PERIOD,
        label: `${name} outside backfill chunks`,
      });
    };
    this.errors = atLeastOnce('Errors', scheduledOnly('Errors'),
      'The hunt Lambda failed (exception or timeout). Read its log group; the next run retries the same window.');
    this.throttles = atLeastOnce('Throttles', scheduledOnly('Throttles'),
      'The hunt Lambda was throttled: a run overlapped another (manual invoke) or the account is out of concurrency.');
    this.failedRuns = atLeastOnce('FailedRunsQueue',
      props.failedRunsQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      'A hunt run failed after its retry; the invocation record (error and request) is in the failed-runs queue.');
    this.undeliveredTicks = atLeastOnce('UndeliveredTicksQueue',
      props.undeliveredTicksQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      'EventBridge could not invoke the hunt Lambda (permissions, deleted function, throttling); the ticks are in its dead-letter queue.');
    // The handler emits these two on every completed run (0, or the count), so the alarms hold
    // their state between runs (missing data is ignored) and clear on the next good run: one
    // ALARM and one OK per episode instead of a flip every period.
    const untilNextGoodRun = (alarmId: string, metric: cw.IMetric, description: string): cw.Alarm => {
      const alarm = new cw.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cw.TreatMissingData.IGNORE,
        alarmDescription: description,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    };
    this.publishFailures = untilNextGoodRun('PublishFailures', huntMetric(this, METRIC.publishFailures, 'Maximum', PERIOD),
      'SNS rejected a finding notification; the finding stays PENDING and is re-sent by the next run. Check the topic and its key policy.');
    this.secretNotConfigured = untilNextGoodRun('SecretNotConfigured', huntMetric(this, METRIC.secretNotConfigured, 'Maximum', PERIOD),
      'The XSIAM secret does not exist or has no value yet, so the hunt is not running: put the credentials JSON (README, "Deploy"). Clears after the next run.');

    this.lateSweepOverBudget = untilNextGoodRun('LateSweepOverBudget', huntMetric(this, METRIC.lateSweepsOverBudget, 'Maximum', PERIOD),
      'A late sweep (events that reached XSIAM late) was narrowed or put off: the day\'s hunt:dailyQueryUnits budget could not pay for it. Late events wait for the full sweep and are lost past hunt:lateArrivalHours if it cannot run; raise the budget, lower hunt:lateSweepRecentHours or hunt:lateArrivalHours (README, cost table).');

    // A run that found the secret empty counts here: the SecretNotConfigured alarm already says
    // what is wrong, and one clear alarm beats two for the same cause.
    const ranOrReportedSecret = new cw.MathExpression({
      expression: 'succeeded + secretMissing',
      usingMetrics: {
        succeeded: huntMetric(this, METRIC.runSucceeded, 'Sum', Duration.minutes(props.heartbeatMinutes)),
        secretMissing: huntMetric(this, METRIC.secretNotConfigured, 'Sum', Duration.minutes(props.heartbeatMinutes)),
      },
      period: Duration.minutes(props.heartbeatMinutes),
      label: 'runs that succeeded or reported the secret missing',
    });
    this.heartbeat = new cw.Alarm(this, 'Heartbeat', {
      metric: ranOrReportedSecret,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      // Silence is the failure this alarm exists for: no data at all means no run succeeded.
      treatMissingData: cw.TreatMissingData.BREACHING,
      alarmDescription: `No hunt run succeeded in ${props.heartbeatMinutes} minutes: the schedule, the Lambda, XSIAM or the credentials are broken, and findings are not being looked for.`,
    });
    this.heartbeat.addAlarmAction(action);
    this.heartbeat.addOkAction(action);
  }

  /** Every alarm, for the dashboard's status widget. */
  public all(): cw.Alarm[] {
    return [this.heartbeat, this.secretNotConfigured, this.errors, this.throttles, this.publishFailures, this.failedRuns, this.undeliveredTicks, this.lateSweepOverBudget];
  }
}
