/**
 * A card-only hunt (hunts/HuntQuery-Windows-ShadowCopy-Delete.md, no TypeScript of its own) run by
 * the built handler: the real lambda/handler.ts bundled by esbuild as the stack bundles it,
 * imported in a fresh Node process, over DynamoDB Local, the local XSIAM, an SNS stand-in and a
 * Secrets Manager stand-in, all on loopback. The event names the hunt as its schedule rule does.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENV } from '../../lambda/config.js';
import { startLocalXsiam, type EventRow, type LocalXsiam } from '../../local/xsiam/index.js';
import { freshTable, localClient } from '../state/dynamo-support.js';
import { startSecretsStandin, type SecretsStandin } from '../support/secrets-standin.js';
import { startSnsStandin, type SnsStandin } from '../support/sns-standin.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HUNT_ID = 'HuntQuery-Windows-ShadowCopy-Delete';
const key = { keyId: '7', key: randomBytes(32).toString('hex') };
let dir: string;
let xsiam: LocalXsiam;
let sns: SnsStandin;
let secrets: SecretsStandin;
let tableName: string;
const events: EventRow[] = [];

/** The hunt's own test rows, moved to the last hour (the scheduled run looks back from now). */
function testRows(): EventRow[] {
  const lines = readFileSync(join(ROOT, `hunts/${HUNT_ID}.test.jsonl`), 'utf8').trim().split('\n');
  return lines.map((l, i) => {
    const { _expect: _e, _source: _s, ...row } = JSON.parse(l) as Record<string, unknown>;
    return { ...row, _time: Date.now() - 60 * 60_000 + i * 1_000 };
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'card-bundle-'));
  // HuntFunction's module options (ESM, node22, module first), and the banner NodejsFunction adds for require.
  await build({
    entryPoints: [join(ROOT, 'lambda/handler.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node22',
    mainFields: ['module', 'main'], outfile: join(dir, 'index.mjs'), logLevel: 'silent', keepNames: true,
    banner: { js: "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);" },
  });
  xsiam = await startLocalXsiam({ events: () => events, credentials: key });
  sns = await startSnsStandin({ subscriptions: [{ protocol: 'email-json', endpoint: 'soc@example.com' }] });
  secrets = await startSecretsStandin({ 'xsiam/api': JSON.stringify({ tenant: xsiam.url, apiKeyId: key.keyId, apiKey: key.key, keyType: 'advanced' }) });
  tableName = await freshTable(localClient(inject('dynamoDbEndpoint')), 'cardbundle');
}, 120_000);
afterAll(async () => {
  await Promise.all([xsiam?.close(), sns?.close(), secrets?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function invoke(event: unknown): Promise<Record<string, unknown>> {
  const url = pathToFileURL(join(dir, 'index.mjs')).href;
  const context = { awsRequestId: randomUUID(), remaining: 60_000 };
  const script = `const m = await import(${JSON.stringify(url)});
const started = Date.now();
const ctx = { awsRequestId: ${JSON.stringify(context.awsRequestId)}, getRemainingTimeInMillis: () => ${context.remaining} - (Date.now() - started) };
try { process.stdout.write('RESULT ' + JSON.stringify(await m.handler(${JSON.stringify(event)}, ctx)) + '\\n'); }
catch (e) { console.error(e.stack); process.exitCode = 2; }`;
  const { stdout } = await run(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    cwd: dir, timeout: 60_000,
    env: {
      PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // Service-specific endpoints (the SDK's configured endpoints): https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'), AWS_ENDPOINT_URL_SNS: sns.endpoint, AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      [ENV.tableName]: tableName, [ENV.topicArn]: sns.topicArn, [ENV.secretId]: 'xsiam/api', [ENV.allowLoopback]: 'true', [ENV.initialLookbackMinutes]: '180',
      [ENV.confirmTargets]: 'false',
    },
  });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  return JSON.parse(line?.slice('RESULT '.length) ?? '{}') as Record<string, unknown>;
}

describe('a card-only hunt in the built handler', () => {
  it('runs from its schedule rule\'s event: a finding per host and command line, a message per host story, each naming its hunt and host; the next run sends nothing again', async () => {
    events.push(...testRows());
    const first = await invoke({ 'detail-type': 'Scheduled Event', source: 'aws.events', huntId: HUNT_ID });
    expect(first).toMatchObject({ huntId: HUNT_ID, status: 'completed', newPairs: 3, notified: 3 });
    const published = sns.calls.flatMap((c) => c.entries).map((e) => JSON.parse((JSON.parse(e.message) as { default: string }).default) as Record<string, unknown>);
    expect(published.map((p) => [p['huntId'], p['host']]).sort()).toEqual([[HUNT_ID, 'BKP01'], [HUNT_ID, 'FS01']]);
    expect(published.every((p) => (p['hunt'] as { title: string }).title === 'Shadow Copy Deletion using vssadmin or WMIC')).toBe(true);
    // FS01's two deletions (vssadmin, then wmic) are one story on one host: one message, both findings in it.
    const fs01 = published.find((p) => p['host'] === 'FS01')!;
    expect((fs01['pairs'] as { commandLine: { value: string } }[]).map((f) => f.commandLine.value).sort()).toEqual(['vssadmin.exe delete shadows /all /quiet', 'wmic.exe shadowcopy delete']);
    expect((published.find((p) => p['host'] === 'BKP01')!['keyFields'] as Record<string, { value: string }>)['action_process_image_command_line']!.value).toContain('Delete Shadows /All /Quiet');
    expect(String(published[0]!['drillDownXql'])).toContain('agent_hostname = ');

    const again = await invoke({ huntId: HUNT_ID });
    expect(again).toMatchObject({ huntId: HUNT_ID, notified: 0 });
    expect(sns.calls.flatMap((c) => c.entries)).toHaveLength(2);
  }, 180_000);

  it('refuses an event naming a hunt that is not in hunts/', async () => {
    await expect(invoke({ huntId: 'HuntQuery-Nope' })).rejects.toThrow(/huntId must be one of .*HuntQuery-Windows-ShadowCopy-Delete/);
  }, 60_000);
});

describe('the target-side WMI hunt (a card with a module) in the built handler', () => {
  const WMI_ID = 'HuntQuery-Windows-WMI-RemoteExec-TargetSide';
  /** Its test rows in the last three hours, spacing halved (3 s stays within the confirmation range, 20 min stays outside). */
  function wmiRows(): EventRow[] {
    const rows = readFileSync(join(ROOT, `hunts/${WMI_ID}.test.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const first = Math.min(...rows.map((r) => Date.parse(String(r['_time']))));
    const start = Date.now() - 150 * 60_000;
    return rows.map(({ _expect: _e, _source: _s, ...row }) => ({ ...row, _time: start + Math.round((Date.parse(String(row['_time'])) - first) / 2) }));
  }

  it('notifies each tool\'s child on its target (host = target), and not the child a wmic pair explains', async () => {
    const before = sns.calls.flatMap((c) => c.entries).length;
    events.push(...wmiRows());
    const result = await invoke({ huntId: WMI_ID });
    expect(result).toMatchObject({ huntId: WMI_ID, status: 'completed', notified: 8, suppressed: 1, belowMinSeverity: 3 });
    const published = sns.calls.flatMap((c) => c.entries).slice(before).map((e) => JSON.parse((JSON.parse(e.message) as { default: string }).default) as Record<string, unknown>);
    expect(published.every((p) => p['huntId'] === WMI_ID)).toBe(true);
    expect(published.map((p) => p['host']).sort()).toEqual(['APP03', 'DB01', 'DC01', 'FS02', 'FS04', 'FS05', 'HR05']);
    expect(JSON.stringify(published)).not.toContain('Winter2026!');
  }, 180_000);
});
