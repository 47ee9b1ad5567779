import { beforeAll, describe, expect, it } from 'vitest';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { DEFAULTS, ENV } from '../../lambda/config.js';
import { DOCUMENTED_TENANT_HOST_PATTERN } from '../../lambda/xsiam/index.js';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/telemetry.js';
import { CONTEXT_KEY } from '../../infra/context.js';
import { offsetSchedule } from '../../infra/schedule-spread.js';
import { DEFAULT_HUNT_ID, EMBEDDED_HUNTS } from '../../lambda/modules/index.js';
import { logicalId, synthHunt, type Synthesized } from './synth.js';

// Every optional feature on: existing secret by name, emails, separate ops topic, Slack,
// reserved concurrency off, a non-default schedule and run settings.
const CONTEXT = {
  [CONTEXT_KEY.schedule]: 'rate(10 minutes)',
  [CONTEXT_KEY.stormLimit]: '40',
  [CONTEXT_KEY.minSeverity]: 'medium',
  [CONTEXT_KEY.xsiamSecret]: 'hunt/xsiam',
  [CONTEXT_KEY.notificationEmails]: 'soc@example.com,ir@example.com',
  [CONTEXT_KEY.alarmEmail]: 'ops@example.com',
  [CONTEXT_KEY.slackWorkspaceId]: 'T07ABCDEF12',
  [CONTEXT_KEY.slackChannelId]: 'C07ABCDEF12',
  [CONTEXT_KEY.reservedConcurrency]: 'false',
};

let built: Synthesized;
let template: Template;
let ids: { fn: string; role: string; table: string; huntTopic: string; opsTopic: string; key: string; failedRuns: string; undelivered: string };

beforeAll(() => {
  built = synthHunt(CONTEXT); // throws ValidationFailed if cdk-nag reports anything unacknowledged
  template = built.template;
  ids = {
    fn: logicalId(template, 'AWS::Lambda::Function', '/Hunt/Function/'),
    role: logicalId(template, 'AWS::IAM::Role', '/Hunt/Role/'),
    table: logicalId(template, 'AWS::DynamoDB::GlobalTable', '/State/'),
    huntTopic: logicalId(template, 'AWS::SNS::Topic', '/HuntTopic/'),
    opsTopic: logicalId(template, 'AWS::SNS::Topic', '/OpsTopic/'),
    key: logicalId(template, 'AWS::KMS::Key', '/TopicKey/'),
    failedRuns: logicalId(template, 'AWS::SQS::Queue', '/FailedRuns/'),
    undelivered: logicalId(template, 'AWS::SQS::Queue', '/UndeliveredTicks/'),
  };
});

const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

describe('hunt Lambda', () => {
  it('runs Node.js 22 on ARM64 with 1 GB, five minutes, log group and no reserved concurrency when turned off', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 300,
      Handler: 'index.handler',
      Role: arnOf(ids.role),
      LoggingConfig: { LogGroup: { Ref: logicalId(template, 'AWS::Logs::LogGroup', '/Hunt/Logs/') } },
      ReservedConcurrentExecutions: Match.absent(),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('gets every configuration variable, holding names, ARNs and settings only', () => {
    const fn = template.findResources('AWS::Lambda::Function')[ids.fn] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
    const vars = fn.Properties.Environment.Variables;
    expect(Object.keys(vars).sort()).toEqual(
      [...Object.values(ENV).filter((name) => name !== ENV.allowLoopback && name !== ENV.huntSettings), 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'NODE_OPTIONS'].sort(),
    );
    // Loopback is for the tests' local XSIAM: the deployed function never sends its key there.
    expect(vars[ENV.allowLoopback]).toBeUndefined();
    expect(vars[ENV.tenantHostPattern]).toBe(DOCUMENTED_TENANT_HOST_PATTERN);
    expect(vars).toMatchObject({
      [ENV.tableName]: { Ref: ids.table },
      [ENV.topicArn]: { Ref: ids.huntTopic },
      [ENV.secretId]: 'hunt/xsiam',
      [ENV.stormLimit]: '40',
      [ENV.minSeverity]: 'medium',
      [ENV.overlapMinutes]: String(DEFAULTS.overlapMinutes),
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('retries a failed async run once, drops stale ticks and records failures in SQS', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.fn },
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 600,
      DestinationConfig: { OnFailure: { Destination: arnOf(ids.failedRuns) } },
    });
  });

  it('ships an ESM bundle with the createRequire banner and a source map', async () => {
    const { readFile, access } = await import('node:fs/promises');
    const code = await readFile(`${built.bundleDir}/index.mjs`, 'utf8');
    expect(code.startsWith("import { createRequire } from 'node:module';const require = createRequire(import.meta.url);")).toBe(true);
    await expect(access(`${built.bundleDir}/index.mjs.map`)).resolves.toBeUndefined();
  });
});

describe('schedule', () => {
  it('invokes the function on the context schedule with bounded retries, a short event age and a DLQ', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      // The stack's interval, at the flagship's minute among the hunts (infra/schedule-spread.ts).
      ScheduleExpression: offsetSchedule({ expression: 'rate(10 minutes)', intervalMinutes: 10 }, EMBEDDED_HUNTS.findIndex((h) => h.card.id === DEFAULT_HUNT_ID), EMBEDDED_HUNTS.length).expression,
      State: 'ENABLED',
      Targets: [Match.objectLike({
        Arn: arnOf(ids.fn),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
        DeadLetterConfig: { Arn: arnOf(ids.undelivered) },
      })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf(ids.fn),
      Principal: 'events.amazonaws.com',
    });
  });

  it('keeps both failure queues encrypted, TLS-only and for 14 days', () => {
    for (const queue of [ids.failedRuns, ids.undelivered]) {
      template.hasResource('AWS::SQS::Queue', Match.objectLike({
        Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 },
      }));
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]) },
      });
    }
    template.resourceCountIs('AWS::SQS::Queue', 2);
  });
});

