/**
 * P6 (child process, run with --expose-gc): the analysis of one hostile command line takes time
 * linear in its length. Each shape of test/detect/hostile-lines.ts is analysed at 10 KB and at
 * 1 MB; the ratio of the two medians is about 100 when the work is linear and about 10,000 when it
 * is quadratic. Linear shapes measure 50–650 on a busy 2-core machine (a 1 MB line and its
 * garbage no longer fit the caches, and GC grows with them), so the goal is a tenth of quadratic:
 * ≤ 1,000 for the worst shape. The line is built before timing; only the analysis is timed.
 * A quadratic shape would take minutes at 1 MB, so the parent kills the child at its time limit
 * and reports the shape it was on (each shape is announced on stderr before it starts).
 */
import { HOSTILE_SHAPES } from '../test/detect/hostile-lines.js';
import { emitResult, gc, median, round } from './support.js';

const P6_SMALL = 10_000;
const P6_LARGE = 1_000_000;

export interface P6Shape {
  name: string;
  smallMs: number;
  largeMs: number;
  ratio: number;
}

function timeOf(analyse: () => unknown, reps: number, warmup: number): number {
  for (let i = 0; i < warmup; i++) analyse();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    gc();
    const t0 = performance.now();
    analyse();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

const shapes: P6Shape[] = [];
for (const shape of HOSTILE_SHAPES) {
  process.stderr.write(`P6 shape: ${shape.name}\n`);
  const small = shape.line(P6_SMALL);
  const large = shape.line(P6_LARGE);
  const smallMs = timeOf(() => shape.analyse(small), 31, 10);
  const largeMs = timeOf(() => shape.analyse(large), 5, 1);
  shapes.push({ name: shape.name, smallMs: round(smallMs, 4), largeMs: round(largeMs, 3), ratio: round(largeMs / smallMs, 1) });
}
emitResult(shapes);
