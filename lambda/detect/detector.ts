/** createDetector: rows in, findings out — one per (source host, remote target, remote command). */
import type { Finding, Suppression } from '../finding.js';
import type { HuntDefinition } from '../hunts/index.js';
import type { DetectionResult, Detector, RowProblem } from '../ports.js';
import type { XqlRow } from '../pipeline-types.js';
import type { Allowlist } from './allowlist.js';
import { expiredEntryIds, matchAllowlist } from './allowlist.js';
import { analyzeCommandLine, type WmicAnalysis } from './analyze.js';
import { RowShapeError } from './errors.js';
import { findingFingerprint } from './fingerprint.js';
import { assessRisk, type RiskAssessment } from './risk.js';
import { AnalysisMemo } from './memo.js';
import { readEventId, readTime } from './row.js';
import { capText } from './text.js';

export interface DetectorOptions {
  readonly hunt: HuntDefinition;
  readonly allowlist: Allowlist;
  /** @default analyzeCommandLine (whose results are reused for rows that differ only in event id and time) */
  readonly analyze?: (row: Record<string, unknown>) => WmicAnalysis;
}

/** Source host used when a row has no agent_hostname (the finding is still kept). */
export const UNKNOWN_HOST = '(unknown host)';

/** Everything folded into one finding so far. */
interface Fold {
  /** The analysis with the highest risk among the folded rows (the earliest on a tie). */
  a: WmicAnalysis;
  risk: RiskAssessment;
  readonly target: string;
  readonly fingerprint: string;
  firstSeen: number;
  lastSeen: number;
  readonly eventIds: Set<string>;
  /** Null as soon as one of the folded rows is not allowlisted. */
  suppressed: Suppression | null;
}

/** One remote target of an analysis, with what depends only on the analysis and the target. */
interface TargetSlot {
  readonly target: string;
  readonly fingerprint: string;
  readonly suppression: Suppression | null;
}

/** What a row's content (all but event id and time) contributes; null for a dismissed row. */
type Analysed = { readonly a: WmicAnalysis; readonly risk: RiskAssessment; readonly slots: readonly TargetSlot[] } | null;

/** Names, users and ids are short in real telemetry; a hostile row must not make a record too big to store. */
const NAME_MAX = 512;
const short = (text: string | null): string | null => (text === null ? null : capText(text, NAME_MAX));

function toFinding(hunt: HuntDefinition, f: Fold): Finding {
  const { a, risk } = f;
  return {
    huntId: hunt.id,
    fingerprint: f.fingerprint,
    sourceHost: short(a.sourceHost) ?? UNKNOWN_HOST,
    targetHost: capText(f.target, NAME_MAX),
    remoteCommand: a.remoteCommand === null ? null : capText(a.remoteCommand),
    commandLine: a.commandLine,
    user: short(a.user),
    lineUser: short(a.lineUser),
    imageName: short(a.imageName),
    parentImage: short(a.parentImage),
    parentCommandLine: a.parentCommandLine,
    decodedScript: a.decodedScript,
    causalitySha256: short(a.causalitySha256),
    agentId: short(a.agentId),
    eventIds: [...f.eventIds],
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    riskScore: risk.riskScore,
    severity: risk.severity,
    reasons: risk.reasons,
    suppressed: f.suppressed,
  };
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
    const folds = new Map<string, Fold>();
    const memo = new AnalysisMemo<Analysed>();
    const problems: RowProblem[] = [];
    let dismissed = 0;

    /** Risk, fingerprints and allowlist verdicts: once per distinct row content, not once per row. */
    function analysed(a: WmicAnalysis): Analysed {
      if (!a.remoteExec) return null;
      const source = a.sourceHost ?? UNKNOWN_HOST;
      const slots: TargetSlot[] = [];
      for (const target of new Set(a.remoteTargets)) {
        const suppression = matchAllowlist(allowlist, {
          sourceHost: a.sourceHost, targetHost: target, user: a.user, parentImage: a.parentImage, parentImagePath: a.parentImagePath,
          causalitySha256: a.causalitySha256, remoteCommand: a.remoteCommand,
        }, now);
        slots.push({ target, fingerprint: findingFingerprint(hunt.id, source, target, a.remoteCommand), suppression });
      }
      return { a, risk: assessRisk(a, hunt.riskScore), slots };
    }

    for (let index = 0; index < rows.length; index++) {
      const row = rows[index] as XqlRow;
      if (row === undefined && !(index in rows)) continue; // a hole, as forEach would skip it
      let entry = reuse ? memo.get(row) : undefined;
      let eventId: string | null;
      let rowTime: number | null;
      if (entry === undefined) {
        let a: WmicAnalysis;
        try {
          a = analyze(row);
        } catch (err) {
          if (err instanceof RowShapeError) problems.push({ eventId: err.eventId, problem: err.message });
          // an unexpected failure is a bug; its message may quote the line, so only its name is kept
          else problems.push({ eventId: null, problem: `row ${index}: analysis failed (${err instanceof Error ? err.name : 'unknown error'})` });
          continue;
        }
        entry = analysed(a);
        eventId = a.eventId;
        rowTime = a.time;
        if (reuse) memo.set(row, entry);
      } else {
        eventId = readEventId(row);
        rowTime = readTime(row['_time']);
      }
      if (entry === null) {
        dismissed++;
        continue;
      }
      const time = rowTime ?? now;
      const id = eventId === null ? null : capText(eventId, NAME_MAX);
      for (const slot of entry.slots) {
        const fold = folds.get(slot.fingerprint);
        if (fold === undefined) {
          folds.set(slot.fingerprint, {
            a: entry.a, risk: entry.risk, target: slot.target, fingerprint: slot.fingerprint,
            firstSeen: time, lastSeen: time, eventIds: new Set(id === null ? [] : [id]), suppressed: slot.suppression,
          });
          continue;
        }
        if (id !== null) fold.eventIds.add(id);
        if (slot.suppression === null) fold.suppressed = null;
        if (entry.risk.riskScore > fold.risk.riskScore) {
          fold.a = entry.a;
          fold.risk = entry.risk;
        }
        fold.firstSeen = Math.min(fold.firstSeen, time);
        fold.lastSeen = Math.max(fold.lastSeen, time);
      }
    }
    const findings = Array.from(folds.values(), (f) => toFinding(hunt, f));
    return { findings, dismissed, problems, expiredAllowlistEntries: expiredEntryIds(allowlist, now) };
  };
}
