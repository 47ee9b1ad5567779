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

export const handler = makeHuntRouter(new Map(EMBEDDED_HUNTS.map((hunt): [string, HuntHandler] => [hunt.card.id, onFirstEvent(() => makeHandler({
  config,
  hunt: hunt.card,
  logger,
  metrics,
  ports: buildAwsPorts(config, hunt, asLog(logger), clients),
  ops,
}))])), DEFAULT_HUNT_ID);