describe('state table', () => {
  it('is on-demand with pk only, TTL on expiresAt, PITR, KMS encryption and retained on delete', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      }),
    });
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
  });
});

describe('least privilege', () => {
  type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
  const statements = (): Statement[] =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);

  // The backfill state machine's log delivery and X-Ray actions accept no resource but "*" (their
  // service authorization references); its LambdaInvoke covers the hunt function's versions (ARN:*).
  const ONLY_STAR = /^(logs:(Create|Get|Update|Delete)LogDelivery|logs:ListLogDeliveries|logs:PutResourcePolicy|logs:DescribeResourcePolicies|logs:DescribeLogGroups|xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets))$/;
  const versionsOf = (r: unknown): boolean => /^\{"Fn::Join":\["",\[\{"Fn::GetAtt":\["HuntFunction[0-9A-F]{8}","Arn"\]\},":\*"\]\]\}$/.test(JSON.stringify(r));

  it('scopes every IAM statement to one named resource, never "*"', () => {
    const all = statements().filter((s) => ![s.Action].flat().every((a) => ONLY_STAR.test(String(a))));
    expect(all.length).toBeGreaterThan(0);
    for (const s of all) {
      for (const r of [s.Resource].flat()) if (!versionsOf(r)) expect(JSON.stringify(r)).not.toContain('*');
    }
  });

  it('grants the function exactly: its log group, its failure queue, the table, the secret, the topic and its key', () => {
    const policy = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: ids.role }] } });
    const doc = (Object.values(policy)[0] as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument;
    const byResource = doc.Statement.map((s) => ({ actions: [s.Action].flat().sort(), resource: s.Resource }));
    expect(byResource).toEqual(expect.arrayContaining([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: arnOf(logicalId(template, 'AWS::Logs::LogGroup', '/Hunt/Logs/')) },
      { actions: expect.arrayContaining(['sqs:SendMessage']), resource: arnOf(ids.failedRuns) },
      { actions: ['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resource: arnOf(ids.table) },
      { actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':secret:hunt/xsiam-??????']] } },
      { actions: ['sns:Publish'], resource: { Ref: ids.huntTopic } },
      { actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resource: arnOf(ids.key) },
    ]));
    const resources = byResource.map((s) => JSON.stringify(s.resource));
    expect(resources.some((r) => r.includes(ids.opsTopic))).toBe(false);
    expect(doc.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
    // Only the calls lambda/state sends: no table scans or queries, no batch writes, no stream reads.
    const actions = doc.Statement.flatMap((s) => [s.Action].flat());
    for (const unused of ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:DescribeTable', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams']) {
      expect(actions).not.toContain(unused);
    }
  });

  it('uses no AWS managed policy on the function role', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
    });
  });
});

