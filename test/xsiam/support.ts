/** Shared test parts: fake time, credentials, a tiny XQL engine, server + client wiring. */
import { createXsiamClient, type XsiamClient, type XsiamClientOptions } from '../../lambda/xsiam/index.js';
import type { XsiamCredentials } from '../../lambda/xsiam/types.js';
import { startLocalXsiam, type LocalXsiam, type LocalXsiamOptions, type XqlEngine } from '../../local/xsiam/index.js';

export const KEY_ID = '42';
export const API_KEY = 'canary-KEY-7f3c9d1e2b4a6c8e0f1a3b5c7d9e1f2a';

/** A clock that only moves when the client sleeps (or the test advances it). */
export function fakeTime(start = Date.now()) {
  let t = start;
  const sleeps: number[] = [];
  return {
    clock: { now: () => t },
    sleep: async (ms: number) => {
      if (ms < 0) throw new Error(`negative sleep ${ms}`);
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
    get now() {
      return t;
    },
  };
}

export function credentials(url: string, keyType: 'standard' | 'advanced' = 'advanced', over: Partial<XsiamCredentials> = {}): XsiamCredentials {
  return { tenant: url, apiKeyId: KEY_ID, apiKey: API_KEY, keyType, ...over };
}

/**
 * Stand-in engine for protocol tests: any text parses except one containing `|alter2`
 * (the docs' syntax-error example); every row inside the window comes back.
 */
export const passThroughEngine: XqlEngine<string> = {
  parse(text) {
    const at = text.indexOf('|alter2');
    if (at >= 0) throw Object.assign(new Error("no viable alternative at input '|alter2'"), { line: 1, column: at + 1 });
    return text;
  },
  run(_query, rows, { window }) {
    return rows.filter((r) => typeof r._time === 'number' && r._time >= window.from && r._time < window.to);
  },
};

export interface Harness {
  readonly server: LocalXsiam;
  readonly client: XsiamClient;
  readonly time: ReturnType<typeof fakeTime>;
  close(): Promise<void>;
}

/** Server with the pass-through engine and a client on fake time sharing the server's clock. */
export async function harness(serverOptions: Partial<LocalXsiamOptions> = {}, clientOptions: XsiamClientOptions = {}): Promise<Harness> {
  const time = fakeTime();
  const server = await startLocalXsiam({
    credentials: { keyId: KEY_ID, key: API_KEY },
    engine: passThroughEngine as XqlEngine,
    clock: time.clock,
    ...serverOptions,
  });
  const client = createXsiamClient({ allowLoopback: true, clock: time.clock, sleep: time.sleep, random: () => 0.5, ...clientOptions });
  return {
    server,
    client,
    time,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** Raw POST for server tests (no client logic in between). */
export async function post(url: string, path: string, body: unknown, headers: Record<string, string> = { authorization: API_KEY, 'x-xdr-auth-id': KEY_ID }) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read reply fields of any shape
  return { status: res.status, headers: res.headers, bytes, json: json as any };
}
