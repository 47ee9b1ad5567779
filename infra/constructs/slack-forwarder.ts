import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { LAMBDA_BUNDLING } from './hunt-function.js';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WEBHOOK_SECRET_ENV } from '../../lambda/slack-forwarder/index.js';
import type { SecretRef } from '../context.js';
import { failureQueue } from './failure-queue.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Props of {@link SlackForwarder}. */
export interface SlackForwarderProps {
  /** The findings topic the forwarder subscribes to. */
  readonly topic: sns.ITopic;
  /** The secret holding the Slack incoming-webhook URL (by name or ARN; never created here). */
  readonly webhookSecret: Exclude<SecretRef, { kind: 'create' }>;
  /** Receives the forwarder's alarms (ALARM and OK). */
  readonly alarmTopic: sns.ITopic;
  /**
   * Reserve a concurrency of 1: messages go out one at a time, inside Slack's one message per
   * second per webhook (https://docs.slack.dev/apis/web-api/rate-limits).
   * @default true
   */
  readonly reservedConcurrency?: boolean;
}

/** Imports an existing secret so that grants cover exactly it (partial ARNs and names get `-??????`). */
function importSecret(scope: Construct, id: string, ref: SlackForwarderProps['webhookSecret']): { secret: secretsmanager.ISecret; secretId: string } {
  if (ref.kind === 'name') return { secret: secretsmanager.Secret.fromSecretNameV2(scope, id, ref.name), secretId: ref.name };
  // `complete` follows Secrets Manager's own reading of the ARN (infra/context.ts, arnRef).
  const secret = ref.complete
    ? secretsmanager.Secret.fromSecretCompleteArn(scope, id, ref.arn)
    : secretsmanager.Secret.fromSecretPartialArn(scope, id, ref.arn);
  return { secret, secretId: ref.arn };
}

/** Lambda async retries of a failed delivery (1 and 2 minutes later), then the dead-letter queue. */
export const FORWARDER_RETRY_ATTEMPTS = 2;
/** Findings older than this are not posted any more; they wait in the dead-letter queue instead. */
export const FORWARDER_MAX_EVENT_AGE = Duration.hours(6);

/**
 * Slack without AWS Chatbot: a small function subscribed to the findings topic that posts each
 * finding, digest and alarm to a Slack incoming webhook as Block Kit. It may read only the webhook
 * secret and write only its log group and its dead-letter queue. What it cannot deliver (Slack
 * down past the retries, a refused payload, SNS unable to invoke it) ends in an encrypted SQS
 * dead-letter queue, and alarms on its errors and on that queue go to the alarm topic.
 */
export class SlackForwarder extends Construct {
  public readonly fn: nodejs.NodejsFunction;
  public readonly logGroup: logs.LogGroup;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly secret: secretsmanager.ISecret;
  public readonly errorsAlarm: cw.Alarm;
  public readonly deadLetterAlarm: cw.Alarm;

  constructor(scope: Construct, id: string, props: SlackForwarderProps) {
    super(scope, id);
    const { secret, secretId } = importSecret(this, 'WebhookSecret', props.webhookSecret);
    this.secret = secret;
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS });
    this.deadLetterQueue = failureQueue(this, 'Undelivered', 'Slack messages the forwarder could not deliver (Lambda on-failure destination and SNS subscription DLQ)');

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'WMIC remote-exec hunt Slack forwarder',
    });
    this.logGroup.grantWrite(role);

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: `${ROOT}lambda/slack-forwarder/handler.ts`,
      handler: 'handler',
      projectRoot: ROOT,
      depsLockFilePath: `${ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      // Rendering one message and a few HTTPS calls: little memory. The timeout leaves room for
      // Slack's Retry-After waits and five attempts; the code never waits past it.
      memorySize: 256,
      timeout: Duration.seconds(60),
      reservedConcurrentExecutions: props.reservedConcurrency === false ? undefined : 1,
      role,
      logGroup: this.logGroup,
      retryAttempts: FORWARDER_RETRY_ATTEMPTS,
      maxEventAge: FORWARDER_MAX_EVENT_AGE,
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
      description: 'Posts WMIC remote-exec hunt findings to a Slack incoming webhook (Block Kit)',
      environment: {
        [WEBHOOK_SECRET_ENV]: secretId,
        NODE_OPTIONS: '--enable-source-maps',
      },
      // Bundled like the hunt function.
      bundling: LAMBDA_BUNDLING,
    });
    secret.grantRead(this.fn);

    // SNS invokes the function asynchronously; if it cannot (throttled past its retry policy,
    // permissions), the message goes to the same dead-letter queue.
    props.topic.addSubscription(new subs.LambdaSubscription(this.fn, { deadLetterQueue: this.deadLetterQueue }));

    const action = new cwActions.SnsAction(props.alarmTopic);
    const alarm = (alarmId: string, metric: cw.IMetric, description: string): cw.Alarm => {
      const a = new cw.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
      return a;
    };
    this.errorsAlarm = alarm('Errors', this.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      'The Slack forwarder failed to post a message (Slack refused it, was unreachable past the retries, or the webhook secret is wrong). Lambda retries twice, then the message goes to the dead-letter queue; read the log group.');
    this.deadLetterAlarm = alarm('UndeliveredQueue',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      'A finding could not be posted to Slack after every retry: it is in the Slack dead-letter queue (the email and the Chatbot channel, if any, still got it).');

    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The runtime is pinned to nodejs22.x like the hunt function, so both bundles target the runtime the tests ran; moving to nodejs24.x is a reviewed upgrade.',
    });
  }
}
