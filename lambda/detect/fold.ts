/**
 * Folding analysed rows into findings: one per (source host, remote target, remote command),
 * keeping the riskiest analysis, every event id, the first and last time, and the allowlist
 * verdict only while every folded row is allowlisted.
 */
import type { Finding, Suppression } from '../finding.js';
import type { HuntDefinition } from '../hunts/index.js';
import type { WmicAnalysis } from './analyze.js';
import type { RiskAssessment } from './risk.js';
import { capText } from './text.js';
import { withTargetCheck } from './target-name.js';

/** Source host used when a row has no agent_hostname (the finding is still kept). */
export const UNKNOWN_HOST = '(unknown host)';

/** One remote target of an analysis, with what depends only on the analysis and the target. */
export interface TargetSlot {
  readonly target: string;
  readonly fingerprint: string;
  readonly suppression: Suppression | null;
}

/** What a row's content (all but event id and time) contributes; null for a dismissed row. */
export type Analysed = {
  readonly a: WmicAnalysis;
  readonly risk: RiskAssessment;
  readonly slots: readonly TargetSlot[];
  /** Distinct remote targets past the per-row cap (no slot, counted). */
  readonly omittedTargets: number;
} | null;

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
  /** The earliest arrival (`_insert_time`) among the folded rows and how late that row was; null: none known. */
  arrival: { at: number; lateMs: number } | null;
  /** The most targets any folded row had past the per-row cap. */
  omittedTargets: number;
}

/** The folds of one detection, by fingerprint. */
export type Folds = Map<string, Fold>;

/** Names, users and ids are short in real telemetry; a hostile row must not make a record too big to store. */
const NAME_MAX = 512;
const short = (text: string | null): string | null => (text === null ? null : capText(text, NAME_MAX));

/** Folds one remote-exec row (its content, event id and time) into a finding per remote target. */
export function foldRow(folds: Folds, entry: NonNullable<Analysed>, eventId: string | null, time: number, arrived: number | null = null): void {
  const id = short(eventId);
  for (const slot of entry.slots) {
    const fold = folds.get(slot.fingerprint);
    if (fold === undefined) {
      const eventIds = new Set<string>();
      if (id !== null) eventIds.add(id);
      folds.set(slot.fingerprint, {
        a: entry.a, risk: entry.risk, target: slot.target, fingerprint: slot.fingerprint,
        firstSeen: time, lastSeen: time, eventIds, suppressed: slot.suppression, arrival: arrivalOf(arrived, time),
        omittedTargets: entry.omittedTargets,
      });
      continue;
    }
    // built only when it is the earliest yet: most rows of a fold arrive after its first
    if (arrived !== null && (fold.arrival === null || arrived < fold.arrival.at)) fold.arrival = arrivalOf(arrived, time);
    fold.omittedTargets = Math.max(fold.omittedTargets, entry.omittedTargets);
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

function arrivalOf(arrived: number | null, time: number): Fold['arrival'] {
  return arrived === null ? null : { at: arrived, lateMs: Math.max(0, arrived - time) };
}

/** The finding of one fold, every attacker-controlled name capped. */
export function toFinding(hunt: HuntDefinition, f: Fold): Finding {
  const { a } = f;
  const risk = withTargetCheck(f.risk, f.target);
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
    parentDecodedScript: a.parentDecodedScript,
    causalitySha256: short(a.causalitySha256),
    agentId: short(a.agentId),
    eventIds: [...f.eventIds],
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    riskScore: risk.riskScore,
    severity: risk.severity,
    reasons: risk.reasons,
    suppressed: f.suppressed,
    ...(f.arrival === null ? {} : { arrivedAt: f.arrival.at, arrivedLateMs: f.arrival.lateMs }),
    ...(f.omittedTargets > 0 ? { omittedPairs: f.omittedTargets } : {}),
  };
}
