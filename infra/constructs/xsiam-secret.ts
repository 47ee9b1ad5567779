import { Aws, CfnRule, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SecretRef } from '../context.js';

/** Props of {@link XsiamSecret}. */
export interface XsiamSecretProps {
  /** An existing secret (name or ARN) or `{ kind: 'create' }` for an empty one ops fill in. */
  readonly ref: SecretRef;
}

/**
 * The XSIAM API credentials (JSON: tenant, apiKeyId, apiKey, keyType). The value never passes
 * through CDK: the stack either references an existing secret or creates an empty one whose
 * value ops put with `aws secretsmanager put-secret-value`.
 */
export class XsiamSecret extends Construct {
  public readonly secret: secretsmanager.ISecret;
  /** What the Lambda gets in XSIAM_SECRET_ID: the name or ARN the secret was referenced by. */
  public readonly secretId: string;

  constructor(scope: Construct, id: string, props: XsiamSecretProps) {
    super(scope, id);
    const { ref } = props;
    if (ref.kind === 'name') {
      this.secret = secretsmanager.Secret.fromSecretNameV2(this, 'Secret', ref.name);
      this.secretId = ref.name;
    } else if (ref.kind === 'arn') {
      // A partial ARN (no suffix) makes grants cover `name-??????`; a complete one is granted exactly.
      // Which is which follows Secrets Manager's own rule (see parseSecret in infra/context.ts).
      this.secret = ref.complete
        ? secretsmanager.Secret.fromSecretCompleteArn(this, 'Secret', ref.arn)
        : secretsmanager.Secret.fromSecretPartialArn(this, 'Secret', ref.arn);
      this.secretId = ref.arn;
      requireSameAccountAndRegion(this, ref.arn);
    } else {
      const created = new secretsmanager.Secret(this, 'Secret', {
        description: 'Cortex XSIAM API key for the WMIC remote-exec hunt: {"tenant","apiKeyId","apiKey","keyType"}',
        // Keeps the key ops typed in if the stack is deleted (reuse it with -c hunt:xsiamSecret=<arn>),
        // but a failed first create deletes it: nothing was typed in yet, and a retained secret bills.
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
        removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      });
      // CDK generates a random password by default; omitting both value properties makes
      // CloudFormation create an empty secret, so no placeholder can be mistaken for a key.
      const cfn = created.node.defaultChild as secretsmanager.CfnSecret;
      cfn.addPropertyDeletionOverride('GenerateSecretString');
      Validations.of(created).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'XSIAM API keys are issued in the XSIAM console and cannot be created by a rotation Lambda; rotation is manual (new key in XSIAM, then put-secret-value).',
      });
      this.secret = created;
      this.secretId = created.secretArn;
    }
  }
}

/**
 * The function reads the secret with its own Region's Secrets Manager endpoint, so a secret in
 * another Region is never found; one in another account needs a resource policy and a customer
 * key shared with this account, which this stack does not set up. A concrete stack environment
 * that differs stops the synth; an environment-agnostic one gets CloudFormation rules that stop
 * the deploy before anything is created, each with the reason.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html
 */
function requireSameAccountAndRegion(scope: Construct, arn: string): void {
  const [, , , region = '', account = ''] = arn.split(':');
  const stack = Stack.of(scope);
  const checks = [
    { what: 'Region', want: region, have: stack.region, ref: Aws.REGION, why: 'the hunt function asks its own Region\'s Secrets Manager, which cannot find a secret kept in another Region; replicate the secret to this Region and give that ARN' },
    { what: 'account', want: account, have: stack.account, ref: Aws.ACCOUNT_ID, why: 'reading another account\'s secret needs its resource policy and a shared customer-managed key, which this stack does not set up; copy the secret into this account' },
  ];
  for (const c of checks) {
    const reason = `hunt:xsiamSecret ${arn} is in ${c.what} ${c.want}: ${c.why}`;
    if (!Token.isUnresolved(c.have) && c.have !== c.want) throw new Error(`The stack deploys to ${c.what} ${c.have}, but ${reason}`);
    new CfnRule(scope, `SecretIn${c.what === 'Region' ? 'Region' : 'Account'}`, {
      assertions: [{ assert: Fn.conditionEquals(c.ref, c.want), assertDescription: reason.slice(0, 1024) }],
    });
  }
}
