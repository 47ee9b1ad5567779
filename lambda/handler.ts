/**
 * Lambda entry point: EventBridge scheduled event in, run summary out. Wiring only: configuration
 * is read and validated once at init (a bad variable fails the cold start with its name).
 * Every hunt embedded from hunts/ gets its own shell; the event's `huntId` picks one. A hunt is
 * wired on its first event (onFirstEvent), and the hunts share one client per AWS service.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { buildAwsPorts } from './aws-ports.js';
import { loadConfig } from './config.js';
import { DEFAULT_ALLOWLIST } from './detect/index.js';
import { allowlistForHunt, configForHunt, shadowHuntIds } from './hunt-config.js';
import { makeHuntRouter, onFirstEvent } from './hunt-router.js';
import { asLog, makeHandler, type HuntHandler } from './lambda-shell.js';
import { DEFAULT_HUNT_ID, EMBEDDED_HUNTS } from './modules/index.js';
import { SnsOpsPublisher } from './ops-topic.js';
import { METRICS_NAMESPACE, SERVICE_NAME, STACK_DIMENSION } from './telemetry.js';

const config = loadConfig();
const logger = new Logger({ serviceName: SERVICE_NAME });
const metrics = new Metrics({
  namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME,
  ...(config.stackName === undefined ? {} : { defaultDimensions: { [STACK_DIMENSION]: config.stackName } }),
});
const clients = { dynamodb: new DynamoDBClient({}), sns: new SNSClient({}), secrets: new SecretsManagerClient({}) };
const ops = config.alarmTopicArn === null ? undefined : new SnsOpsPublisher(clients.sns, config.alarmTopicArn);

// Each hunt runs with its own mode, minimum severity, topic and allowlist (hunt:hunts), else the stack's;
// its ports are built on its first event, so a cold start for one hunt builds that hunt only.
const shadowHunts = shadowHuntIds(config, EMBEDDED_HUNTS.map((h) => h.card.id));

export const handler = makeHuntRouter(new Map(EMBEDDED_HUNTS.map((hunt): [string, HuntHandler] => [hunt.card.id, onFirstEvent(() => {
  const own = configForHunt(config, hunt.card.id);
  return makeHandler({
    config: own,
    hunt: hunt.card,
    logger,
    metrics,
    ports: buildAwsPorts(own, hunt, asLog(logger), clients, allowlistForHunt(config, hunt.card.id, DEFAULT_ALLOWLIST)),
    ops,
    shadowHunts,
  });
})])), DEFAULT_HUNT_ID);
