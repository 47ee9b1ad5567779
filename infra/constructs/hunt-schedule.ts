import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { failureQueue } from './failure-queue.js';

/** Props of {@link HuntSchedule}. */
export interface HuntScheduleProps {
  /** EventBridge `rate()` or `cron()` expression (UTC). */
  readonly expression: string;
  /** The function each tick invokes (asynchronously). */
  readonly fn: lambda.IFunction;
}

/** EventBridge delivery: a few retries, then the tick is dropped to the DLQ. */
export const DELIVERY_RETRY_ATTEMPTS = 3;
/**
 * A tick that could not be delivered within ten minutes is not worth delivering late: the
 * checkpoint did not move, so the next tick covers the same time anyway.
 */
export const DELIVERY_MAX_EVENT_AGE = Duration.minutes(10);

/** The schedule that starts each hunt run, with a dead-letter queue for undeliverable ticks. */
export class HuntSchedule extends Construct {
  public readonly rule: events.Rule;
  /** Ticks EventBridge could not deliver to the function. */
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: HuntScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = failureQueue(this, 'UndeliveredTicks', 'schedule ticks EventBridge could not deliver to the hunt Lambda');
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Starts the WMIC remote-exec hunt',
      schedule: events.Schedule.expression(props.expression),
    });
    this.rule.addTarget(new targets.LambdaFunction(props.fn, {
      retryAttempts: DELIVERY_RETRY_ATTEMPTS,
      maxEventAge: DELIVERY_MAX_EVENT_AGE,
      deadLetterQueue: this.deadLetterQueue,
    }));
  }
}
