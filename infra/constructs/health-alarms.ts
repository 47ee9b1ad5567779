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
  public readonly heartbeat: cw.Alarm;

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

    this.errors = atLeastOnce('Errors', props.fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      'The hunt Lambda failed (exception or timeout). Read its log group; the next run retries the same window.');
    this.throttles = atLeastOnce('Throttles', props.fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
      'The hunt Lambda was throttled: a run overlapped another (manual invoke) or the account is out of concurrency.');
    this.failedRuns = atLeastOnce('FailedRunsQueue',
      props.failedRunsQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      'A hunt run failed after its retry; the invocation record (error and request) is in the failed-runs queue.');
    this.undeliveredTicks = atLeastOnce('UndeliveredTicksQueue',
      props.undeliveredTicksQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      'EventBridge could not invoke the hunt Lambda (permissions, deleted function, throttling); the ticks are in its dead-letter queue.');
    this.publishFailures = atLeastOnce('PublishFailures', huntMetric(METRIC.publishFailures, 'Sum', PERIOD),
      'SNS rejected a finding notification; the finding stays PENDING and is re-sent by the next run.');

    this.heartbeat = new cw.Alarm(this, 'Heartbeat', {
      metric: huntMetric(METRIC.runSucceeded, 'Sum', Duration.minutes(props.heartbeatMinutes)),
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
    return [this.heartbeat, this.errors, this.throttles, this.publishFailures, this.failedRuns, this.undeliveredTicks];
  }
}
