/**
 * P1 of two checkouts on the same input: `node --expose-gc --import tsx bench/p1-compare.ts DIR_A DIR_B`
 * (for example a `git worktree` of an older commit and this one). Not part of `npm run bench`.
 *
 * Each commit's own P1 run builds its payload from its own sample day, so when the sample day
 * grows a scenario (the late laptop added heavier rows), two commits' ratios differ in their
 * input as well as in their code. Here both pipelines (each checkout's own `bench/pipeline.ts`)
 * run in one process over the payload of the first checkout (or `--payload-from=DIR`), alternating
 * run by run, with a collection before each floor and each pipeline as p1-cpu.ts does.
 *
 * Args: `--rows=10000`, `--reps=40` (the first 4 are warm-up), `--payload-from=DIR`.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { gc, median, round } from './support.js';

interface PipelineModule {
  floorParse(ndjson: string): number;
  knownItems(ndjson: string): Map<string, Record<string, unknown>>;
  runPipeline(ndjson: string, known: ReadonlyMap<string, Record<string, unknown>>, times?: Record<string, number>): { messages: number; findings: number };
}
interface PayloadModule {
  buildPayload(rows: number): { ndjson: string };
}

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const dirs = process.argv.slice(2).filter((a) => !a.startsWith('--')).map((d) => (isAbsolute(d) ? d : resolve(d)));
if (dirs.length < 2) throw new Error('usage: bench/p1-compare.ts DIR_A DIR_B [--rows=N] [--reps=N] [--payload-from=DIR]');
const rows = Number(arg('rows') ?? 10_000);
const reps = Number(arg('reps') ?? 40);
const from = resolve(arg('payload-from') ?? dirs[0]!);

const payload = ((await import(join(from, 'bench', 'payload.ts'))) as PayloadModule).buildPayload(rows);
const sides = await Promise.all(dirs.map(async (dir) => {
  const pipeline = (await import(join(dir, 'bench', 'pipeline.ts'))) as PipelineModule;
  return { dir, pipeline, known: pipeline.knownItems(payload.ndjson), floor: [] as number[], total: [] as number[], stages: {} as Record<string, number[]> };
}));

for (let i = 0; i < reps; i++) {
  // alternate the order, so neither side always runs on the heap the other left
  for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
    gc();
    let t = performance.now();
    side.pipeline.floorParse(payload.ndjson);
    const floorMs = performance.now() - t;
    gc();
    const laps: Record<string, number> = {};
    t = performance.now();
    side.pipeline.runPipeline(payload.ndjson, side.known, laps);
    const totalMs = performance.now() - t;
    if (i < 4) continue;
    side.floor.push(floorMs);
    side.total.push(totalMs);
    for (const [stage, ms] of Object.entries(laps)) (side.stages[stage] ??= []).push(ms);
  }
}

console.log(`payload of ${from}, ${rows} rows, ${reps - 4} timed runs per side (medians, ms)`);
for (const side of sides) {
  const out = side.pipeline.runPipeline(payload.ndjson, side.known);
  const floor = median(side.floor);
  const total = median(side.total);
  const stages = Object.entries(side.stages).map(([stage, ms]) => `${stage} ${round(median(ms), 1)}`).join(', ');
  console.log(`${side.dir}: ratio ${round(total / floor, 2)}x, pipeline ${round(total, 1)}, floor ${round(floor, 1)} (${stages}); ${out.findings} findings, ${out.messages} messages`);
}
