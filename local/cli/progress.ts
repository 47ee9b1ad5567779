/**
 * Backfill progress on stderr: a bar with an ETA on a terminal (redrawn in place), else one line
 * per chunk (`chunk 3/12 …`) that a log file or CI keeps readable.
 */
import type { ChunkProgress } from './backfill-core.js';

export interface ProgressSink {
  readonly error: (text: string) => void;
  readonly isTty: boolean;
  readonly now: () => number;
}

const BAR = 24;

export function progressReporter(sink: ProgressSink): { start(resumed: number, total: number): void; chunk(p: ChunkProgress): void; end(): void } {
  let started = 0;
  let ran = 0;
  let drawn = false;
  return {
    start(done, total) {
      started = sink.now();
      if (done > 0) sink.error(`resuming: ${done}/${total} chunk(s) already done\n`);
    },
    chunk(p) {
      ran += 1;
      const perChunk = (sink.now() - started) / ran;
      const eta = duration(perChunk * (p.total - p.index));
      const s = p.summary;
      if (sink.isTty) {
        const filled = Math.round((BAR * p.index) / p.total);
        sink.error(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${p.index}/${p.total} ${Math.floor((100 * p.index) / p.total)}%  ETA ${eta}   `);
        drawn = true;
        return;
      }
      const shadow = s.wouldNotify > 0 ? `, ${s.wouldNotify} would notify` : '';
      sink.error(`chunk ${p.index}/${p.total} ${iso(p.chunk.from)} → ${iso(p.chunk.to)}: ${s.rows} row(s), ${s.findings} finding(s), ${s.newPairs} new, ${s.notified} notified${shadow} (ETA ${eta})\n`);
    },
    end() {
      if (drawn) sink.error('\n');
    },
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(':00.000Z', 'Z');
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
