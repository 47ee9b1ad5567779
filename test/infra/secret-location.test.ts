/**
 * A secret ARN from another account or Region: the function could not read it (its Region's
 * Secrets Manager endpoint; no cross-account policy or key), so the deploy is stopped with the
 * reason, by CloudFormation rules checked before anything is created.
 */
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEY } from '../../infra/context.js';
import { synthHunt } from './synth.js';

const PROBE = new URL('../fixtures/infra/bundle-probe/handler.ts', import.meta.url).pathname;
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hunt/xsiam-AbCdEf';

describe('a secret ARN in another account or Region', () => {
  it('adds rules that stop the deploy unless the stack is in the ARN\'s account and Region, each giving the reason', () => {
    const { template } = synthHunt({ [CONTEXT_KEY.xsiamSecret]: ARN }, { entry: PROBE });
    const rules = (template.toJSON() as { Rules?: Record<string, { Assertions: { Assert: unknown; AssertDescription: string }[] }> }).Rules ?? {};
    const assertions = Object.entries(rules).filter(([id]) => id !== 'CheckBootstrapVersion').flatMap(([, r]) => r.Assertions);
    expect(assertions).toHaveLength(2);
    expect(assertions).toContainEqual({ Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] }, AssertDescription: expect.stringMatching(/is in Region eu-west-1: the hunt function asks its own Region's Secrets Manager/) });
    expect(assertions).toContainEqual({ Assert: { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '123456789012'] }, AssertDescription: expect.stringMatching(/is in account 123456789012: reading another account's secret needs/) });
  });

  it('adds no rule for a secret given by name or created by the stack', () => {
    for (const context of [{ [CONTEXT_KEY.xsiamSecret]: 'hunt/xsiam' }, {}]) {
      const { template } = synthHunt(context, { entry: PROBE });
      expect(Object.keys((template.toJSON() as { Rules?: Record<string, unknown> }).Rules ?? {})).toEqual(['CheckBootstrapVersion']);
    }
  });
});
