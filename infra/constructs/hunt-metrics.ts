import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE, SERVICE_NAME, type MetricName } from '../../lambda/telemetry.js';

/**
 * One of the handler's EMF metrics. Powertools adds the `service` dimension by default, so the
 * metric is addressed by namespace, name and service exactly as the handler emits it.
 */
export function huntMetric(metricName: MetricName, statistic: string, period: Duration = Duration.minutes(5), label?: string): cw.Metric {
  return new cw.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic,
    period,
    ...(label === undefined ? {} : { label }),
  });
}
