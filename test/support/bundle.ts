/**
 * The built handler, as the stack bundles it: lambda/handler.ts bundled by esbuild (HuntFunction's
 * module options: ESM, node22, module first, and the banner NodejsFunction adds for require), and
 * one invocation of it in a fresh Node process with the environment a Lambda would give it.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { EventRow, LocalXsiam } from '../../local/xsiam/index.js';
import { freshTable, localClient } from '../state/dynamo-support.js';
import { startPeers } from './peers.js';
import type { SecretsStandin } from './secrets-standin.js';
import type { SnsStandin } from './sns-standin.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Bundles the handler into `dir/index.mjs`. */
export async function buildHandlerBundle(dir: string): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'lambda/handler.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node22',
    mainFields: ['module', 'main'], outfile: join(dir, 'index.mjs'), logLevel: 'silent', keepNames: true,
    banner: { js: "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);" },
  });
}

/** How to start the bundle's process: its file in the bundle's folder, and Node options before the script (e.g. `--import`). */
export interface InvokeOptions {
  readonly file?: string;
  readonly nodeArgs?: readonly string[];
}

/** Invokes the bundle in `dir` with `event` and the environment `env` (added to PATH and local AWS credentials); its result. */
export async function invokeBundle(dir: string, event: unknown, env: Record<string, string>, remainingMs = 60_000, options: InvokeOptions = {}): Promise<Record<string, unknown>> {
  const url = pathToFileURL(join(dir, options.file ?? 'index.mjs')).href;
  const script = `const m = await import(${JSON.stringify(url)});
const started = Date.now();
const ctx = { awsRequestId: ${JSON.stringify(randomUUID())}, getRemainingTimeInMillis: () => ${remainingMs} - (Date.now() - started) };
try { process.stdout.write('RESULT ' + JSON.stringify(await m.handler(${JSON.stringify(event)}, ctx)) + '\\n'); }
catch (e) { console.error(e.stack); process.exitCode = 2; }`;
  const { stdout } = await run(process.execPath, ['--enable-source-maps', ...(options.nodeArgs ?? []), '--input-type=module', '-e', script], {
    cwd: dir, timeout: remainingMs,
    env: {
      PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env,
    },
  });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  return JSON.parse(line?.slice('RESULT '.length) ?? '{}') as Record<string, unknown>;
}

/** The built handler with its peers on loopback: DynamoDB Local (a fresh table), the local XSIAM, SNS and Secrets Manager stand-ins. */
export interface BundleWorld {
  readonly dir: string;
  readonly xsiam: LocalXsiam;
  readonly sns: SnsStandin;
  readonly secrets: SecretsStandin;
  readonly tableName: string;
  /** The rows the local XSIAM serves (push to them between invocations). */
  readonly events: EventRow[];
  /** The handler's environment pointing at these peers, with `extra` added. */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export async function startBundleWorld(label: string, dynamoDbEndpoint: string): Promise<BundleWorld> {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  await buildHandlerBundle(dir);
  const key = { keyId: '7', key: randomBytes(32).toString('hex') };
  const events: EventRow[] = [];
  const peers = await startPeers({ events: () => events, credentials: key }, { subscriptions: [{ protocol: 'email-json', endpoint: 'soc@example.com' }] });
  const tableName = await freshTable(localClient(dynamoDbEndpoint), label.replace(/[^a-z0-9]/gi, ''));
  return {
    dir, xsiam: peers.xsiam, sns: peers.sns, secrets: peers.secrets, tableName, events,
    env: (extra = {}) => peers.env(dynamoDbEndpoint, tableName, extra),
    close: async () => {
      await peers.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `default` JSON of every message the SNS stand-in accepted, in order. */
export function sentDocuments(sns: SnsStandin): Record<string, unknown>[] {
  return sns.calls.flatMap((c) => c.entries).map((e) => JSON.parse((JSON.parse(e.message) as { default: string }).default) as Record<string, unknown>);
}
