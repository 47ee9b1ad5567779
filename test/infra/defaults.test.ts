import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Stack, Validations, type App } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/config.js';
import { AllowlistFileError } from '../../infra/allowlist-check.js';
import { ContextError } from '../../infra/context.js';
import { createHuntApp } from '../../infra/hunt-app.js';
import { logicalId, synthHunt, type Synthesized } from './synth.js';

let built: Synthesized;
let template: Template;

beforeAll(() => {
  // Plain `cdk deploy` with cdk.json untouched: no context at all. The one synth of the suite
  // that also runs CDK's built-in CloudFormation validation.
  built = synthHunt({}, { cfnValidation: true });
  template = built.template;
});

describe('stack with default context', () => {
  it('reserves no concurrency (a new account cannot reserve any); reserving is opt-in', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.absent() });
  });

  it('deletes the key, the created secret and the log group if the first create fails, and keeps them afterwards', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::SecretsManager::Secret', 'AWS::Logs::LogGroup']) {
      const resources = Object.values(template.findResources(type));
      // Two log groups: the hunt function's and the backfill state machine's.
      expect(resources, type).toHaveLength(type === 'AWS::Logs::LogGroup' ? 2 : 1);
      for (const r of resources) expect(r, type).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    }
  });

  it('fixes no account-wide names: the dashboard name is left to CloudFormation', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as { Properties: Record<string, unknown> }[];
    expect(dashboard?.Properties.DashboardName).toBeUndefined();
  });

  it('warns at synth that nobody is subscribed to findings', () => {
    Annotations.fromStack(built.stack).hasWarning('*', Match.stringLikeRegexp('Nobody is subscribed to findings'));
  });

  it('runs every 15 minutes and raises the heartbeat after 45 minutes without success', () => {
    // Every hunt every 15 minutes, the first at :00 and the others minutes after (infra/schedule-spread.ts).
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0/15 * * * ? *)' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'RunSucceeded' }), Period: 45 * 60 }) })]),
    });
  });

  it('creates an empty, retained XSIAM secret and hands its ARN to the function, readable by it alone', () => {
    const secretId = logicalId(template, 'AWS::SecretsManager::Secret', '/XsiamSecret/');
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: { Description: Match.anyValue(), GenerateSecretString: Match.absent(), SecretString: Match.absent() },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.secretId]: { Ref: secretId } }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: { Ref: secretId },
      }]) },
    });
  });

  it('has one topic, no subscriptions and no Slack, and sends alarms to that topic', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
    const topic = logicalId(template, 'AWS::SNS::Topic', '/HuntTopic/');
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect((alarm as { Properties: { AlarmActions: unknown } }).Properties.AlarmActions).toEqual([{ Ref: topic }]);
    }
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  it('retains the table (deletion protection on) even when the first create fails', () => {
    // RetainExceptOnCreate would have CloudFormation delete a table it cannot delete (deletion
    // protection) on a rolled-back create; an empty on-demand table bills nothing.
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
  });

  it('outputs what ops need after deploy', () => {
    for (const output of ['FunctionName', 'LogGroupName', 'TableName', 'HuntTopicArn', 'AlarmTopicArn', 'XsiamSecretId', 'TopicKeyArn', 'DashboardName']) {
      template.hasOutput(output, Match.anyValue());
    }
  });

  it('passes cdk-nag and CloudFormation validation with nothing to report', () => {
    // The synth in beforeAll would have thrown on an unacknowledged nag finding; schema problems
    // found by CDK's CloudFormation validation are only warnings, so the report is read as well.
    const report = JSON.parse(readFileSync(join(built.outdir, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
    expect(report.pluginReports).toEqual([]);
    expect(() => built.app.synth({ force: true })).not.toThrow();
  });
});

describe('cdk-nag wiring', () => {
  it('fails the synth on an unacknowledged finding, naming the rule in the report', () => {
    const { app, stack, outdir } = huntAppWithControlStack();
    new sqs.Queue(stack, 'PlainQueue');
    let error: unknown;
    try { app.synth(); } catch (err) { error = err; }
    expect(error).toMatchObject({ name: 'ValidationFailed', message: expect.stringContaining('AwsSolutions::AwsSolutions-SQS4') });
    const report = readFileSync(join(outdir, 'validation-report.json'), 'utf8');
    expect(report).toContain('AwsSolutions-SQS4');
    expect(report).toContain('Control/PlainQueue');
    expect(report).not.toContain('WmicRemoteExecHunt/');
  });

  it('passes once the finding is fixed or acknowledged with a reason', () => {
    const { app, stack } = huntAppWithControlStack();
    const queue = new sqs.Queue(stack, 'PlainQueue', { enforceSSL: true });
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'test control: this queue is a DLQ' });
    expect(() => app.synth()).not.toThrow();
  });
});

