/**
 * P3: cold import time and size of the deployed handler bundle against a floor bundle.
 *
 * Both are built with esbuild using the options infra/constructs/hunt-function.ts gives CDK's
 * NodejsFunction (ESM, platform node, target node22, minify, external source map without
 * sources content, keepNames, mainFields module,main, the createRequire banner, AWS SDK bundled).
 * The floor entry constructs the three SDK clients the handler uses (constructing, not just
 * importing, so tree shaking cannot drop them) and nothing else.
 *
 * Cold import: a fresh `node` process per sample that imports the bundle, alternating handler
 * and floor. Two numbers per sample: the process wall time (spawn to exit, Node's own start-up
 * included, the same for both) and the import alone (performance.now() around `await import()`
 * inside the child). Lambda runs the bundle with NODE_OPTIONS=--enable-source-maps, so the
 * headline samples use it too; a second set runs without it.
 */
import { writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { ENV } from '../lambda/config.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/telemetry.js';
import { median, round, ROOT, runNode, tmpDir } from './support.js';

/** The bundling options of HuntFunction, as CDK passes them to esbuild. */
export const CDK_BUNDLING: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  keepNames: true,
  mainFields: ['module', 'main'],
  banner: { js: "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
};

const FLOOR_ENTRY = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
export const clients = [new DynamoDBClient({}), new SNSClient({}), new SecretsManagerClient({})];
export const handler = async () => clients.length;
`;

/** What the Lambda environment gives the handler at init (its config needs these three). */
const LAMBDA_ENV = {
  [ENV.tableName]: 'bench-hunt-table',
  [ENV.topicArn]: 'arn:aws:sns:eu-west-1:111122223333:bench-hunt',
  [ENV.secretId]: 'bench/xsiam',
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  AWS_REGION: 'eu-west-1',
  AWS_LAMBDA_FUNCTION_NAME: 'bench-hunt',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

export interface P3Result {
  samples: number;
  bundleBytes: number;
  floorBundleBytes: number;
  sizeRatio: number;
  /** Headline: median process wall time of a cold import, with --enable-source-maps (as deployed). */
  handlerMs: number;
  floorMs: number;
  ratio: number;
  /** Median time of `await import()` alone inside the child (no Node start-up), same flags. */
  importOnly: { handlerMs: number; floorMs: number; ratio: number };
  withoutSourceMaps: { handlerMs: number; floorMs: number; ratio: number; importHandlerMs: number; importFloorMs: number };
  /**
   * The cold import plus the first request's setup (see coldImport), against the same floor
   * import: undici's evaluation is deferred to the first request, so this shows where it went.
   */
  withFirstRequest: { handlerMs: number; floorMs: number; ratio: number; inProcessHandlerMs: number; inProcessFloorMs: number };
  /** Largest contributors to the handler bundle (bytes of minified output). */
  bundleBytesByPackage: Record<string, number>;
  nodeVersion: string;
}

/** Package (or `lambda/` folder) an esbuild input path belongs to. */
function owner(input: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (m?.[1]) return m[1];
  const local = /^(lambda\/[^/]+)\//.exec(input);
  return local?.[1] ?? input;
}

/** Builds `entry`; returns the output file and its bytes by package (esbuild's metafile; output unchanged). */
async function bundle(entry: string, outdir: string): Promise<{ file: string; byPackage: Record<string, number> }> {
  const outfile = join(outdir, 'index.mjs');
  const result = await build({ ...CDK_BUNDLING, entryPoints: [entry], outfile, absWorkingDir: ROOT, metafile: true });
  const sizes = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      sizes.set(owner(input), (sizes.get(owner(input)) ?? 0) + bytesInOutput);
    }
  }
  const byPackage = Object.fromEntries([...sizes].sort((a, b) => b[1] - a[1]).slice(0, 12));
  return { file: outfile, byPackage };
}

/**
 * The handler plus the XSIAM transport exported, so a sample can also make the first request
 * (which loads undici, deferred out of the cold import) without AWS or XSIAM credentials.
 */
const FIRST_QUERY_ENTRY = (root: string): string => `export * from ${JSON.stringify(join(root, 'lambda', 'handler.ts'))};
export { Transport } from ${JSON.stringify(join(root, 'lambda', 'xsiam', 'transport.ts'))};
`;

/**
 * One cold start: returns [process wall ms, in-process ms]. The in-process time is the import
 * alone, or, when the bundle exports Transport, the import plus a first request: agents made, a
 * connection refused by a closed loopback port (nothing listens on port 9).
 */
async function coldImport(file: string, flags: readonly string[]): Promise<[number, number]> {
  const script = `const t = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(file).href)});
