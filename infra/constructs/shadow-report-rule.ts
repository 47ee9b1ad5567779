import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DELIVERY_MAX_EVENT_AGE, DELIVERY_RETRY_ATTEMPTS } from './hunt-schedule.js';

/** Props of {@link ShadowReportRule}. */
export interface ShadowReportRuleProps {
  readonly fn: lambda.IFunction;
  /** Where undeliverable invocations go (the schedule's dead-letter queue). */
  readonly deadLetterQueue: sqs.IQueue;
}

/** The event the rule sends: the hunt function answers it with the daily shadow report. */
export const SHADOW_REPORT_EVENT = { action: 'shadow-report' } as const;

/** Once a day (07:00 UTC), in shadow mode only: the last day's would-have-sent pairs to the ops topic. */
export class ShadowReportRule extends Construct {
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ShadowReportRuleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Daily shadow report of the WMIC remote-exec hunt (shadow mode)',
      schedule: events.Schedule.cron({ minute: '0', hour: '7' }),
    });
    this.rule.addTarget(new targets.LambdaFunction(props.fn, {
      event: events.RuleTargetInput.fromObject(SHADOW_REPORT_EVENT),
      retryAttempts: DELIVERY_RETRY_ATTEMPTS,
      maxEventAge: DELIVERY_MAX_EVENT_AGE,
      deadLetterQueue: props.deadLetterQueue,
    }));
  }
}
