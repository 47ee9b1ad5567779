/**
 * Reading one row for the detector: its analysis (or the remembered result for a row with the
 * same content), what that content contributes (risk, fingerprints, allowlist verdicts), or
 * the problem that made it unreadable.
 */
import type { HuntDefinition } from '../hunts/index.js';
import type { RowProblem } from '../ports.js';
import type { XqlRow } from '../pipeline-types.js';
import { matchAllowlist, type Allowlist } from './allowlist.js';
import type { WmicAnalysis } from './analyze.js';
import { RowShapeError } from './errors.js';
import { findingFingerprint } from './fingerprint.js';
import { type Analysed, type TargetSlot, UNKNOWN_HOST } from './fold.js';
import type { AnalysisMemo } from './memo.js';
import { MAX_TARGETS_PER_ROW } from './caps.js';
import { assessRisk } from './risk.js';

/** A readable row: its content's contribution (null when dismissed); the detector reads its id and times. */
export interface RowRead {
  readonly entry: Analysed;
}

/** How one detection reads rows. */
export interface RowReader {
  readonly analyze: (row: Record<string, unknown>) => WmicAnalysis;
  /** Results by row content; null when `analyze` may depend on more than the memo's fields. */
  readonly memo: AnalysisMemo<Analysed> | null;
  /** What an analysis contributes (see {@link analysedContent}). */
  readonly content: (a: WmicAnalysis) => Analysed;
}

/** Risk, fingerprints and allowlist verdicts: once per distinct row content, not once per row. */
export function analysedContent(a: WmicAnalysis, hunt: HuntDefinition, allowlist: Allowlist, now: number): Analysed {
  if (!a.remoteExec) return null;
  const source = a.sourceHost ?? UNKNOWN_HOST;
  const slots: TargetSlot[] = [];
  const targets = new Set(a.remoteTargets);
  for (const target of targets) {
    // The targets as written: the first ones of a huge /node list become pairs, the rest a count.
    if (slots.length === MAX_TARGETS_PER_ROW) break;
    const suppression = matchAllowlist(allowlist, {
      sourceHost: a.sourceHost, targetHost: target, user: a.user, parentImage: a.parentImage, parentImagePath: a.parentImagePath,
      causalitySha256: a.causalitySha256, remoteCommand: a.remoteCommand,
    }, now);
    slots.push({ target, fingerprint: findingFingerprint(hunt.id, source, target, a.remoteCommand), suppression });
  }
  return { a, risk: assessRisk(a, hunt.riskScore), slots, omittedTargets: targets.size - slots.length };
}

/**
 * Reads row `index`, a row the memo does not hold (the detector folds remembered rows itself);
 * an unreadable row becomes a RowProblem instead of stopping the others.
 */
export function readRow(row: XqlRow, index: number, reader: RowReader): RowRead | RowProblem {
  let a: WmicAnalysis;
  try {
    a = reader.analyze(row);
  } catch (err) {
    return problemOf(err, index);
  }
  const entry = reader.content(a);
  reader.memo?.set(row, entry);
  return { entry };
}

function problemOf(err: unknown, index: number): RowProblem {
  if (err instanceof RowShapeError) return { eventId: err.eventId, problem: err.message };
  // an unexpected failure is a bug; its message may quote the line, so only its name is kept
  return { eventId: null, problem: `row ${index}: analysis failed (${err instanceof Error ? err.name : 'unknown error'})` };
}
