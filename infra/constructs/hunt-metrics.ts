import { Duration, Stack } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME, STACK_DIMENSION, type MetricName } from '../../lambda/telemetry.js';

/**
 * One of the handler's EMF metrics, as the function of `scope`'s stack emits it: Powertools adds
 * the `service` dimension, and the stack's name as the `stack` dimension (HUNT_STACK_NAME), so a
 * second stack's alarms never read this one's data.
 */
export function huntMetric(scope: IConstruct, metricName: MetricName, statistic: string, period: Duration = Duration.minutes(5), label?: string): cw.Metric {
  return new cw.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME, [STACK_DIMENSION]: Stack.of(scope).stackName },
    statistic,
    period,
    ...(label === undefined ? {} : { label }),
  });
}
