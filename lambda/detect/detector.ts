/** createDetector: rows in, findings out — one per (source host, remote target, remote command). */
import type { Finding, Suppression } from '../finding.js';
import type { HuntDefinition } from '../hunts/index.js';
import type { DetectionResult, Detector, RowProblem } from '../ports.js';
import type { XqlRow } from '../xsiam/types.js';
import type { Allowlist } from './allowlist.js';
import { expiredEntryIds, matchAllowlist } from './allowlist.js';
import { analyzeCommandLine, type WmicAnalysis } from './analyze.js';
import { RowShapeError } from './errors.js';
import { findingFingerprint } from './fingerprint.js';
import { assessRisk } from './risk.js';
import { capText } from './text.js';

export interface DetectorOptions {
  readonly hunt: HuntDefinition;
  readonly allowlist: Allowlist;
  /** @default analyzeCommandLine */
  readonly analyze?: (row: Record<string, unknown>) => WmicAnalysis;
}

/** Source host used when a row has no agent_hostname (the finding is still kept). */
export const UNKNOWN_HOST = '(unknown host)';

interface Fold {
  finding: Finding;
  eventIds: Set<string>;
  /** Null as soon as one of the folded rows is not allowlisted. */
  suppressed: Suppression | null;
}

/** Names, users and ids are short in real telemetry; a hostile row must not make a record too big to store. */
const NAME_MAX = 512;
const short = (text: string | null): string | null => (text === null ? null : capText(text, NAME_MAX));

function newFinding(hunt: HuntDefinition, a: WmicAnalysis, target: string, fingerprint: string, time: number, suppressed: Suppression | null): Finding {
  const risk = assessRisk(a, hunt.riskScore);
  return {
    huntId: hunt.id,
    fingerprint,
    sourceHost: short(a.sourceHost) ?? UNKNOWN_HOST,
    targetHost: capText(target, NAME_MAX),
    remoteCommand: a.remoteCommand === null ? null : capText(a.remoteCommand),
    commandLine: a.commandLine,
    user: short(a.user),
    lineUser: short(a.lineUser),
    parentImage: short(a.parentImage),
    parentCommandLine: a.parentCommandLine,
    causalitySha256: short(a.causalitySha256),
    agentId: short(a.agentId),
    eventIds: a.eventId === null ? [] : [capText(a.eventId, NAME_MAX)],
    firstSeen: time,
    lastSeen: time,
    riskScore: risk.riskScore,
    severity: risk.severity,
    reasons: risk.reasons,
    suppressed,
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
  return (rows: readonly XqlRow[], now: number): DetectionResult => {
    const folds = new Map<string, Fold>();
    const problems: RowProblem[] = [];
    let dismissed = 0;
    rows.forEach((row, index) => {
      let a: WmicAnalysis;
      try {
        a = analyze(row);
      } catch (err) {
        if (err instanceof RowShapeError) problems.push({ eventId: err.eventId, problem: err.message });
        // an unexpected failure is a bug; its message may quote the line, so only its name is kept
        else problems.push({ eventId: null, problem: `row ${index}: analysis failed (${err instanceof Error ? err.name : 'unknown error'})` });
        return;
      }
      if (!a.remoteExec) {
        dismissed++;
        return;
      }
      const time = a.time ?? now;
      const source = a.sourceHost ?? UNKNOWN_HOST;
      for (const target of new Set(a.remoteTargets)) {
        const fingerprint = findingFingerprint(hunt.id, source, target, a.remoteCommand);
        const suppression = matchAllowlist(allowlist, {
          sourceHost: a.sourceHost, targetHost: target, user: a.user, parentImage: a.parentImage, parentImagePath: a.parentImagePath,
          causalitySha256: a.causalitySha256, remoteCommand: a.remoteCommand,
        }, now);
        const fold = folds.get(fingerprint);
        if (fold === undefined) {
          const finding = newFinding(hunt, a, target, fingerprint, time, suppression);
          folds.set(fingerprint, { finding, eventIds: new Set(finding.eventIds), suppressed: suppression });
          continue;
        }
        if (a.eventId !== null) fold.eventIds.add(capText(a.eventId, NAME_MAX));
        if (suppression === null) fold.suppressed = null;
        const candidate = newFinding(hunt, a, target, fingerprint, time, null);
        const keep = candidate.riskScore > fold.finding.riskScore ? candidate : fold.finding;
        fold.finding = {
          ...keep,
          firstSeen: Math.min(fold.finding.firstSeen, time),
          lastSeen: Math.max(fold.finding.lastSeen, time),
        };
      }
    });
    const findings = [...folds.values()].map((f) => ({ ...f.finding, eventIds: [...f.eventIds], suppressed: f.suppressed }));
    return { findings, dismissed, problems, expiredAllowlistEntries: expiredEntryIds(allowlist, now) };
  };
}
