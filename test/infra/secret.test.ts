import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import type { SecretRef } from '../../infra/context.js';
import { XsiamSecret } from '../../infra/constructs/xsiam-secret.js';

/** The secret construct alone, granted to a bare role: no bundling needed. */
function grantFor(ref: SecretRef): { secret: XsiamSecret; template: Template } {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'SecretOnly');
  const secret = new XsiamSecret(stack, 'XsiamSecret', { ref });
  const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  secret.secret.grantRead(role);
  return { secret, template: Template.fromStack(stack) };
}

const readStatement = (resource: unknown) => ({
  PolicyDocument: { Statement: [{ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: resource }] },
});

describe('XsiamSecret', () => {
  it('grants exactly a complete secret ARN and passes it on unchanged', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hunt/xsiam-AbCdEf';
    const { secret, template } = grantFor({ kind: 'arn', arn, complete: true });
    expect(secret.secretId).toBe(arn);
    template.hasResourceProperties('AWS::IAM::Policy', readStatement(arn));
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('grants a partial ARN plus only the six-character suffix Secrets Manager appends', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hunt/xsiam';
    const { secret, template } = grantFor({ kind: 'arn', arn, complete: false });
    expect(secret.secretId).toBe(arn);
    template.hasResourceProperties('AWS::IAM::Policy', readStatement(`${arn}-??????`));
  });

  it('grants a secret referenced by name in this account and region only', () => {
    const { secret, template } = grantFor({ kind: 'name', name: 'hunt/xsiam' });
    expect(secret.secretId).toBe('hunt/xsiam');
    template.hasResourceProperties('AWS::IAM::Policy', readStatement({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':secret:hunt/xsiam-??????']],
    }));
  });

  it('creates an empty secret (no generated placeholder) when none is given', () => {
    const { template } = grantFor({ kind: 'create' });
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ GenerateSecretString: Match.absent(), SecretString: Match.absent() }),
    });
  });
});
