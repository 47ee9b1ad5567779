import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DELIVERY_MAX_EVENT_AGE, DELIVERY_RETRY_ATTEMPTS } from './hunt-schedule.js';

/** Props of {@link HuntRules}. */
export interface HuntRulesProps {
  /** Each hunt besides the flagship (whose rule is the stack's `Schedule`), with its schedule expression. */
  readonly hunts: readonly { readonly id: string; readonly expression: string }[];
  /** The function each tick invokes with `{ "huntId": <id> }`. */
  readonly fn: lambda.IFunction;
  /** Where undeliverable ticks go: the flagship schedule's queue, so one alarm covers every hunt. */
  readonly deadLetterQueue: sqs.IQueue;
}

/** One schedule rule per hunt of hunts/, each naming its hunt in the event (the handler routes on `huntId`). */
export class HuntRules extends Construct {
  /** The rules by hunt ID. */
  public readonly rules: ReadonlyMap<string, events.Rule>;

  constructor(scope: Construct, id: string, props: HuntRulesProps) {
    super(scope, id);
    const rules = new Map<string, events.Rule>();
    for (const hunt of props.hunts) {
      // Construct ids are an API: the hunt ID is one already (letters, digits, ".", "_", "-").
      const rule = new events.Rule(this, hunt.id, {
        description: `Starts the hunt ${hunt.id}`,
        schedule: events.Schedule.expression(hunt.expression),
      });
      rule.addTarget(new targets.LambdaFunction(props.fn, {
        event: events.RuleTargetInput.fromObject({ huntId: hunt.id }),
        retryAttempts: DELIVERY_RETRY_ATTEMPTS,
        maxEventAge: DELIVERY_MAX_EVENT_AGE,
        deadLetterQueue: props.deadLetterQueue,
      }));
      rules.set(hunt.id, rule);
    }
    this.rules = rules;
  }
}
