/** Backfill progress as a user sees it on stderr: a bar redrawn in place on a terminal, one line per chunk otherwise. */
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../lambda/run/index.js';
import { progressReporter } from '../../local/cli/progress.js';

const summary = { rows: 4, findings: 2, newPairs: 1, notified: 1, wouldNotify: 0 } as RunSummary;
const chunk = (i: number) => ({ from: Date.UTC(2026, 10, 1, i), to: Date.UTC(2026, 10, 1, i + 1) });

function drive(isTty: boolean): string {
  let out = '';
  let now = 0;
  const p = progressReporter({ error: (t) => { out += t; }, isTty, now: () => now });
  p.start(1, 4);
  for (const i of [2, 3, 4]) {
    now += 10_000;
    p.chunk({ index: i, total: 4, chunk: chunk(i - 1), summary });
  }
  p.end();
  return out;
}

describe('backfill progress', () => {
  it('on a terminal: one bar redrawn in place with the position and an ETA from the chunks run so far', () => {
    const out = drive(true);
    expect(out).toContain('resuming: 1/4 chunk(s) already done\n');
    const frames = out.split('\r').slice(1);
    expect(frames).toHaveLength(3);
    expect(frames[0]).toMatch(/^\[#{12}\.{12}\] 2\/4 50%\s+ETA 20s/);
    expect(frames[2]).toMatch(/^\[#{24}\] 4\/4 100%\s+ETA 0s/);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('otherwise: one line per chunk, "chunk i/n" first', () => {
    const lines = drive(false).trim().split('\n');
    expect(lines.slice(1)).toEqual([
      'chunk 2/4 2026-11-01T01:00Z → 2026-11-01T02:00Z: 4 row(s), 2 finding(s), 1 new, 1 notified (ETA 20s)',
      'chunk 3/4 2026-11-01T02:00Z → 2026-11-01T03:00Z: 4 row(s), 2 finding(s), 1 new, 1 notified (ETA 10s)',
      'chunk 4/4 2026-11-01T03:00Z → 2026-11-01T04:00Z: 4 row(s), 2 finding(s), 1 new, 1 notified (ETA 0s)',
    ]);
  });
});
