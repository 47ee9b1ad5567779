/**
 * The AWS adapters behind the pipeline's ports, built once per execution environment.
 * SDK clients are parameters (with production defaults) so tests can point them at DynamoDB
 * Local or fake them at the SDK level.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import type { HandlerConfig } from './config.js';
import { SecretsManagerCredentials } from './credentials/index.js';
import { DEFAULT_ALLOWLIST, type Allowlist } from './detect/index.js';
import type { HuntDefinition } from './hunts/index.js';
import { PACE_WINDOW_MS, SnsNotifier } from './notify/index.js';
import { createCardDetector, EMBEDDED_HUNTS, type HuntModule } from './modules/index.js';
import type { Log } from './ports.js';
import type { RunPorts } from './run/index.js';
import { withQuerySlots } from './query-slots/index.js';
import { DynamoQuerySlots, DynamoSendBudget, DynamoStateStore } from './state/index.js';
import { createXsiamClient } from './xsiam/index.js';

export interface AwsClients {
  /** @default new DynamoDBClient({}) */
  readonly dynamodb?: DynamoDBClient;
  /** @default new SNSClient({}) */
  readonly sns?: SNSClient;
  /** @default new SecretsManagerClient({}) */
  readonly secrets?: SecretsManagerClient;
}

/** The module of a hunt given by its definition: the embedded one with its ID, else the card alone. */
function moduleOf(hunt: HuntDefinition | HuntModule): HuntModule {
  if ('card' in hunt) return hunt;
  return EMBEDDED_HUNTS.find((h) => h.card.id === hunt.id) ?? { card: hunt, detector: (allowlist) => createCardDetector({ hunt, allowlist }) };
}

export function buildAwsPorts(
  config: HandlerConfig, hunt: HuntDefinition | HuntModule, log: Log, clients: AwsClients = {}, allowlist: Allowlist = DEFAULT_ALLOWLIST,
): Omit<RunPorts, 'log'> {
  const module = moduleOf(hunt);
  const dynamodb = clients.dynamodb ?? new DynamoDBClient({});
  // One budget in the table for every publisher of the deployment: concurrent runs (schedule and
  // backfill chunks) and every topic together stay under SNS's 10 emails a second per subscriber.
  const budget = new DynamoSendBudget({
    client: dynamodb, tableName: config.tableName, windowMs: PACE_WINDOW_MS, now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  // Every query (hunt, confirmation, sweep, backfill chunk) of every run holds one of the tenant's
  // three query slots in the table while it runs: XSIAM runs at most four at once per tenant.
  const xql = withQuerySlots(createXsiamClient({ log, ...config.tenantHosts }), {
    slots: new DynamoQuerySlots({ client: dynamodb, tableName: config.tableName }), now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), log,
  });
  return {
    clock: { now: () => Date.now() },
    credentials: new SecretsManagerCredentials({ secretId: config.secretId, client: clients.secrets ?? new SecretsManagerClient({}) }),
    xql,
    // The same client (and connection pool) as the hunt's query; used only when confirmTargets is on.
    ...(module.evidence && { targetEvidence: module.evidence(xql, log) }),
    detector: module.detector(allowlist),
    ...(module.pairJoin && { pairJoin: module.pairJoin }),
    state: new DynamoStateStore({ client: dynamodb, tableName: config.tableName }),
    notifier: new SnsNotifier({
      client: clients.sns ?? new SNSClient({}), topicArn: config.topicArn, stormLimit: config.settings.stormLimit, log, budget,
    }),
  };
}
