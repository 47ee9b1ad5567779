import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC } from '../../lambda/telemetry.js';
import { huntMetric } from './hunt-metrics.js';

/** Props of {@link HuntDashboard}. */
export interface HuntDashboardProps {
  readonly fn: lambda.IFunction;
  readonly alarms: readonly cw.IAlarm[];
  /** Dead-letter queues to graph, with their legend labels. */
  readonly queues: readonly { readonly label: string; readonly queue: sqs.IQueue }[];
  /**
   * Aggregation period of the graphs; one schedule interval shows one point per run.
   * @default Duration.minutes(15)
   */
  readonly period?: Duration;
}

/** One page that answers "is the hunt running, what did it see, what did it cost, how far behind is it". */
export class HuntDashboard extends Construct {
  public readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: HuntDashboardProps) {
    super(scope, id);
    const period = props.period ?? Duration.minutes(15);
    const sum = (name: (typeof METRIC)[keyof typeof METRIC], label: string): cw.Metric => huntMetric(this, name, 'Sum', period, label);
    const graph = (title: string, left: cw.IMetric[], right: cw.IMetric[] = [], leftLabel?: string): cw.GraphWidget =>
      new cw.GraphWidget({ title, left, right, width: 12, height: 6, ...(leftLabel === undefined ? {} : { leftYAxis: { label: leftLabel, min: 0 } }) });

    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      // No fixed name: dashboard names are global to the account, so a second stack or Region
      // would collide. CloudFormation generates one; the DashboardName output shows it.
      defaultInterval: Duration.days(1),
      widgets: [
        [new cw.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 3 })],
        [
          graph('Runs', [sum(METRIC.runSucceeded, 'succeeded'), sum(METRIC.runFailed, 'failed'), sum(METRIC.secretNotConfigured, 'secret not configured')],
            [props.fn.metricErrors({ period, label: 'Lambda errors' }), props.fn.metricThrottles({ period, label: 'Lambda throttles' })], 'runs'),
          graph('Run duration',
            [huntMetric(this, METRIC.durationMs, 'Average', period, 'run average (ms)'), huntMetric(this, METRIC.durationMs, 'Maximum', period, 'run max (ms)')],
            [props.fn.metricDuration({ period, statistic: 'Maximum', label: 'Lambda max (ms)' })], 'ms'),
        ],
        [
          graph('Rows and findings', [sum(METRIC.rows, 'XQL rows'), sum(METRIC.findings, 'findings')], [], 'count'),
          graph('New pairs and notifications',
            [sum(METRIC.newPairs, 'new pairs'), sum(METRIC.notified, 'notified'), sum(METRIC.repeats, 'repeats (deduped)'), sum(METRIC.suppressed, 'suppressed'), sum(METRIC.wouldNotify, 'would notify (shadow mode)')],
            [sum(METRIC.publishFailures, 'publish failures')], 'count'),
        ],
        [
          graph('XSIAM query cost', [sum(METRIC.queryCost, 'query cost'), sum(METRIC.httpCalls, 'HTTP calls')], [], 'units'),
          graph('Window lag', [huntMetric(this, METRIC.windowLagSeconds, 'Maximum', period, 'lag behind now (s)')],
            [sum(METRIC.skippedSeconds, 'skipped past max lookback (s)')], 'seconds'),
        ],
        [
          graph('Dead-letter queues',
            props.queues.map(({ label, queue }) => queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label })), [], 'messages'),
        ],
      ],
    });
  }
}
