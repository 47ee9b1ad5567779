/**
 * P5 (child process, run with --expose-gc): peak memory of the pipeline at 100k rows against the
 * raw payload size (the uncompressed NDJSON bytes).
 *
 * Args: `--payload=<file.gz>` (the gzip stream body, written by the parent so generating it does
 * not touch this process's memory), `--raw-bytes=<n>`, `--mode=retained|allocated` and
 * `--from=stream|text|gzip`:
 *   stream the client's path: the baseline holds only the gzip bytes (standing in for the socket);
 *          the parse stage is the client's readGzipNdjson over them in 64 KiB pieces (gunzip,
 *          decode and line parsing as the bytes arrive); then detect → decide → render
 *   text   the baseline holds the decompressed NDJSON string; stages are parse (parseNdjson) →
 *          detect → decide → render
 *   gzip   the whole-body decode the client used before streaming (gunzipBody + one toString,
 *          then parseNdjson), kept for comparison: the decompressed Buffer and the string are
 *          alive together
 *
 * Measure: heapUsed + external (process.memoryUsage), peak minus a baseline taken after full GCs.
 *   retained   a full GC at every stage boundary, taken while everything the product still
 *              references at that point is held (the text until parsing ends, the decompressed
 *              Buffer while it is decoded, the rows for the whole run as run.ts keeps them):
 *              the memory the pipeline needs. Headline.
 *   allocated  no forced GC: boundary samples plus the heap in use just before each GC during
 *              the stages (V8's --trace-gc, on only for the stages; the parent reads it). Garbage
 *              counts, so this depends on how much room V8 is given; it shows what a roomy
 *              process may occupy.
 * RSS is reported for both.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { gunzipBody, readGzipNdjson } from '../lambda/xsiam/stream.js';
import type { XqlRow } from '../lambda/pipeline-types.js';
import { decideStage, detectStage, knownItemsFromFindings, parseStage, renderStage } from './pipeline.js';
import { emitResult, gc, round } from './support.js';

const arg = (name: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? '';
const from = arg('from') === 'gzip' ? 'gzip' : arg('from') === 'stream' ? 'stream' : 'text';
const mode = arg('mode') === 'allocated' ? 'allocated' : 'retained';
const MB = 1024 * 1024;

const usage = (): { heapExt: number; rss: number } => {
  const m = process.memoryUsage();
  return { heapExt: m.heapUsed + m.external, rss: m.rss };
};

/** Full GCs with pauses, so freed Buffers' memory (released off-thread) is really gone. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// The dedupe map the decide stage reads (what BatchGetItem would return) is input, not pipeline
// memory: built first, from a throw-away decode of the payload.
const known = knownItemsFromFindings(detectStage(parseStage(gunzipBody(readFileSync(arg('payload')), 'bench').toString('utf8'))).findings);
let gzip: Buffer | null = readFileSync(arg('payload'));
let text: string | null = null;
const rawBytes = Number(arg('raw-bytes'));
if (from === 'text') {
  text = gunzipBody(gzip, 'bench').toString('utf8');
  gzip = null;
}
await settle();
const base = usage();
const baseExternal = process.memoryUsage().external;
const samples: { stage: string; heapExtMB: number; rssMB: number }[] = [];
/** Samples memory at a stage boundary; in `retained` mode after full GCs (only what is still referenced counts). */
const mark = async (stage: string): Promise<void> => {
  if (mode === 'retained') await settle();
  const u = usage();
  samples.push({ stage, heapExtMB: round(u.heapExt / MB, 1), rssMB: round(u.rss / MB, 1) });
};

// V8's GC trace (written straight to fd 1) only while the stages run.
if (mode === 'allocated') setFlagsFromString('--trace-gc');
if (from === 'gzip') {
  // The client holds the reply body and the decompressed Buffer while it decodes the text; the
  // Buffer is garbage right after. (Nulled by hand: a top-level await keeps block locals alive.)
  let decompressed: Buffer | null = gunzipBody(gzip as Buffer, 'bench');
  text = decompressed.toString('utf8');
  await mark('gunzip+decode');
  decompressed = null;
}
let rows: XqlRow[];
if (from === 'stream') {
  // Pieces of the gzip bytes (views, no copies), as a socket hands them over.
  const body = gzip as Buffer;
  const pieces = (function* () {
    for (let at = 0; at < body.length; at += 64 * 1024) yield body.subarray(at, at + 64 * 1024);
  })();
  rows = (await readGzipNdjson(Readable.from(pieces, { objectMode: false }), 'bench', [], (t) => t, 2 ** 31)).rows;
} else {
  rows = parseStage(text as string);
}
await mark('parse');
// The client drops the reply body and the text once rows are parsed (locals of #streamRows).
gzip = null;
text = null;
const detection = detectStage(rows);
await mark('detect');
const decisions = decideStage(detection.findings, known);
await mark('decide');
const messages = renderStage(detection, decisions);
await mark('render');
if (mode === 'allocated') setFlagsFromString('--no-trace-gc');

emitResult({
  from,
  mode,
  rows: rows.length,
  findings: detection.findings.length,
  messages: messages.length,
  rawBytes,
  baseHeapExt: base.heapExt,
  baseExternal,
  baseRss: base.rss,
  samples,
  maxRssKB: process.resourceUsage().maxRSS,
});
