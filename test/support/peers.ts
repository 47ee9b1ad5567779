/**
 * The handler's peers on loopback for a test of the built handler: the local XSIAM, the SNS
 * stand-in and a Secrets Manager stand-in holding the XSIAM secret, and the environment that
 * points a Lambda at them.
 */
import { ENV } from '../../lambda/config.js';
import { startLocalXsiam, type LocalXsiam, type LocalXsiamOptions } from '../../local/xsiam/index.js';
import { startSecretsStandin, type SecretsStandin } from './secrets-standin.js';
import { startSnsStandin, type SnsStandin, type StandinOptions } from './sns-standin.js';

export interface Peers {
  readonly xsiam: LocalXsiam;
  readonly sns: SnsStandin;
  readonly secrets: SecretsStandin;
  /** Local AWS credentials, the three endpoints, the table, topic and secret, and loopback allowed, with `extra` added. */
  env(dynamoDbEndpoint: string, tableName: string, extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

/** The secret's id in the stand-in. */
export const SECRET_ID = 'xsiam/api';

export async function startPeers(xsiamOptions: LocalXsiamOptions & { readonly credentials: { readonly keyId: string; readonly key: string } }, snsOptions: StandinOptions): Promise<Peers> {
  const xsiam = await startLocalXsiam(xsiamOptions);
  const sns = await startSnsStandin(snsOptions);
  const { keyId, key } = xsiamOptions.credentials;
  const secrets = await startSecretsStandin({ [SECRET_ID]: JSON.stringify({ tenant: xsiam.url, apiKeyId: keyId, apiKey: key, keyType: 'advanced' }) });
  return {
    xsiam, sns, secrets,
    env: (dynamoDbEndpoint, tableName, extra = {}) => ({
      AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
      // Service-specific endpoints (the SDK's configured endpoints): https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDbEndpoint, AWS_ENDPOINT_URL_SNS: sns.endpoint, AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      [ENV.tableName]: tableName, [ENV.topicArn]: sns.topicArn, [ENV.secretId]: SECRET_ID, [ENV.allowLoopback]: 'true', ...extra,
    }),
    close: async () => {
      await Promise.all([sns.close(), secrets.close(), xsiam.close()]);
    },
  };
}
