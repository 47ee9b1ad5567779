/**
 * Two stacks side by side in one account and Region: the second takes its name from
 * `hunt:stackName`, and each stack's alarms and dashboard read only the metrics its own function
 * emits (the `stack` dimension, set from HUNT_STACK_NAME).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_KEY, ContextError, DEFAULT_STACK_NAME, parseHuntContext } from '../../infra/context.js';
import { ENV } from '../../lambda/config.js';
import { METRICS_NAMESPACE, STACK_DIMENSION } from '../../lambda/telemetry.js';
import { synthHunt, type Synthesized } from './synth.js';

const PROBE = new URL('../fixtures/infra/bundle-probe/handler.ts', import.meta.url).pathname;
type Dim = { Name: string; Value: unknown };
type AlarmProps = { Namespace?: string; Dimensions?: Dim[]; Metrics?: { MetricStat?: { Metric: { Namespace: string; Dimensions?: Dim[] } } }[] };

/** The dimensions of every custom (hunt namespace) metric the stack's alarms read. */
function alarmDimensions(s: Synthesized): Dim[][] {
  return (Object.values(s.template.findResources('AWS::CloudWatch::Alarm')) as { Properties: AlarmProps }[]).flatMap(({ Properties: p }) => [
    ...(p.Namespace === METRICS_NAMESPACE ? [p.Dimensions ?? []] : []),
    ...(p.Metrics ?? []).filter((m) => m.MetricStat?.Metric.Namespace === METRICS_NAMESPACE).map((m) => m.MetricStat?.Metric.Dimensions ?? []),
  ]);
}

const huntEnv = (s: Synthesized): Record<string, unknown> => (Object.values(s.template.findResources('AWS::Lambda::Function')) as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }[])
  .map((f) => f.Properties.Environment?.Variables ?? {}).find((v) => ENV.tableName in v) ?? {};

let first: Synthesized;
let second: Synthesized;
beforeAll(() => {
  first = synthHunt({}, { entry: PROBE });
  second = synthHunt({ [CONTEXT_KEY.stackName]: 'WmicHuntStaging' }, { entry: PROBE });
}, 240_000);

describe('two stacks side by side', () => {
  it('takes the stack name from hunt:stackName, today\'s name by default', () => {
    expect(first.stack.stackName).toBe(DEFAULT_STACK_NAME);
    expect(second.stack.stackName).toBe('WmicHuntStaging');
  });

  it('each function names its stack, and each stack\'s alarms read only that stack\'s metrics', () => {
    for (const [s, name] of [[first, DEFAULT_STACK_NAME], [second, 'WmicHuntStaging']] as const) {
      expect(huntEnv(s)[ENV.stackName]).toBe(name);
      const dims = alarmDimensions(s);
      expect(dims.length).toBeGreaterThanOrEqual(4); // publish failures, secret, heartbeat (2)
      for (const d of dims) expect(d).toContainEqual({ Name: STACK_DIMENSION, Value: name });
      const dashboard = JSON.stringify(s.template.findResources('AWS::CloudWatch::Dashboard'));
      expect(dashboard).toContain(`\\"${STACK_DIMENSION}\\",\\"${name}\\"`);
    }
  });

  it('names account-wide things after the stack so the two do not collide', () => {
    const names = (s: Synthesized) => (Object.values(s.template.findResources('AWS::Logs::LogGroup')) as { Properties: { LogGroupName?: unknown } }[])
      .map((g) => g.Properties.LogGroupName).filter((n): n is string => typeof n === 'string');
    expect(names(first)).toEqual(['/aws/vendedlogs/states/WmicRemoteExecHunt-Backfill']);
    expect(names(second)).toEqual(['/aws/vendedlogs/states/WmicHuntStaging-Backfill']);
  });

  it('refuses a name CloudFormation would refuse, naming the key', () => {
    expect(() => parseHuntContext((k) => (k === CONTEXT_KEY.stackName ? 'wmic_hunt' : undefined))).toThrow(ContextError);
    expect(() => parseHuntContext((k) => (k === CONTEXT_KEY.stackName ? 'wmic_hunt' : undefined))).toThrow(/hunt:stackName must be a CloudFormation stack name/);
  });
});
