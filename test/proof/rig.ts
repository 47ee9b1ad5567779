/**
 * The proof suite's own wiring of a whole run: like test/integration/harness.ts (DynamoDB Local,
 * the local XSIAM, the real detector, the real SnsNotifier over the SDK-faked SNS client), but with
 * the knobs fault injection needs: a DynamoDB client with a fault middleware, a virtual clock that
 * retries and polls advance, a short HTTP timeout, and a fresh server per case.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { PublishBatchCommand, SNSClient, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { inject } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import { XsiamTargetEvidence } from '../../lambda/confirm/index.js';
import { DEFAULT_ALLOWLIST, createDetector } from '../../lambda/detect/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { startLocalXsiam, type EventRow, type LocalXsiam, type LocalXsiamOptions } from '../../local/xsiam/index.js';
import { SnsNotifier } from '../../lambda/notify/index.js';
import type { Checkpoint, RunSettings } from '../../lambda/ports.js';
import { StageError, runHunt, type RunPorts, type RunSummary } from '../../lambda/run/index.js';
import { DynamoStateStore } from '../../lambda/state/index.js';
import { createXsiamClient, type XsiamClientOptions } from '../../lambda/xsiam/index.js';
import { HOUR, MIN, T0, TOPIC, quietLog, snsMock } from '../integration/harness.js';
import { freshTable, localClient } from '../state/dynamo-support.js';
import { DynamoFaults, trackPhases } from './dynamo-faults.js';
import { StaticCredentials } from '../../local/adapters/index.js';

export const HUNT_ID = WMIC_REMOTE_EXEC.id;
export const KEY = { keyId: '7', key: `proof-key-${randomUUID()}` };

export interface Rig {
  readonly events: EventRow[];
  readonly xsiam: LocalXsiam;
  readonly clock: { now: number };
  readonly ddb: DynamoDBClient;
  readonly tableName: string;
  readonly faults: DynamoFaults;
  readonly settings: RunSettings;
  readonly ports: RunPorts;
  run(overrides?: Partial<RunPorts>, options?: { settings?: Partial<RunSettings>; deadline?: number }): Promise<RunSummary>;
  checkpoint(): Promise<Checkpoint | null>;
  /** Every stored finding item (pk starts with HIT#). */
  findingItems(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export interface RigOptions {
  readonly settings?: Partial<RunSettings>;
  readonly server?: Omit<LocalXsiamOptions, 'events' | 'credentials' | 'clock'>;
  readonly client?: XsiamClientOptions;
  /** The run's time base. @default a virtual clock at T0 that only sleeps (retries, polls) advance */
  readonly clock?: { now: number };
  /** Wire target-side confirmation (XsiamTargetEvidence over the same client). @default false */
  readonly confirm?: boolean;
}

/** Settings of the proof runs: 2 h first lookback, 10 min overlap, 5 min ingest lag. */
export const PROOF_SETTINGS: Partial<RunSettings> = { initialLookbackMs: 2 * HOUR, overlapMs: 10 * MIN, ingestLagMs: 5 * MIN, maxWindowMs: 6 * HOUR };

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const events: EventRow[] = [];
  const clock = options.clock ?? { now: T0 };
  const sharedClock = { now: () => clock.now };
  // Waiting (poll delays, retry back-off) advances the virtual clock: deterministic and instant.
  const sleep = options.clock ? (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) : async (ms: number): Promise<void> => { clock.now += ms; };
  const xsiam = await startLocalXsiam({ events: () => events, credentials: KEY, clock: sharedClock, ...options.server });
  const ddb = localClient(inject('dynamoDbEndpoint'));
  const faults = new DynamoFaults(ddb);
  const tableName = await freshTable(ddb, 'proof');
  const store = new DynamoStateStore({ client: ddb, tableName, sleep: async () => {} });
  const settings: RunSettings = { ...defaultRunSettings(), ...PROOF_SETTINGS, ...options.settings };
  const xql = createXsiamClient({
    allowLoopback: true, clock: sharedClock, sleep, pollInitialMs: 5, pollMaxMs: 20, retryBaseMs: 5, retryMaxMs: 20,
    tooManyQueriesBaseMs: 5, tooManyQueriesMaxMs: 20, headersTimeoutMs: 400, bodyTimeoutMs: 400, connectTimeoutMs: 400, ...options.client,
  });
  const ports: RunPorts = {
    clock: sharedClock,
    log: quietLog,
    credentials: new StaticCredentials({ tenant: xsiam.url, apiKeyId: KEY.keyId, apiKey: KEY.key, keyType: 'advanced' }),
    xql,
    detector: createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST }),
    state: trackPhases(store, faults),
    notifier: new SnsNotifier({ client: new SNSClient({ region: 'us-east-1' }), topicArn: TOPIC, stormLimit: settings.stormLimit, sleep: async () => {} }),
    ...(options.confirm === true ? { targetEvidence: new XsiamTargetEvidence({ client: xql }) } : {}),
  };
  const doc = DynamoDBDocumentClient.from(ddb);
  return {
    events, xsiam, clock, ddb, tableName, faults, settings, ports,
    run: (overrides = {}, opts = {}) => runHunt({ ...ports, ...overrides }, {
      hunt: WMIC_REMOTE_EXEC, settings: { ...settings, ...opts.settings }, runId: randomUUID(), deadline: opts.deadline ?? clock.now + 10 * MIN,
    }),
    checkpoint: () => store.readCheckpoint(HUNT_ID),
    findingItems: async () => {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      for (let page = 0; page < 10_000; page++) {
        const res = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
        items.push(...(res.Items ?? []).filter((i) => String(i.pk).startsWith('HIT#')));
        start = res.LastEvaluatedKey;
        if (!start) break;
      }
      return items;
    },
    close: async () => { await xql.close(); await xsiam.close(); ddb.destroy(); },
  };
}

