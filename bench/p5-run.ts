/**
 * P5 driver: writes the 100k-row payload for the memory children, runs them, and turns their
 * samples (and V8's GC trace) into peak-over-baseline ratios. See p5-memory.ts for the measures.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPayload } from './payload.js';
import { round, runTsChild, tmpDir } from './support.js';

interface ChildReport {
  from: 'stream' | 'text' | 'gzip';
  mode: 'retained' | 'allocated';
  rows: number;
  findings: number;
  messages: number;
  rawBytes: number;
  baseHeapExt: number;
  baseExternal: number;
  baseRss: number;
  samples: { stage: string; heapExtMB: number; rssMB: number }[];
  maxRssKB: number;
}

export interface P5Variant {
  from: 'stream' | 'text' | 'gzip';
  mode: 'retained' | 'allocated';
  ratio: number;
  peakMinusBaselineMB: number;
  peakStage: string;
  baselineMB: number;
  /** Largest heap in use just before a GC during the stages (allocated mode), MB. */
  preGcHeapPeakMB: number | null;
  /** RSS at the peak stage minus baseline RSS, over the raw payload size. */
  rssRatio: number;
  samples: { stage: string; heapExtMB: number; rssMB: number }[];
}

export interface P5Result {
  rows: number;
  rawPayloadBytes: number;
  gzipBytes: number;
  /** Headline: the allocated measure of the client's streamed path (see README). */
  ratio: number;
  measure: string;
  retainedRatio: number;
  variants: P5Variant[];
}

const MB = 1024 * 1024;
const GC_LINE = /(?:Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact|Minor Mark-Sweep)[^\d]*?([\d.]+) \(([\d.]+)\) -> ([\d.]+)/;

function summarise(r: ChildReport, stdout: string): P5Variant {
  const baselineMB = r.baseHeapExt / MB;
  let peak = { stage: 'baseline', mb: baselineMB };
  for (const s of r.samples) if (s.heapExtMB > peak.mb) peak = { stage: s.stage, mb: s.heapExtMB };
  let preGc: number | null = null;
  if (r.mode === 'allocated') {
    for (const line of stdout.split('\n')) {
      const m = GC_LINE.exec(line);
      if (m?.[1]) preGc = Math.max(preGc ?? 0, Number(m[1]));
    }
    // The trace reports heap only; external memory is taken as at the baseline.
    if (preGc !== null && preGc + r.baseExternal / MB > peak.mb) peak = { stage: 'inside a stage (pre-GC heap)', mb: preGc + r.baseExternal / MB };
  }
  const peakRss = Math.max(...r.samples.map((s) => s.rssMB));
  const raw = r.rawBytes / MB;
  return {
    from: r.from,
    mode: r.mode,
    ratio: round((peak.mb - baselineMB) / raw),
    peakMinusBaselineMB: round(peak.mb - baselineMB, 1),
    peakStage: peak.stage,
    baselineMB: round(baselineMB, 1),
    preGcHeapPeakMB: preGc,
    rssRatio: round((peakRss - r.baseRss / MB) / raw),
    samples: r.samples,
  };
}

type Variant = readonly [from: P5Variant['from'], mode: P5Variant['mode']];

/** The client's streamed path first (the headline), then the text-based measures for comparison. */
export const P5_VARIANTS: readonly Variant[] = [['stream', 'allocated'], ['stream', 'retained'], ['text', 'allocated'], ['text', 'retained'], ['gzip', 'retained']];

export async function runP5(rows = 100_000, which: readonly Variant[] = P5_VARIANTS): Promise<P5Result> {
  const payload = buildPayload(rows);
  const file = join(tmpDir('p5'), `payload-${rows}.ndjson.gz`);
  writeFileSync(file, payload.gzip);
  const variants: P5Variant[] = [];
  for (const [from, mode] of which) {
    const { result, child } = await runTsChild<ChildReport>('p5-memory.ts', ['--expose-gc'],
      [`--payload=${file}`, `--raw-bytes=${payload.ndjsonBytes}`, `--from=${from}`, `--mode=${mode}`], 240_000);
    variants.push(summarise(result, child.stdout));
  }
  const headline = variants[0] as P5Variant;
  return {
    rows,
    rawPayloadBytes: payload.ndjsonBytes,
    gzipBytes: payload.gzip.length,
    ratio: headline.ratio,
    measure: 'peak (heapUsed + external) minus baseline, over the NDJSON bytes; the client streamed path (readGzipNdjson over the gzip bytes in 64 KiB pieces, then detect, decide, render); baseline holds only the gzip bytes; peak = max of stage-boundary samples (no forced GC) and V8 pre-GC heap sizes during the stages',
    retainedRatio: (variants[1] as P5Variant).ratio,
    variants,
  };
}
