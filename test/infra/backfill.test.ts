/**
 * The backfill state machine and the daily shadow report rule in the synthesized template
 * (real CDK synth with cdk-nag on: an unacknowledged finding fails the synth).
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/config.js';
import { synthHunt, type Synthesized } from './synth.js';

const PROBE = new URL('../fixtures/infra/bundle-probe/handler.ts', import.meta.url).pathname;

interface MapState { Type: string; MaxConcurrency?: number; ItemsPath?: string; ItemProcessor?: { States: Record<string, { Type: string; Retry?: { ErrorEquals: string[]; BackoffRate?: number; MaxAttempts?: number }[]; Parameters?: Record<string, unknown> }> } }

function definition(s: Synthesized): { StartAt: string; States: Record<string, MapState & { Parameters?: Record<string, unknown> }> } {
  const machines = s.template.findResources('AWS::StepFunctions::StateMachine');
  const [machine] = Object.values(machines) as { Properties: { DefinitionString: unknown } }[];
  const raw = machine?.Properties.DefinitionString as { 'Fn::Join': [string, unknown[]] };
  // The definition is a Fn::Join of literal text and the function's ARN token: replace the tokens to parse it.
  const text = raw['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : 'arn:aws:lambda:r:1:function:hunt')).join(raw['Fn::Join'][0]);
  return JSON.parse(text) as ReturnType<typeof definition>;
}

let live: Synthesized;
let shadow: Synthesized;
beforeAll(() => {
  live = synthHunt({}, { entry: PROBE });
  shadow = synthHunt({ 'hunt:mode': 'shadow', 'hunt:alarmEmail': 'ops@example.com' }, { entry: PROBE });
}, 240_000);

describe('backfill state machine', () => {
  it('fans the chunks out with a Map of at most 3 at once, each chunk one hunt-window invocation retried on throttling', () => {
    const def = definition(live);
    const map = Object.values(def.States).find((s) => s.Type === 'Map');
    expect(map).toBeDefined();
    expect(map?.MaxConcurrency).toBeGreaterThanOrEqual(1);
    expect(map?.MaxConcurrency).toBeLessThanOrEqual(3);
    expect(map?.ItemsPath).toBe('$.chunks');
    const [task] = Object.values(map?.ItemProcessor?.States ?? {});
    expect(task?.Type).toBe('Task');
    const retry = task?.Retry ?? [];
    const errors = retry.flatMap((r) => r.ErrorEquals);
    for (const e of ['ChunkThrottledError', 'ChunkNotDoneError', 'Lambda.TooManyRequestsException']) expect(errors).toContain(e);
    expect(retry.every((r) => (r.BackoffRate ?? 1) > 1 && (r.MaxAttempts ?? 0) >= 3)).toBe(true);
    // Plan → Map → summary.
    expect(def.States[def.StartAt]?.Type).toBe('Task');
    expect(Object.values(def.States).filter((s) => s.Type === 'Task')).toHaveLength(2);
  });

  it('passes each Map item to its chunk unchanged and keeps a few bytes of its result', () => {
    const def = definition(live);
    const map = Object.values(def.States).find((s) => s.Type === 'Map') as MapState & { ResultPath?: string };
    const task = Object.values(map.ItemProcessor?.States ?? {})[0] as { Parameters?: unknown; ResultSelector?: Record<string, string> };
    // No Parameters: the task input (the Map item) is the payload; "$" would be passed literally.
    expect(task.Parameters).toBeUndefined();
    expect(Object.keys(task.ResultSelector ?? {}).every((k) => k.endsWith('.$'))).toBe(true);
    expect(map.ResultPath).toBe('$.chunks');
  });

  it('logs to a /aws/vendedlogs/ group and raises an alarm on a failed or timed-out execution', () => {
    live.template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/states/WmicRemoteExecHunt-Backfill' });
    const alarms = Object.values(live.template.findResources('AWS::CloudWatch::Alarm')) as { Properties: { Metrics?: { MetricStat?: { Metric: { Namespace: string; MetricName: string } } }[]; AlarmActions?: unknown[] } }[];
    const failed = alarms.find((a) => a.Properties.Metrics?.some((m) => m.MetricStat?.Metric.Namespace === 'AWS/States' && m.MetricStat.Metric.MetricName === 'ExecutionsFailed'));
    expect(failed?.Properties.Metrics?.map((m) => m.MetricStat?.Metric.MetricName).filter(Boolean).sort()).toEqual(['ExecutionsFailed', 'ExecutionsTimedOut']);
    expect(JSON.stringify(failed?.Properties.AlarmActions)).toContain('HuntTopic');
  });

  it('logs every execution and traces it, and may invoke only the hunt function (its backfill alias)', () => {
    live.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    const policies = live.template.findResources('AWS::IAM::Policy');
    const sfnPolicy = Object.entries(policies).find(([id]) => id.startsWith('BackfillStateMachineRole'));
    const statements = (sfnPolicy?.[1] as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement;
    const invoke = statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('lambda:')));
    expect(invoke.map((st) => st.Action)).toEqual(['lambda:InvokeFunction']);
    // Only the hunt function (and its versions), never "*".
    expect(JSON.stringify(invoke[0]?.Resource)).not.toContain('"*"');
    // Through its backfill alias, so the chunks' errors and throttles are told apart from the schedule's.
    expect(JSON.stringify(invoke[0]?.Resource)).toMatch(/"Ref":"HuntFunctionAliasbackfill[0-9A-F]{8}"/);
  });
});

describe('shadow mode in the stack', () => {
  it('adds the daily shadow report rule only in shadow mode, sending { action: shadow-report }', () => {
    const rules = (s: Synthesized) => Object.values(s.template.findResources('AWS::Events::Rule')) as { Properties: { ScheduleExpression?: string; Targets?: { Input?: string }[] } }[];
    expect(rules(live).some((r) => r.Properties.Targets?.some((t) => t.Input?.includes('shadow-report')))).toBe(false);
    const report = rules(shadow).find((r) => r.Properties.Targets?.some((t) => t.Input?.includes('shadow-report')));
    expect(report?.Properties.ScheduleExpression).toBe('cron(0 7 * * ? *)');
    expect(JSON.parse(report?.Properties.Targets?.[0]?.Input ?? '{}')).toEqual({ action: 'shadow-report' });
  });

  it('tells the function its mode and the ops topic, and lets it publish there', () => {
    const env = (s: Synthesized) => (Object.values(s.template.findResources('AWS::Lambda::Function'))
      .map((f) => (f as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties.Environment?.Variables ?? {})
      .find((v) => ENV.tableName in v)) ?? {};
    expect(env(live)[ENV.mode]).toBe('live');
    expect(JSON.stringify(env(live)[ENV.alarmTopicArn])).toContain('HuntTopic');
    expect(env(shadow)[ENV.mode]).toBe('shadow');
    expect(JSON.stringify(env(shadow)[ENV.alarmTopicArn])).toContain('OpsTopic');
  });
});
