/**
 * A whole hunt wired to real parts: DynamoDB Local for state, the local XSIAM (real protocol,
 * real XQL engine) for the query, the real detector, and the real SnsNotifier over an SNS client
 * faked at the SDK level (aws-sdk-client-mock), since no SNS engine runs here.
 */
import { randomUUID } from 'node:crypto';
import { PublishBatchCommand, SNSClient, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { inject } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import { DEFAULT_ALLOWLIST, createDetector } from '../../lambda/detect/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { startLocalXsiam, type EventRow, type LocalXsiam } from '../../local/xsiam/index.js';
import { SnsNotifier } from '../../lambda/notify/index.js';
import type { Log, RunSettings } from '../../lambda/ports.js';
import { runHunt, type RunPorts, type RunSummary } from '../../lambda/run/index.js';
import { DynamoStateStore } from '../../lambda/state/index.js';
import { createXsiamClient } from '../../lambda/xsiam/index.js';
import { freshTable, localClient } from '../state/dynamo-support.js';
import { StaticCredentials } from '../../local/adapters/index.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
// A day ahead of the real clock, on the hour: DynamoDB Local really deletes items whose TTL
// (expiresAt) is past by the real clock, so the tests' time must not lag it.
export const T0 = Math.ceil(Date.now() / HOUR) * HOUR + 24 * HOUR;
export const TOPIC = 'arn:aws:sns:us-east-1:111122223333:wmic-hunt';

export const snsMock = mockClient(SNSClient);

/** Every PublishBatch entry accepted (SNS's normal reply). */
export function snsAcceptsAll(): void {
  snsMock.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries?: PublishBatchRequestEntry[] }) => ({
    Successful: (input.PublishBatchRequestEntries ?? []).map((e) => ({ Id: e.Id, MessageId: randomUUID() })),
    Failed: [],
  }));
}

/** The `default` JSON of every message published so far. */
export function publishedFindings(): { sourceHost?: string; targetHost?: string; [k: string]: unknown }[] {
  return snsMock.commandCalls(PublishBatchCommand).flatMap((call) =>
    (call.args[0].input.PublishBatchRequestEntries ?? []).map((e) => {
      const message = JSON.parse(e.Message ?? '{}') as { default: string };
      const doc = JSON.parse(message.default) as { finding?: Record<string, unknown> } & Record<string, unknown>;
      return (doc.finding ?? doc) as { sourceHost?: string; targetHost?: string };
    }));
}

/** Every host pair the published messages cover (an incident's message lists several in `pairs`). */
export function publishedPairs(): { sourceHost?: string; targetHost?: string; [k: string]: unknown }[] {
  return snsMock.commandCalls(PublishBatchCommand).flatMap((call) =>
    (call.args[0].input.PublishBatchRequestEntries ?? []).flatMap((e) => {
      const message = JSON.parse(e.Message ?? '{}') as { default: string };
      const doc = JSON.parse(message.default) as { finding?: Record<string, unknown>; pairs?: Record<string, unknown>[] } & Record<string, unknown>;
      return (doc.pairs ?? [doc.finding ?? doc]) as { sourceHost?: string; targetHost?: string }[];
    }));
}

let seq = 0;
/** An xdr_data process-start row of wmic on `host`. */
export function wmicRow(time: number, host: string, commandLine: string, extra: Partial<EventRow> = {}): EventRow {
  seq += 1;
  return {
    _time: time, event_id: `evt-${seq}-${randomUUID().slice(0, 6)}`, agent_id: 'a'.repeat(32), agent_hostname: host,
    agent_os_type: 'AGENT_OS_WINDOWS', event_type: 'PROCESS', event_sub_type: 'PROCESS_START',
    action_process_image_name: 'wmic.exe', action_process_image_path: 'C:\\Windows\\System32\\wbem\\WMIC.exe',
    action_process_image_command_line: commandLine, actor_process_image_name: 'cmd.exe',
    actor_process_command_line: 'cmd.exe', actor_effective_username: 'CORP\\m.keller', ...extra,
  };
}

export const quietLog: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export interface Harness {
  readonly events: EventRow[];
  readonly xsiam: LocalXsiam;
  readonly state: DynamoStateStore;
  readonly clock: { now: number };
  readonly settings: RunSettings;
  readonly ports: RunPorts;
  /** One run; `deadlineInMs` is how long from the (fake) now the run may take. @default 10 minutes */
  run(overrides?: Partial<RunPorts>, settings?: Partial<RunSettings>, deadlineInMs?: number): Promise<RunSummary>;
  close(): Promise<void>;
}

export async function startHarness(settings: Partial<RunSettings> = {}): Promise<Harness> {
  const events: EventRow[] = [];
  const key = { keyId: '7', key: randomUUID() };
  // One time base for the pipeline, the client (deadlines, signed timestamps) and the server.
  const clock = { now: T0 };
  const sharedClock = { now: () => clock.now };
  const xsiam = await startLocalXsiam({ events: () => events, credentials: key, clock: sharedClock });
  const ddb = localClient(inject('dynamoDbEndpoint'));
  const state = new DynamoStateStore({ client: ddb, tableName: await freshTable(ddb, 'run') });
  const merged: RunSettings = { ...defaultRunSettings(), ...settings };
  const ports: RunPorts = {
    clock: sharedClock,
    log: quietLog,
    credentials: new StaticCredentials({ tenant: xsiam.url, apiKeyId: key.keyId, apiKey: key.key, keyType: 'advanced' }),
    xql: createXsiamClient({ allowLoopback: true, clock: sharedClock, pollInitialMs: 5, pollMaxMs: 20, retryBaseMs: 5, retryMaxMs: 20 }),
    detector: createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST }),
    state,
    notifier: new SnsNotifier({ client: new SNSClient({ region: 'us-east-1' }), topicArn: TOPIC, stormLimit: merged.stormLimit, sleep: async () => {} }),
  };
  return {
    events, xsiam, state, clock, settings: merged, ports,
    run: (overrides = {}, extra = {}, deadlineInMs = 10 * MIN) => runHunt({ ...ports, ...overrides }, {
      hunt: WMIC_REMOTE_EXEC, settings: { ...merged, ...extra }, runId: randomUUID(), deadline: clock.now + deadlineInMs,
    }),
    close: async () => { await xsiam.close(); ddb.destroy(); },
  };
}
