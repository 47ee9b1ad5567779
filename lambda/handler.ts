/**
 * Lambda entry point: EventBridge scheduled event in, run summary out. Wiring only: configuration
 * is read and validated once at init (a bad variable fails the cold start with its name).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SNSClient } from '@aws-sdk/client-sns';
import { buildAwsPorts } from './aws-ports.js';
import { loadConfig } from './config.js';
import { WMIC_REMOTE_EXEC } from './hunts/index.js';
import { asLog, makeHandler } from './lambda-shell.js';
import { SnsOpsPublisher } from './ops-topic.js';
import { METRICS_NAMESPACE, SERVICE_NAME, STACK_DIMENSION } from './telemetry.js';

const config = loadConfig();
const logger = new Logger({ serviceName: SERVICE_NAME });
const metrics = new Metrics({
  namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME,
  ...(config.stackName === undefined ? {} : { defaultDimensions: { [STACK_DIMENSION]: config.stackName } }),
});

export const handler = makeHandler({
  config,
  hunt: WMIC_REMOTE_EXEC,
  logger,
  metrics,
  ports: buildAwsPorts(config, WMIC_REMOTE_EXEC, asLog(logger)),
  ops: config.alarmTopicArn === null ? undefined : new SnsOpsPublisher(new SNSClient({}), config.alarmTopicArn),
});
