/**
 * The late sweep's settings at synth: `-c hunt:lateSweepMinutes=0 -c hunt:lateArrivalHours=48`
 * synthesizes (the two tiers' own keys at their defaults) (cdk-nag on) into the Lambda's environment; a bad value stops the synth naming the
 * key; the over-budget alarm is deployed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/config.js';
import { ContextError, parseHuntContext } from '../../infra/context.js';
import { logicalId, synthHunt, type Synthesized } from './synth.js';

const PROBE = new URL('../fixtures/infra/bundle-probe/handler.ts', import.meta.url).pathname;
let built: Synthesized;

beforeAll(() => {
  built = synthHunt({ 'hunt:lateSweepMinutes': '0', 'hunt:lateArrivalHours': '48', 'hunt:dailyQueryUnits': '2.5' }, { entry: PROBE });
}, 240_000);

describe('late sweep settings at synth', () => {
  it('puts the keys in the hunt Lambda environment', () => {
    const fn = built.template.findResources('AWS::Lambda::Function')[logicalId(built.template, 'AWS::Lambda::Function', '/Hunt/Function/')] as
      { Properties: { Environment: { Variables: Record<string, unknown> } } };
    expect(fn.Properties.Environment.Variables).toMatchObject({
      [ENV.lateSweepMinutes]: '0', [ENV.lateArrivalHours]: '48', [ENV.dailyQueryUnits]: '2.5',
      [ENV.lateSweepRecentHours]: '6', [ENV.lateSweepFullMinutes]: '1440',
    });
  });

  it('deploys the over-budget alarm on LateSweepsOverBudget', () => {
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'LateSweepsOverBudget', Threshold: 1 });
  });

  it.each([
    ['hunt:lateArrivalHours', '-1'],
    ['hunt:lateArrivalHours', 'three days'],
    ['hunt:lateSweepMinutes', '1.5'],
    ['hunt:dailyQueryUnits', 'lots'],
    ['hunt:lateSweepRecentHours', '721'],
    ['hunt:lateSweepFullMinutes', 'daily'],
  ])('stops the synth on %s=%s, naming the key', (key, value) => {
    const error = (() => { try { parseHuntContext((k) => (k === key ? value : undefined), [key]); } catch (e) { return e; } return null; })();
    expect(error).toBeInstanceOf(ContextError);
    expect((error as ContextError).problems.join('\n')).toContain(key);
    expect(() => synthHunt({ [key]: value }, { entry: PROBE })).toThrow(key);
  });
});
