import { RemovalPolicy, Validations } from 'aws-cdk-lib';
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
