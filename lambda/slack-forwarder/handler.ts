/**
 * Lambda entry of the Slack forwarder, subscribed to the findings topic: wiring only. The secret
 * id comes from the environment (the URL itself never does); a missing variable fails the cold
 * start with its name.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { WEBHOOK_SECRET_ENV } from './env.js';
import { makeForwarder } from './forward.js';
import { WebhookSecret } from './webhook-secret.js';

const secretId = process.env[WEBHOOK_SECRET_ENV]?.trim();
if (!secretId) throw new Error(`${WEBHOOK_SECRET_ENV} is not set: the name or ARN of the secret holding the Slack webhook URL`);

const logger = new Logger({ serviceName: 'wmic-remote-exec-hunt-slack' });

export const handler = makeForwarder({
  secret: new WebhookSecret({ secretId, client: new SecretsManagerClient({}) }),
  log: {
    debug: (m, e) => logger.debug(m, e ?? {}),
    info: (m, e) => logger.info(m, e ?? {}),
    warn: (m, e) => logger.warn(m, e ?? {}),
    error: (m, e) => logger.error(m, e ?? {}),
  },
});