if (typeof m.handler !== 'function') throw new Error('no handler export');
if (m.Transport) {
  const transport = new m.Transport();
  const failed = await transport.post('http://127.0.0.1:9', 'get_quota', {}, {}, AbortSignal.timeout(5000), null).then(() => null, (e) => e);
  if (failed?.name !== 'XsiamNetworkError') throw new Error('first request: expected a refused connection, got ' + String(failed));
  await transport.close();
}
process.stdout.write(String(performance.now() - t));`;
  const env = { PATH: process.env.PATH ?? '', ...LAMBDA_ENV };
  const run = await runNode([...flags, '--input-type=module', '-e', script], { env, cwd: tmpDir('p3'), timeoutMs: 60_000 });
  if (run.code !== 0) throw new Error(`cold import of ${file} failed (exit ${String(run.code)}): ${run.stderr.slice(0, 2000)}`);
  return [run.ms, Number(run.stdout)];
}

async function series(handler: string, floor: string, samples: number, flags: readonly string[]) {
  const h: [number[], number[]] = [[], []];
  const f: [number[], number[]] = [[], []];
  // One unrecorded round warms the OS file cache for both files.
  await coldImport(handler, flags);
  await coldImport(floor, flags);
  for (let i = 0; i < samples; i++) {
    // Alternate the order too, so neither side always runs right after the other.
    const order = i % 2 === 0 ? ([[handler, h], [floor, f]] as const) : ([[floor, f], [handler, h]] as const);
    for (const [file, into] of order) {
      const [wall, imp] = await coldImport(file, flags);
      into[0].push(wall);
      into[1].push(imp);
    }
  }
  return { handlerMs: median(h[0]), floorMs: median(f[0]), importHandlerMs: median(h[1]), importFloorMs: median(f[1]) };
}

export async function runP3(samples = 15): Promise<P3Result> {
  const built = await bundle(join(ROOT, 'lambda', 'handler.ts'), tmpDir('p3', 'handler'));
  const handler = built.file;
  const floorEntry = join(tmpDir('p3', 'floor'), 'floor-entry.mjs');
  writeFileSync(floorEntry, FLOOR_ENTRY);
  const floor = (await bundle(floorEntry, tmpDir('p3', 'floor', 'out'))).file;

  const firstEntry = join(tmpDir('p3', 'first'), 'first-entry.ts');
  writeFileSync(firstEntry, FIRST_QUERY_ENTRY(ROOT));
  const firstRequest = (await bundle(firstEntry, tmpDir('p3', 'first', 'out'))).file;

  const maps = await series(handler, floor, samples, ['--enable-source-maps']);
  const plain = await series(handler, floor, samples, []);
  const first = await series(firstRequest, floor, samples, ['--enable-source-maps']);
  const bundleBytes = statSync(handler).size;
  const floorBundleBytes = statSync(floor).size;
  return {
    samples,
    bundleBytes,
    floorBundleBytes,
    sizeRatio: round(bundleBytes / floorBundleBytes),
    handlerMs: round(maps.handlerMs, 1),
    floorMs: round(maps.floorMs, 1),
    ratio: round(maps.handlerMs / maps.floorMs),
    importOnly: { handlerMs: round(maps.importHandlerMs, 1), floorMs: round(maps.importFloorMs, 1), ratio: round(maps.importHandlerMs / maps.importFloorMs) },
    withoutSourceMaps: {
      handlerMs: round(plain.handlerMs, 1), floorMs: round(plain.floorMs, 1), ratio: round(plain.handlerMs / plain.floorMs),
      importHandlerMs: round(plain.importHandlerMs, 1), importFloorMs: round(plain.importFloorMs, 1),
    },
    withFirstRequest: {
      handlerMs: round(first.handlerMs, 1), floorMs: round(first.floorMs, 1), ratio: round(first.handlerMs / first.floorMs),
      inProcessHandlerMs: round(first.importHandlerMs, 1), inProcessFloorMs: round(first.importFloorMs, 1),
    },
    bundleBytesByPackage: built.byPackage,
    nodeVersion: process.version,
  };
}
