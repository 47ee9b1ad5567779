/** Stage 2, detect: the rows judged into findings (one per host pair and command). */
import type { XqlRow } from '../../pipeline-types.js';
import type { DetectionResult } from '../../ports.js';
import type { RunContext } from '../context.js';
import { LOGGED_PROBLEMS_LIMIT } from '../limits.js';
import type { Counts } from '../summary.js';

export interface Detected {
  readonly detection: DetectionResult;
  readonly counts: Partial<Counts>;
}

export function detect({ ports }: RunContext, rows: readonly XqlRow[], now: number): Detected {
  const detection = ports.detector(rows, now);
  for (const problem of detection.problems.slice(0, LOGGED_PROBLEMS_LIMIT)) {
    ports.log.warn('row skipped', { eventId: problem.eventId, problem: problem.problem });
  }
  const pairsOverCap = detection.omittedPairs ?? 0;
  if (pairsOverCap > 0) ports.log.warn('pairs left out by the caps (per row and per source), counted', { pairsOverCap });
  return { detection, counts: { findings: detection.findings.length, rowProblems: detection.problems.length, pairsOverCap } };
}
