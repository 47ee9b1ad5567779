import { Duration, Stack } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { HUNT_DIMENSION, METRIC, METRICS_NAMESPACE, SERVICE_NAME, STACK_DIMENSION } from '../../lambda/telemetry.js';
import { huntMetric } from './hunt-metrics.js';

/** Props of {@link QueryBudget}. */
export interface QueryBudgetProps {
  /** The tenant's daily XQL quota in query units; 0: no alarm (the widget is drawn anyway). */
  readonly quota: number;
  /** Share of `quota` at which the alarm fires (0–1). */
  readonly share: number;
  /** Receives the alarm's ALARM and OK transitions. */
  readonly topic: sns.ITopic;
}

const DAY = Duration.days(1);

/**
 * The tenant's query budget as operators see it: query units per hunt per day on the dashboard,
 * and an alarm when every hunt together spent `share` of the tenant's daily quota over the last
 * 24 hours (XSIAM counts `used_quota` "over the past 24 hours":
 * https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR-REST-API/Get-XQL-Query-Quota).
 */
export class QueryBudget extends Construct {
  /** Undefined when no quota is known (hunt:queryUnitQuota and hunt:dailyQueryUnits both 0). */
  public readonly alarm: cw.Alarm | undefined;
  /** Units per hunt per day, and the alarm's threshold when there is one. */
  public readonly widget: cw.GraphWidget;

  constructor(scope: Construct, id: string, props: QueryBudgetProps) {
    super(scope, id);
    const threshold = Math.round(props.quota * props.share * 1000) / 1000;
    if (props.quota > 0) {
      // Every query unit a run spends is in QueryCost (its queries and late sweeps) or
      // ConfirmQueryCost; a day with no run has no data, which spends nothing.
      const spent = new cw.MathExpression({
        expression: 'FILL(queries, 0) + FILL(confirmations, 0)',
        usingMetrics: { queries: huntMetric(this, METRIC.queryCost, 'Sum', DAY), confirmations: huntMetric(this, METRIC.confirmQueryCost, 'Sum', DAY) },
        period: DAY,
        label: 'query units of every hunt, last 24 h',
      });
      this.alarm = new cw.Alarm(this, 'DailyQueryUnits', {
        metric: spent,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
        alarmDescription: `The hunts spent ${Math.round(props.share * 100)} % (${threshold} query units) of the tenant's daily XQL quota of ${props.quota} in the last 24 hours. Past the quota every XQL query of the tenant fails until it frees up: see the dashboard's units per hunt, lengthen the busiest hunts' schedules or narrow their queries (README, cost).`,
      });
      const action = new cwActions.SnsAction(props.topic);
      this.alarm.addAlarmAction(action);
      this.alarm.addOkAction(action);
    }
    const stack = Stack.of(this).stackName;
    this.widget = new cw.GraphWidget({
      title: 'XSIAM query units per hunt per day',
      width: 12,
      height: 6,
      left: [new cw.MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},${HUNT_DIMENSION},service,${STACK_DIMENSION}} MetricName="${METRIC.huntQueryUnits}" service="${SERVICE_NAME}" ${STACK_DIMENSION}="${stack}"', 'Sum', 86400)`,
        period: DAY,
        label: '',
      })],
      leftYAxis: { label: 'units', min: 0 },
      ...(this.alarm === undefined ? {} : { leftAnnotations: [{ value: threshold, label: `alarm: ${Math.round(props.share * 100)} % of the daily quota (all hunts together)` }] }),
      period: DAY,
      statistic: 'Sum',
    });
  }
}
