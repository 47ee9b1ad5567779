/**
 * CPU profile of the P1 pipeline, for when its ratio misses the goal. The P1 child is bundled
 * with esbuild (source map kept, packages left external) so profile frames map back to
 * TypeScript lines, then run once under --cpu-prof with the pipeline only.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { hotSpots, type HotSpot } from './profile.js';
import { ROOT, runNode, tmpDir } from './support.js';

export interface P1Profile {
  rows: number;
  functions: HotSpot[];
  files: HotSpot[];
}

export async function profileP1(rows: number): Promise<P1Profile> {
  const dir = tmpDir('prof');
  rmSync(dir, { recursive: true, force: true });
  tmpDir('prof');
  const outfile = join(dir, 'p1.mjs');
  await build({
    entryPoints: [join(ROOT, 'bench', 'p1-cpu.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    sourcemap: true, keepNames: true, packages: 'external', logLevel: 'warning', absWorkingDir: ROOT,
  });
  const run = await runNode(['--expose-gc', '--cpu-prof', `--cpu-prof-dir=${dir}`, outfile, `--sizes=${rows}`, '--pipeline-only'], { timeoutMs: 180_000 });
  if (run.code !== 0) throw new Error(`profiling run failed (exit ${String(run.code)}): ${run.stderr.slice(0, 2000)}`);
  return { rows, ...hotSpots(dir, 15) };
}
