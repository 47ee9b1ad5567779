import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { CHUNK_RETRY_ERRORS } from '../../lambda/action-handlers.js';
import { CHUNK_RESULT_FIELDS } from '../../lambda/backfill-plan.js';
import { MAX_BACKFILL_CONCURRENCY } from '../concurrency.js';

/** Props of {@link BackfillStateMachine}. */
export interface BackfillStateMachineProps {
  /** The hunt function: it plans the chunks, hunts each one (`hunt-window`) and adds them up. */
  readonly fn: lambda.IFunction;
  /** Receives the failed-execution alarm's ALARM and OK transitions (the ops side). */
  readonly alarmTopic: sns.ITopic;
  /** Chunks hunted at once (within the function's reserved concurrency, see infra/concurrency.ts). @default BACKFILL_MAX_CONCURRENCY */
  readonly maxConcurrency?: number;
}

/** At most this many chunks at once (XSIAM's 4 concurrent queries, one kept for the schedule). */
export const BACKFILL_MAX_CONCURRENCY = MAX_BACKFILL_CONCURRENCY;

/** Errors a chunk is retried on: XSIAM/DynamoDB throttling and unfinished chunks (the function's), and Lambda's own throttling and transient faults. */
export const CHUNK_RETRY_ON = [
  ...CHUNK_RETRY_ERRORS,
  'Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException',
] as const;

/**
 * A backfill as a Step Functions execution: input `{ "from": "…", "to": "…", "chunkMinutes"?: n,
 * "shadow"?: true }` → the hunt function plans the chunk windows → a Map hunts them, at most three
 * at once, each one invocation with an explicit window (dedupes and notifies like a run, never
 * moves the scheduled checkpoint), retried with backoff on throttling → one summary.
 */
export class BackfillStateMachine extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly logGroup: logs.LogGroup;
  /** An execution failed or timed out: part of the range may not be hunted. */
  public readonly failedAlarm: cw.Alarm;

  constructor(scope: Construct, id: string, props: BackfillStateMachineProps) {
    super(scope, id);
    const maxConcurrency = props.maxConcurrency ?? BACKFILL_MAX_CONCURRENCY;
    const invoke = (stateId: string, payload: sfn.TaskInput, comment: string): tasks.LambdaInvoke =>
      new tasks.LambdaInvoke(this, stateId, { lambdaFunction: props.fn, payload, payloadResponseOnly: true, comment });

    const plan = invoke('PlanChunks', sfn.TaskInput.fromObject({ action: 'plan-backfill', input: sfn.JsonPath.entirePayload }),
      'Split the range into chunk windows of at most chunkMinutes (default hunt:maxWindowMinutes)');
    plan.addRetry({ errors: ['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 3 });

    // No payload: the task passes its input, the Map item `{ action: "hunt-window", window, shadow }`,
    // as the invocation payload (a `"Parameters": "$"` would be the literal string "$":
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-parameters.html). The result is
    // trimmed to a few counts so the Map's output stays within the state size limit.
    const huntChunk = new tasks.LambdaInvoke(this, 'HuntChunk', {
      lambdaFunction: props.fn,
      payloadResponseOnly: true,
      comment: 'One chunk: a hunt run over exactly this window; its Map item is the invocation payload',
      resultSelector: Object.fromEntries(CHUNK_RESULT_FIELDS.map((f) => [f, f === 'status' ? sfn.JsonPath.stringAt(`$.${f}`) : sfn.JsonPath.numberAt(`$.${f}`)])),
    });
    huntChunk.addRetry({
      errors: [...CHUNK_RETRY_ON], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 6,
      maxDelay: Duration.minutes(10), jitterStrategy: sfn.JitterType.FULL,
    });

    const chunks = new sfn.Map(this, 'HuntChunks', {
      comment: `Hunt the chunks, at most ${maxConcurrency} at once (XSIAM allows 4 concurrent queries; one stays for the schedule)`,
      itemsPath: '$.chunks',
      maxConcurrency,
      // Each chunk's kept result takes its item's place: the items (about 116 bytes each) and the
      // results are never in the state together (262,144 bytes at most, see lambda/backfill-plan.ts).
      resultPath: '$.chunks',
    }).itemProcessor(huntChunk);

    const summary = invoke('Summarise', sfn.TaskInput.fromObject({ action: 'backfill-summary', results: sfn.JsonPath.listAt('$.chunks') }),
      'Add up the chunks: rows, findings, new pairs, notified (or wouldNotify in shadow mode)');

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // "Prefix your CloudWatch Logs log group names with /aws/vendedlogs/" keeps the logs resource
      // policy under its size limit (https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html).
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-Backfill`,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Backfill of the WMIC remote-exec hunt over a past range (README, "Backfill")',
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(chunks).next(summary)),
      timeout: Duration.days(2),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    const period = Duration.minutes(5);
    this.failedAlarm = new cw.Alarm(this, 'ExecutionFailed', {
      metric: new cw.MathExpression({
        expression: 'failed + timedOut',
        usingMetrics: {
          failed: this.stateMachine.metricFailed({ period, statistic: 'Sum' }),
          timedOut: this.stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
        },
        period,
        label: 'backfill executions failed or timed out',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'A backfill execution failed or timed out: chunks after the failure were not hunted. Read the execution\'s history; re-run the failed chunk with its Map item as the payload, or start the backfill again (hunted chunks dedupe).',
    });
    const action = new cwActions.SnsAction(props.alarmTopic);
    this.failedAlarm.addAlarmAction(action);
    this.failedAlarm.addOkAction(action);

    const fnLogicalId = Stack.of(this).resolve((props.fn.node.defaultChild as lambda.CfnFunction).logicalId) as string;
    Validations.of(this.stateMachine.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${fnLogicalId}.Arn>:*]`,
      reason: 'LambdaInvoke grants the function and its versions (ARN:*); the wildcard is scoped to this one hunt function.',
    }, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing (xray:PutTraceSegments and friends) and CloudWatch Logs vended log delivery (logs:CreateLogDelivery and friends) accept no resource but "*", as their service authorization references document; CDK adds exactly these for tracingEnabled and logs.',
    });
  }
}