/**
 * What made a run fail: the port's error under the StageError that names the step, or the run's
 * own error (PublishFailedError) as thrown.
 */
export function failureOf(err: unknown): Error {
  if (err instanceof StageError && err.cause instanceof Error) return err.cause;
  if (err instanceof Error) return err;
  throw new Error(`not an error: ${String(err)}`);
}

type BatchInput = { PublishBatchRequestEntries?: PublishBatchRequestEntry[] };
type BatchOutput = { Successful: { Id?: string; MessageId: string }[]; Failed: { Id?: string; Code: string; SenderFault: boolean; Message?: string }[] };
/** One scripted answer of SNS to a PublishBatch call: an output, or a throw. */
export type SnsScript = (input: BatchInput) => BatchOutput;

/**
 * SNS at the SDK level, scripted: each call takes the next queued answer, else accepts everything.
 * Only entries SNS accepted are kept in `accepted` (those are the notifications subscribers got).
 */
export class ScriptedSns {
  readonly queue: SnsScript[] = [];
  readonly accepted: PublishBatchRequestEntry[] = [];

  install(): void {
    snsMock.reset();
    snsMock.on(PublishBatchCommand).callsFake((input: BatchInput) => {
      const script = this.queue.shift() ?? acceptAll;
      const output = script(input);
      const ok = new Set(output.Successful.map((s) => s.Id));
      this.accepted.push(...(input.PublishBatchRequestEntries ?? []).filter((e) => ok.has(e.Id)));
      return output;
    });
  }

  /** Every entry of every PublishBatch call, accepted or not. */
  calls(): PublishBatchRequestEntry[] {
    return snsMock.commandCalls(PublishBatchCommand).flatMap((c) => c.args[0].input.PublishBatchRequestEntries ?? []);
  }

  /** Accepted entries as `{entry, doc}` (doc = the `default` JSON payload). */
  entries(): { entry: PublishBatchRequestEntry; doc: Record<string, unknown> }[] {
    return this.accepted.map((entry) => {
      const message = JSON.parse(entry.Message ?? '{}') as { default: string };
      return { entry, doc: JSON.parse(message.default) as Record<string, unknown> };
    });
  }

  /** Accepted notifications per pair `source→target` (a digest counts once for every pair in its topPairs). */
  perPair(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { doc } of this.entries()) {
      // An incident message lists every pair it covers in `pairs`.
      const pairs = doc.kind === 'digest' ? ((doc.topPairs ?? []) as { sourceHost?: string; targetHost?: string }[]) : ((doc.pairs ?? [doc]) as { sourceHost?: string; targetHost?: string }[]);
      for (const p of pairs) {
        const key = `${p.sourceHost}→${p.targetHost}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    return counts;
  }
}

export const acceptAll: SnsScript = (input) => ({
  Successful: (input.PublishBatchRequestEntries ?? []).map((e) => ({ Id: e.Id, MessageId: randomUUID() })),
  Failed: [],
});