describe('notifications', () => {
  it('encrypts both topics with a rotating customer key that CloudWatch alarms may use, and nothing for Chatbot', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      })]) },
    });
    // SNS decrypts before delivering, so a subscriber (Chatbot) needs no key grant.
    expect(JSON.stringify(template.findResources('AWS::KMS::Key'))).not.toContain('chatbot.amazonaws.com');
    for (const topic of [ids.huntTopic, ids.opsTopic]) {
      expect(template.findResources('AWS::SNS::Topic')[topic]).toMatchObject({ Properties: { KmsMasterKeyId: arnOf(ids.key) } });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topic }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]) },
      });
    }
  });

  it('lets only this account\'s alarms publish to the ops topic', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: ids.opsTopic }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
      })]) },
    });
  });

  it('subscribes the notification emails to the hunt topic and the alarm email to the ops topic', () => {
    for (const email of ['soc@example.com', 'ir@example.com']) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email, TopicArn: { Ref: ids.huntTopic } });
    }
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: ids.opsTopic } });
    template.resourceCountIs('AWS::SNS::Subscription', 3);
  });

  it('posts both topics to Slack through Chatbot with a read-only guardrail and a role without policies', () => {
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T07ABCDEF12',
      SlackChannelId: 'C07ABCDEF12',
      // Unique per account across Regions, so the same stack deploys to a second Region.
      ConfigurationName: { 'Fn::Join': ['', ['WmicRemoteExecHunt-', { Ref: 'AWS::Region' }]] },
      SnsTopicArns: [{ Ref: ids.huntTopic }, { Ref: ids.opsTopic }],
      GuardrailPolicies: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] }],
    });
    const body = JSON.stringify(template.toJSON());
    expect(body).not.toContain('AdministratorAccess');
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'chatbot.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
    });
  });
});

describe('health', () => {
  const alarms = (): Record<string, { Properties: Record<string, unknown> }> =>
    template.findResources('AWS::CloudWatch::Alarm') as Record<string, { Properties: Record<string, unknown> }>;

  it('sends every alarm and its recovery to the ops topic', () => {
    const all = Object.values(alarms());
    expect(all).toHaveLength(9);
    for (const alarm of all) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: ids.opsTopic }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: ids.opsTopic }]);
    }
  });

  it('alarms on Lambda errors and throttles outside the backfill chunks (the function\'s minus its backfill alias\'s)', () => {
    for (const metric of ['Errors', 'Throttles']) {
      const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { Metrics: Match.arrayWith([
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: metric, Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.fn } }] }) }) }),
      ]) } })) as { Properties: { Metrics: { Expression?: string; MetricStat?: { Metric: { Dimensions: { Name: string; Value: unknown }[] } } }[]; Threshold: number; TreatMissingData: string } }[];
      expect(alarm?.Properties.Metrics.find((m) => m.Expression !== undefined)?.Expression).toMatch(/- FILL\(\w+, 0\)/);
      const dims = alarm?.Properties.Metrics.flatMap((m) => m.MetricStat?.Metric.Dimensions ?? []);
      expect(JSON.stringify(dims)).toMatch(/"Name":"Resource"/);
      expect(alarm?.Properties).toMatchObject({ Threshold: 1, TreatMissingData: 'notBreaching' });
    }
  });


  it('alarms on any message in either failure queue', () => {
    for (const queue of [ids.failedRuns, ids.undelivered]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1,
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      });
    }
  });

  it('holds the publish-failure and secret alarms until the next good run instead of flapping between runs', () => {
    // Which metrics these read is checked against real handler runs in metric-wiring.test.ts.
    for (const id of ['/Health/PublishFailures/', '/Health/SecretNotConfigured/']) {
      const alarm = alarms()[logicalId(template, 'AWS::CloudWatch::Alarm', id)] as { Properties: Record<string, unknown> };
      expect(alarm.Properties).toMatchObject({
        Statistic: 'Maximum', Threshold: 1, EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'ignore',
      });
    }
  });

  it('alarms when no run succeeded or reported the secret missing in three schedule intervals, counting silence as failure', () => {
    const heartbeat = alarms()[logicalId(template, 'AWS::CloudWatch::Alarm', '/Health/Heartbeat/')] as { Properties: Record<string, unknown> };
    expect(heartbeat.Properties).toMatchObject({
      EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching',
    });
    const queries = heartbeat.Properties.Metrics as { Id: string; Expression?: string; ReturnData?: boolean; MetricStat?: { Period: number; Stat: string; Metric: { MetricName: string } } }[];
    const summed = queries.filter((q) => q.MetricStat !== undefined);
    expect(summed.map((q) => q.MetricStat?.Metric.MetricName).sort()).toEqual(['RunSucceeded', 'SecretNotConfigured']);
    for (const q of summed) expect(q.MetricStat).toMatchObject({ Period: 3 * 10 * 60, Stat: 'Sum' });
    expect(queries.find((q) => q.ReturnData !== false)?.Expression).toBe('succeeded + secretMissing');
  });

  it('draws runs, rows, findings, new pairs, notifications, cost, lag and duration on the dashboard', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]);
    for (const name of [METRIC.runSucceeded, METRIC.runFailed, METRIC.rows, METRIC.findings, METRIC.newPairs,
      METRIC.notified, METRIC.queryCost, METRIC.windowLagSeconds, METRIC.durationMs, METRIC.publishFailures, METRIC.secretNotConfigured]) {
      expect(body, name).toContain(`\\"${METRICS_NAMESPACE}\\",\\"${name}\\",\\"service\\",\\"${SERVICE_NAME}\\"`);
    }
    expect(body).toContain('alarm');
  });
});
