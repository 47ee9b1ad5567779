/**
 * P1 (child process, run with --expose-gc): the pipeline's CPU cost per payload size, as a ratio
 * to the floor (JSON.parse of every NDJSON line of the same text).
 *
 * Both sides start from the decompressed NDJSON string (what the client holds after gunzip and
 * UTF-8 decoding); gunzip + decode is timed separately and is in neither side. Each repetition
 * runs the floor and the pipeline back to back after a forced GC, so garbage of one run is not
 * charged to the next; GC during a run is charged to it. Reported values are medians.
 *
 * Args: `--sizes=1000,10000` (default 1000,10000,100000); `--pipeline-only` (for --cpu-prof runs).
 */
import { gunzipBody } from '../lambda/xsiam/stream.js';
import { buildPayload } from './payload.js';
import { floorParse, knownItems, runPipeline, type PipelineOutput } from './pipeline.js';
import { emitResult, gc, median, round } from './support.js';

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const sizes = (arg('sizes') ?? '1000,10000,100000').split(',').map(Number);
const pipelineOnly = process.argv.includes('--pipeline-only');

/** Warm-ups and timed repetitions per size: small sizes are noisy, so they get more. */
function plan(rows: number): { warmup: number; reps: number } {
  if (rows <= 1_000) return { warmup: 5, reps: 31 };
  if (rows <= 10_000) return { warmup: 3, reps: 15 };
  return { warmup: 1, reps: 5 };
}

export interface P1Size {
  rows: number;
  ndjsonBytes: number;
  gzipBytes: number;
  reps: number;
  floorMs: number;
  pipelineMs: number;
  ratio: number;
  stagesMs: Record<string, number>;
  gunzipDecodeMs: number;
  jsonReplyParseMs: number;
  output: PipelineOutput;
}

function time(fn: () => unknown): number {
  gc();
  const t = performance.now();
  fn();
  return performance.now() - t;
}

const results: P1Size[] = [];
for (const rows of sizes) {
  const payload = buildPayload(rows);
  const known = knownItems(payload.ndjson);
  const { warmup, reps } = plan(rows);
  let output: PipelineOutput | null = null;
  for (let i = 0; i < warmup; i++) {
    if (!pipelineOnly) floorParse(payload.ndjson);
    output = runPipeline(payload.ndjson, known);
  }
  const floor: number[] = [];
  const pipe: number[] = [];
  const stages: Record<string, number[]> = {};
  const gunzip: number[] = [];
  const oneShot: number[] = [];
  for (let i = 0; i < reps; i++) {
    if (!pipelineOnly) floor.push(time(() => floorParse(payload.ndjson)));
    const laps: Record<string, number> = {};
    pipe.push(time(() => { output = runPipeline(payload.ndjson, known, laps); }));
    for (const [stage, ms] of Object.entries(laps)) (stages[stage] ??= []).push(ms);
    if (!pipelineOnly && i < 5) {
      gunzip.push(time(() => gunzipBody(payload.gzip, 'bench').toString('utf8')));
      oneShot.push(time(() => JSON.parse(payload.json)));
    }
  }
  const floorMs = median(floor);
  const pipelineMs = median(pipe);
  results.push({
    rows,
    ndjsonBytes: payload.ndjsonBytes,
    gzipBytes: payload.gzip.length,
    reps,
    floorMs: round(floorMs),
    pipelineMs: round(pipelineMs),
    ratio: round(pipelineMs / floorMs),
    stagesMs: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, round(median(v))])),
    gunzipDecodeMs: round(median(gunzip)),
    jsonReplyParseMs: round(median(oneShot)),
    output: output as unknown as PipelineOutput,
  });
}
emitResult(results);
