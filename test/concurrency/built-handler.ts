/**
 * The hunt handler as it ships, run as separate processes: lambda/handler.ts bundled by esbuild the
 * way HuntFunction bundles it (ESM, node target, the createRequire banner), and a small runner
 * that invokes it once per process with a Lambda-like context. Separate processes are separate
 * Lambda environments: no module-level state (pacer, caches) is shared between invocations.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The runner: imports the bundle, invokes it with the event in argv[2], writes the outcome to argv[3]. */
const RUNNER = `
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
const [, , bundle, eventJson, out, timeoutMs] = process.argv;
const started = Date.now();
const context = { awsRequestId: randomUUID(), functionName: 'hunt', getRemainingTimeInMillis: () => Number(timeoutMs) - (Date.now() - started) };
try {
  const { handler } = await import(bundle);
  const result = await handler(JSON.parse(eventJson), context);
  writeFileSync(out, JSON.stringify({ ok: true, result }));
} catch (err) {
  writeFileSync(out, JSON.stringify({ ok: false, error: err && err.name, message: String(err && err.message).slice(0, 500) }));
}
`;

export interface Invocation {
  readonly ok: boolean;
  readonly result?: Record<string, unknown>;
  readonly error?: string;
  readonly message?: string;
}

export interface BuiltHandler {
  /** Invokes the bundle in a fresh process with `env`; resolves with what the handler returned or threw. */
  invoke(event: unknown, env: Record<string, string>, timeoutMs?: number): Promise<Invocation>;
  close(): Promise<void>;
}

export async function buildHandler(): Promise<BuiltHandler> {
  const dir = await mkdtemp(join(tmpdir(), 'hunt-bundle-'));
  const bundle = join(dir, 'index.mjs');
  await build({
    entryPoints: [join(ROOT, 'lambda', 'handler.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm',
    target: 'node20', mainFields: ['module', 'main'], keepNames: true, logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);" },
  });
  const runner = join(dir, 'runner.mjs');
  await writeFile(runner, RUNNER);
  let n = 0;
  return {
    invoke: (event, env, timeoutMs = 300_000) => new Promise((ok, fail) => {
      n += 1;
      const out = join(dir, `out-${n}.json`);
      const child = spawn(process.execPath, [runner, bundle, JSON.stringify(event), out, String(timeoutMs)], {
        env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
      child.once('error', fail);
      child.once('exit', () => {
        readFile(out, 'utf8').then((text) => ok(JSON.parse(text) as Invocation), () => fail(new Error(`runner wrote no outcome: ${stderr.slice(0, 2000)}`)));
      });
    }),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
