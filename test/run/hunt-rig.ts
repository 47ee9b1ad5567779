/**
 * A run driven through its ports with small fakes, for unit tests of lambda/run/hunt.ts and
 * plan.ts: the embedded file store with every call recorded (and any method replaceable), an
 * XQL source serving xdr_data rows by `_time`, a notifier that accepts everything unless told
 * otherwise, a captured log and a clock the test moves.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRunSettings } from '../../lambda/config.js';
import { DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import type { TrackedFinding } from '../../lambda/finding.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { createCardDetector } from '../../lambda/modules/index.js';
import type { TimeWindow, XqlRow } from '../../lambda/pipeline-types.js';
import type { PublishOutcome, StateStore } from '../../lambda/ports.js';
import type { RunPorts, RunRequest } from '../../lambda/run/index.js';
import { FileStateStore, StaticCredentials } from '../../local/adapters/index.js';
import { processRow } from '../fixtures/xsiam/events.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);
export const HUNT = WMIC_REMOTE_EXEC.id;

/** Two hours back in one-hour chunks: a first run at `now` hunts two chunks up to now − 2 min (the default ingest lag). */
export const SETTINGS = { ...defaultRunSettings(), initialLookbackMs: 2 * HOUR, maxWindowMs: HOUR };

/** A remote process launch as the XDR agent reports it (xdr_data PROCESS_START; test/fixtures/xsiam/events.ts). */
export function remoteLaunch(time: number, source: string, target: string, id: string): XqlRow {
  return processRow({ id, host: source, image: 'wmic.exe', time, cmd: `wmic /node:"${target}" process call create "powershell.exe -enc SQBFAFgA"` });
}

export interface Call {
  readonly method: string;
  readonly args: readonly unknown[];
}

export interface Rig {
  readonly clock: { now: number };
  readonly store: FileStateStore;
  /** Every state call of the runs, in order. */
  readonly calls: Call[];
  readonly warnings: { readonly message: string; readonly extra?: Record<string, unknown> }[];
  /** What XSIAM holds: a window query returns the rows whose `_time` is in it, the late sweep's query every `lateRows` row. */
  readonly rows: XqlRow[];
  readonly lateRows: XqlRow[];
  /** Runs inside each query before it returns (to let time pass, or to refuse it). */
  onQuery: (xql: string, window: TimeWindow) => void;
  /** The notifier's reply. @default every pair delivered, one message each */
  publish: (findings: readonly TrackedFinding[]) => PublishOutcome;
  /** Ports over the rig; `state` replaces store methods. */
  ports(state?: Partial<StateStore>): RunPorts;
  request(extra?: Partial<RunRequest>): RunRequest;
  /** The state calls of this method. */
  called(method: keyof StateStore): Call[];
  close(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const dir = await mkdtemp(join(tmpdir(), 'hunt-rig-'));
  const store = new FileStateStore({ dir });
  const calls: Call[] = [];
  const warnings: Rig['warnings'][number][] = [];
  const rig: Rig = {
    clock: { now: T0 }, store, calls, warnings, rows: [], lateRows: [],
    onQuery: () => undefined,
    publish: (findings) => ({ delivered: findings.map((f) => f.fingerprint), failed: [], messages: findings.length, digest: false }),
    ports: (state = {}) => ({
      clock: { now: () => rig.clock.now },
      log: { debug: () => {}, info: () => {}, error: () => {}, warn: (message, extra) => { warnings.push({ message, ...(extra ? { extra } : {}) }); } },
      credentials: new StaticCredentials({ tenant: 'https://api-x.xdr.us.paloaltonetworks.com', apiKeyId: '1', apiKey: 'k', keyType: 'standard' }),
      xql: {
        query: async (_c, xql, window) => {
          rig.onQuery(xql, window);
          const rows = xql.includes('_insert_time') ? rig.lateRows : rig.rows.filter((r) => (r._time as number) >= window.from && (r._time as number) < window.to);
          return { queryId: 'q_1_inv', rows, rowProblems: [], numberOfResults: rows.length, queryCost: 0.1, remainingQuota: 100, httpCalls: 2, durationMs: 5 };
        },
      },
      detector: createCardDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST }),
      state: recording(store, calls, state),
      notifier: { publish: async (findings) => rig.publish(findings) },
    }),
    request: (extra = {}) => ({ hunt: WMIC_REMOTE_EXEC, settings: SETTINGS, runId: 'run-1', deadline: rig.clock.now + 10 * MIN, ...extra }),
    called: (method) => calls.filter((c) => c.method === method),
    close: () => rm(dir, { recursive: true, force: true }),
  };
  return rig;
}

/** `store` with every method call recorded; methods in `replaced` answer instead of the store's. */
function recording(store: StateStore, calls: Call[], replaced: Partial<StateStore>): StateStore {
  return new Proxy(store, {
    get(target, key) {
      const own = key in replaced ? replaced[key as keyof StateStore] : Reflect.get(target, key);
      if (typeof own !== 'function') return own;
      return (...args: unknown[]) => {
        calls.push({ method: String(key), args });
        return (own as (...a: unknown[]) => unknown).apply(key in replaced ? replaced : target, args);
      };
    },
  });
}