/** The real app (nag plugin included) plus a second, bare stack for a controlled finding. */
function huntAppWithControlStack(): { app: App; stack: Stack; outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'hunt-nag-'));
  const entry = fileURLToPath(new URL('../fixtures/infra/bundle-probe/handler.ts', import.meta.url));
  const { app } = createHuntApp({ outdir, builtinCloudFormationValidation: false, entry });
  return { app, stack: new Stack(app, 'Control'), outdir };
}

describe('bad context', () => {
  it('fails createHuntApp with every problem listed', () => {
    expect(() => createHuntApp({ context: { 'hunt:schedule': 'hourly', 'hunt:minSeverity': 'urgent' } }))
      .toThrow(ContextError);
  });

  it('makes `cdk synth` exit non-zero with the message naming the key and the allowed values', async () => {
    const result = await synthCli({ 'hunt:schedule': 'hourly', 'hunt:stormLimit': 'lots' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid CDK context:');
    expect(result.stderr).toMatch(/hunt:schedule must be "rate\(<n> minutes\|hours\|days\)".*\(got "hourly"\)/);
    expect(result.stderr).toContain('hunt:stormLimit must be a whole number from 1 to 1000 (got "lots")');
  });

  it('stops `cdk synth` on a misspelt hunt: key, naming it and the nearest valid key', async () => {
    const result = await synthCli({ 'hunt:notificationEmail': 'soc@example.com' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('hunt:notificationEmail is not a context key of this stack (did you mean hunt:notificationEmails?)');
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('names a repeated email address instead of failing with a construct-id stack trace', () => {
    expect(() => createHuntApp({ context: { 'hunt:notificationEmails': 'soc@example.com,ir@example.com,SOC@example.com' } }))
      .toThrow('hunt:notificationEmails lists "SOC@example.com" more than once');
  });
});

describe('allowlist checked at synth', () => {
  const entry = (fields: Record<string, string>) => ({ id: 'sccm-push', reason: 'SCCM client push (CHG-1)', owner: 'it-ops@example.com', expires: '2099-12-31', sourceHost: 'SCCM01', ...fields });
  const file = (entries: unknown[]): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'hunt-allowlist-')), 'allowlist.json');
    writeFileSync(path, JSON.stringify({ schemaVersion: 1, entries }));
    return path;
  };

  it('stops the synth when an entry has no owner, naming the entry', () => {
    const { owner: _omitted, ...withoutOwner } = entry({});
    let error: unknown;
    try { createHuntApp({ allowlistFile: file([withoutOwner]) }); } catch (err) { error = err; }
    expect(error).toBeInstanceOf(AllowlistFileError);
    expect((error as AllowlistFileError).problems).toEqual(['entry "sccm-push": missing owner']);
    expect((error as Error).message).toContain('nothing was synthesized');
  });

  it('names every entry missing a reason or an expiry', () => {
    const { reason: _r, ...noReason } = entry({ id: 'no-reason' });
    const { expires: _e, ...noExpiry } = entry({ id: 'no-expiry' });
    expect(() => createHuntApp({ allowlistFile: file([noReason, noExpiry]) }))
      .toThrow(/entry "no-reason": missing reason[\s\S]*entry "no-expiry": missing expires/);
  });

  it('warns about an entry that has already expired, and synthesizes', () => {
    const { stack } = createHuntApp({ allowlistFile: file([entry({ expires: '2020-01-31' })]), entry: fileURLToPath(new URL('../fixtures/infra/bundle-probe/handler.ts', import.meta.url)) });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('Allowlist entry "sccm-push" .* has expired'));
  });

  it('passes the allowlist the Lambda ships', () => {
    Annotations.fromStack(built.stack).hasNoWarning('*', Match.stringLikeRegexp('Allowlist'));
  });
});

/** `cdk synth` as the CDK CLI runs the app: context in CDK_CONTEXT_JSON, exit code and stderr back. */
async function synthCli(context: Record<string, unknown>): Promise<{ code: number; stderr: string }> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    cwd: root,
    timeout: 60_000,
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'hunt-cli-')) },
  }).then(() => ({ code: 0, stderr: '' }), (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }));
}
