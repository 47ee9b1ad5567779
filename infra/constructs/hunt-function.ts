import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, HUNT_FUNCTION_TIMEOUT_SECONDS } from '../../lambda/config.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/telemetry.js';
import { failureQueue } from './failure-queue.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Props of {@link HuntFunction}. */
export interface HuntFunctionProps {
  /** State table; the function gets read/write data on it and its name in HUNT_TABLE_NAME. */
  readonly table: dynamodb.ITableV2;
  /** Findings topic; the function may publish to it and gets its ARN in HUNT_TOPIC_ARN. */
  readonly topic: sns.ITopic;
  /** XSIAM credentials; the function may read only this secret. */
  readonly secret: secretsmanager.ISecret;
  /** Name or ARN put in XSIAM_SECRET_ID. */
  readonly secretId: string;
  /** Run settings: ENV variable name → value (see lambda/config.ts). */
  readonly runEnvironment: Readonly<Record<string, string>>;
  /**
   * Reserved concurrent executions (room for the scheduled run and the backfill's chunks, see
   * infra/concurrency.ts). Opt-in: Lambda keeps 100 of the account's concurrency unreserved, so a
   * new account (limit 10) cannot reserve any.
   * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
   * @default none reserved
   */
  readonly reservedExecutions?: number | undefined;
  /**
   * Entry file exporting `handler`.
   * @default - lambda/handler.ts
   */
  readonly entry?: string;
}

/** DynamoDB actions the hunt's state code uses (see lambda/state/). */
export const TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;

/**
 * How every function of the stack is bundled: ESM for Node.js 22, minified with names kept and
 * source maps, the pinned AWS SDK inside (so what runs is what the tests ran).
 */
export const LAMBDA_BUNDLING: nodejs.BundlingOptions = {
  format: nodejs.OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  keepNames: true,
  mainFields: ['module', 'main'],
  // Pinned SDK clients go into the bundle instead of the runtime's copy.
  bundleAwsSDK: true,
  // CommonJS dependencies inside an ESM bundle still call require(); give them one.
  banner: "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);",
};

/** Lambda async settings: one retry after a failure, and no run of a tick older than ten minutes. */
export const ASYNC_RETRY_ATTEMPTS = 1;
export const ASYNC_MAX_EVENT_AGE = Duration.minutes(10);

/**
 * The hunt Lambda: an ESM bundle of lambda/handler.ts (AWS SDK included, so what runs is what
 * the tests ran), on Node.js 22 / ARM64, with failed async invocations recorded in an SQS queue.
 */
export class HuntFunction extends Construct {
  public readonly fn: nodejs.NodejsFunction;
  public readonly logGroup: logs.LogGroup;
  /** Invocation records of runs that failed after their retry (Lambda on-failure destination). */
  public readonly failureQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: HuntFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      // Run history outlives a stack deletion, but a failed first create leaves no billable log group.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.failureQueue = failureQueue(this, 'FailedRuns', 'hunt runs that failed after their async retry (Lambda on-failure destination)');

    // Own role instead of AWSLambdaBasicExecutionRole: it may write to this one log group only.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'WMIC remote-exec hunt Lambda',
    });
    this.logGroup.grantWrite(role);

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry ?? `${ROOT}lambda/handler.ts`,
      handler: 'handler',
      projectRoot: ROOT,
      depsLockFilePath: `${ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      // XSIAM returns up to 1,000 rows inline and streams larger results (up to 1,000,000 rows)
      // as gzip NDJSON. The hunt's rows are narrow (a few hundred bytes of fields), and a window
      // with hundreds of thousands of wmic /node: hits plus their findings fits in 1 GB, which
      // also buys a proportional CPU share for gunzip and JSON parsing. Five minutes covers a slow
      // async query (start, adaptive polling, stream download) and stays well inside the
      // default 15-minute schedule, so a hung run ends as a timeout error before the next tick
      // (its run lease lasts the invocation plus 30 s, then frees itself).
      memorySize: 1024,
      timeout: Duration.seconds(HUNT_FUNCTION_TIMEOUT_SECONDS),
      reservedConcurrentExecutions: props.reservedExecutions,
      role,
      logGroup: this.logGroup,
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      maxEventAge: ASYNC_MAX_EVENT_AGE,
      onFailure: new destinations.SqsDestination(this.failureQueue),
      description: 'Scheduled Cortex XSIAM hunt: wmic /node: process call create (T1047)',
      environment: {
        ...props.runEnvironment,
        [ENV.tableName]: props.table.tableName,
        [ENV.topicArn]: props.topic.topicArn,
        [ENV.secretId]: props.secretId,
        [ENV.stackName]: Stack.of(this).stackName,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: LAMBDA_BUNDLING,
    });

    // Exactly the item calls lambda/state sends (Get, BatchGet, Put, Update, Delete; the
    // transactional writes are authorised per Put/Update item). No Scan, Query, BatchWriteItem,
    // DescribeTable or stream reads, which grantReadWriteData would add.
    props.table.grant(this.fn, ...TABLE_ACTIONS);
    props.secret.grantRead(this.fn);
    props.topic.grantPublish(this.fn);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: 'Publishing to the KMS-encrypted topic needs kms:GenerateDataKey* (as documented for SNS SSE publishers); the statement is scoped to the one topic key.',
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The runtime is pinned on purpose to nodejs22.x, a supported LTS line; moving to nodejs24.x is a reviewed upgrade (bundle target and tests together), not something a deploy should drift into.',
    });
  }
}
