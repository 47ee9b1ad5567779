/** createDetector: rows in, findings out — one per (source host, remote target, remote command). */
import type { HuntDefinition } from '../hunts/index.js';
import type { DetectionResult, Detector, RowProblem } from '../ports.js';
import type { XqlRow } from '../pipeline-types.js';
import type { Allowlist } from './allowlist.js';
import { expiredEntryIds } from './allowlist.js';
import { analyzeCommandLine, type WmicAnalysis } from './analyze.js';
import { capPairsPerSource } from './caps.js';
import { type Analysed, type Folds, foldRow, toFinding } from './fold.js';
import { AnalysisMemo } from './memo.js';
import { analysedContent, readRow, type RowReader } from './row-read.js';
import { readEventId, readTime } from './row.js';

export { UNKNOWN_HOST } from './fold.js';

export interface DetectorOptions {
  readonly hunt: HuntDefinition;
  readonly allowlist: Allowlist;
  /** @default analyzeCommandLine (whose results are reused for rows that differ only in event id and time) */
  readonly analyze?: (row: Record<string, unknown>) => WmicAnalysis;
}

/**
 * Builds the pipeline's Detector. It parses every row itself (whatever query variant selected it):
 * rows that are not remote process creation are counted as dismissed, unreadable rows become
 * RowProblems, allowlisted findings are kept and marked `suppressed`.
 */
export function createDetector(options: DetectorOptions): Detector {
  const { hunt, allowlist } = options;
  const analyze = options.analyze ?? analyzeCommandLine;
  // only the built-in analysis is known to depend on nothing but the fields analysisKey covers
  const reuse = options.analyze === undefined;
  return (rows: readonly XqlRow[], now: number): DetectionResult => {
    const reader: RowReader = {
      analyze,
      memo: reuse ? new AnalysisMemo<Analysed>() : null,
      content: (a) => analysedContent(a, hunt, allowlist, now),
    };
    const folds: Folds = new Map();
    const problems: RowProblem[] = [];
    let dismissed = 0;
    let omittedTargets = 0;
    // rows come from JSON (the XSIAM reply) through push: a dense array, no holes to skip
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index] as XqlRow;
      // most rows repeat one seen before: its remembered content, with this row's own id and times
      let entry = reader.memo?.get(row);
      if (entry === undefined) {
        const read = readRow(row, index, reader);
        if ('problem' in read) {
          problems.push(read);
          continue;
        }
        entry = read.entry;
      }
      if (entry === null) dismissed++;
      else {
        foldRow(folds, entry, readEventId(row), readTime(row['_time']) ?? now, readTime(row['_insert_time']));
        omittedTargets += entry.omittedTargets;
      }
    }
    const capped = capPairsPerSource(Array.from(folds.values(), (f) => toFinding(hunt, f)));
    return {
      findings: capped.findings, dismissed, problems, expiredAllowlistEntries: expiredEntryIds(allowlist, now),
      omittedPairs: omittedTargets + capped.omitted,
    };
  };
}
