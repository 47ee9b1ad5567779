import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { CONTEXT_KEY, ContextError, parseHuntContext } from '../../infra/context.js';
import { WEBHOOK_SECRET_ENV } from '../../lambda/slack-forwarder/index.js';
import { logicalId, synthHunt, type Synthesized } from './synth.js';

// The forwarder on, next to Chatbot, with a separate ops topic for alarms.
const CONTEXT = {
  [CONTEXT_KEY.xsiamSecret]: 'hunt/xsiam',
  [CONTEXT_KEY.alarmEmail]: 'ops@example.com',
  [CONTEXT_KEY.slackWebhookSecret]: 'hunt/slack-webhook',
};

let built: Synthesized;
let template: Template;
let ids: { fn: string; role: string; huntTopic: string; opsTopic: string; dlq: string; logs: string };

beforeAll(() => {
  built = synthHunt(CONTEXT); // throws ValidationFailed if cdk-nag reports anything unacknowledged
  template = built.template;
  ids = {
    fn: logicalId(template, 'AWS::Lambda::Function', '/SlackForwarder/Function/'),
    role: logicalId(template, 'AWS::IAM::Role', '/SlackForwarder/Role/'),
    huntTopic: logicalId(template, 'AWS::SNS::Topic', '/HuntTopic/'),
    opsTopic: logicalId(template, 'AWS::SNS::Topic', '/OpsTopic/'),
    dlq: logicalId(template, 'AWS::SQS::Queue', '/SlackForwarder/Undelivered/'),
    logs: logicalId(template, 'AWS::Logs::LogGroup', '/SlackForwarder/Logs/'),
  };
});

const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

describe('Slack forwarder (hunt:slackWebhookSecret)', () => {
  it('subscribes the forwarder to the findings topic, with the dead-letter queue for what SNS cannot deliver', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: ids.huntTopic },
      Endpoint: arnOf(ids.fn),
      RedrivePolicy: { deadLetterTargetArn: arnOf(ids.dlq) },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf(ids.fn),
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: ids.huntTopic },
    });
    // Not on the ops topic: alarms reach Slack through Chatbot or email there.
    const subs = Object.values(template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'lambda' } }));
    expect(subs).toHaveLength(1);
  });

  it('gets the secret name only (never a URL), bundled like the hunt function on Node.js 22 / ARM64', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Role: arnOf(ids.role),
      // hunt:reservedConcurrency is opt-in (new accounts cannot reserve any), and the forwarder follows it.
      ReservedConcurrentExecutions: Match.absent(),
      Environment: { Variables: { [WEBHOOK_SECRET_ENV]: 'hunt/slack-webhook', NODE_OPTIONS: '--enable-source-maps' } },
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/hooks\.slack\.com/);
  });

  it('may read only the webhook secret, and write only its log group and its dead-letter queue', () => {
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: ids.role }] } });
    const statements = Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
    const byResource = statements.map((s) => ({ actions: [s.Action].flat().sort(), resource: s.Resource }));
    expect(byResource).toEqual(expect.arrayContaining([
      { actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':secret:hunt/slack-webhook-??????']] } },
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: arnOf(ids.logs) },
      { actions: expect.arrayContaining(['sqs:SendMessage']), resource: arnOf(ids.dlq) },
    ]));
    expect(byResource).toHaveLength(3);
    const text = JSON.stringify(statements);
    expect(text).not.toContain('hunt/xsiam');
    expect(text).not.toMatch(/dynamodb:|sns:Publish|kms:/);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  it('retries a failed delivery twice and then keeps it in an encrypted, TLS-only queue for 14 days', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.fn },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: arnOf(ids.dlq) } },
    });
    expect(template.findResources('AWS::SQS::Queue')[ids.dlq]).toMatchObject({
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids.dlq }],
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({ Effect: 'Allow', Action: 'sqs:SendMessage', Principal: { Service: 'sns.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': { Ref: ids.huntTopic } } } }),
      ]) },
    });
  });

  it('alarms on the forwarder\'s errors and on any message in its dead-letter queue, to the alarm topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Threshold: 1,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.fn } }],
      AlarmActions: [{ Ref: ids.opsTopic }], OKActions: [{ Ref: ids.opsTopic }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.dlq, 'QueueName'] } }],
      AlarmActions: [{ Ref: ids.opsTopic }], OKActions: [{ Ref: ids.opsTopic }],
    });
  });
});

describe('Slack forwarder bundle', () => {
  it('loads in plain Node with its dependencies bundled and fails an unrenderable message by name', async () => {
    const fn = template.findResources('AWS::Lambda::Function')[ids.fn] as { Properties: { Code: { S3Key: string } } };
    const dir = join(built.outdir, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
    const event = { Records: [{ Sns: { MessageId: 'm-1', Message: '{"schema":"something-else/1"}' } }] };
    const script = `const m = await import(${JSON.stringify(pathToFileURL(join(dir, 'index.mjs')).href)});
try { await m.handler(${JSON.stringify(event)}, { getRemainingTimeInMillis: () => 30000 }); console.log('no error'); }
catch (e) { console.log(e.name + ': ' + e.message); }`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
      cwd: dir, timeout: 20_000,
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', [WEBHOOK_SECRET_ENV]: 'hunt/slack-webhook', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    expect(stdout).toContain('UnrenderableMessageError: SNS message m-1 cannot be rendered for Slack: schema "something-else/1"');
  });
});

describe('hunt:slackWebhookSecret', () => {
  const parse = (value: unknown) => parseHuntContext((k) => (k === CONTEXT_KEY.slackWebhookSecret ? value : undefined));

  it('is off by default and accepts a secret name, a partial or a complete ARN', () => {
    expect(parse(undefined).slackWebhookSecret).toBeUndefined();
    expect(parse('').slackWebhookSecret).toBeUndefined();
    expect(parse('hunt/slack').slackWebhookSecret).toEqual({ kind: 'name', name: 'hunt/slack' });
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hunt/slack-AbCdEf';
    expect(parse(arn).slackWebhookSecret).toEqual({ kind: 'arn', arn, complete: true });
    const partial = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hunt/slack';
    expect(parse(partial).slackWebhookSecret).toEqual({ kind: 'arn', arn: partial, complete: false });
  });

  it('refuses a webhook URL pasted in place of the secret name, without repeating it', () => {
    const url = 'https://hooks.slack.com/services/T000/B000/CANARYTOKEN';
    let error: unknown;
    try { parse(url); } catch (err) { error = err; }
    expect(error).toBeInstanceOf(ContextError);
    expect((error as ContextError).message).toContain('hunt:slackWebhookSecret must be the name or ARN of a Secrets Manager secret');
    expect((error as ContextError).message).not.toContain('CANARYTOKEN');
  });
});
