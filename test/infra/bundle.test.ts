import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthHunt, type Synthesized } from './synth.js';

const run = promisify(execFile);
const entry = fileURLToPath(new URL('../fixtures/infra/bundle-probe/handler.ts', import.meta.url));

/** Imports the bundle in a fresh Node process with the Lambda's NODE_OPTIONS and calls handler(event). */
async function invoke(bundleDir: string, event: unknown): Promise<{ stdout: string; stderr: string; code: number }> {
  const url = pathToFileURL(join(bundleDir, 'index.mjs')).href;
  const script = `const m = await import(${JSON.stringify(url)});
try { console.log(JSON.stringify(await m.handler(${JSON.stringify(event)}))); }
catch (e) { console.error(e.stack); process.exitCode = 2; }`;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script],
      // Lambda runs Node 22; this machine may run Node 20, where the SDK prints a support warning.
      { cwd: bundleDir, timeout: 20_000, env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

let built: Synthesized;

beforeAll(() => {
  // The real stack, with the entry swapped for a probe that imports every kind of dependency.
  built = synthHunt({}, { entry });
});

describe('Lambda bundle', () => {
  it('runs in plain Node with the SDK clients, lib-dynamodb, undici, Powertools and JSON bundled in, class names kept', async () => {
    const result = await invoke(built.bundleDir, {});
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      marker: 'json-import-works',
      clients: ['DynamoDBDocumentClient', 'SNSClient', 'SecretsManagerClient'],
      logger: 'Logger',
      metrics: 'Metrics',
    });
  });

  it('imports no package at run time: the AWS SDK is inside the bundle, not taken from the runtime', async () => {
    // The bundle ran above from a temp directory with no node_modules on its path, so any
    // package left external would have failed to load; the source shows no package import either.
    expect(built.bundleDir.startsWith(fileURLToPath(new URL('../../', import.meta.url)))).toBe(false);
    const code = await readFile(join(built.bundleDir, 'index.mjs'), 'utf8');
    expect(code).not.toMatch(/\bfrom\s*["'](@aws-sdk|@smithy|undici|@aws-lambda-powertools)/);
    expect(code).not.toMatch(/\bimport\(\s*["'](@aws-sdk|@smithy|undici|@aws-lambda-powertools)/);
    expect(code).toContain('SNSClient');
  });

  it('maps stack traces back to the TypeScript source (source maps on)', async () => {
    const result = await invoke(built.bundleDir, { fail: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ProbeError: probe failure/);
    expect(result.stderr).toContain('bundle-probe/handler.ts');
  });
});
