/**
 * The domain record every stage shares: a host pair the hunt found, with why it matters.
 * Detection builds it, state dedupes it, notify renders it.
 */
import type { Confirmation, ConfirmationStatus } from './confirm/index.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** True when `severity` is at least `minimum` (low < medium < high < critical). */
export function severityAtLeast(severity: Severity, minimum: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(minimum);
}

/** One named adjustment to the risk score, e.g. `{code: 'payload.powershell', points: 5, detail: '...'}`. */
export interface RiskReason {
  readonly code: string;
  /** Points added to (positive) or taken from (negative) the hunt's base score; 0 for notes. */
  readonly points: number;
  readonly detail: string;
}

/** Why an allowlist entry suppressed a finding. Suppressed findings are kept and counted, never dropped. */
export interface Suppression {
  readonly entryId: string;
  readonly owner: string;
  readonly reason: string;
  /** ISO date (YYYY-MM-DD) after which the entry stops applying. */
  readonly expires: string;
}

/**
 * One host pair seen in one run: `sourceHost` ran wmic that creates `remoteCommand` on `targetHost`.
 * Several events of the same pair and command in one run fold into one finding.
 */
export interface Finding {
  readonly huntId: string;
  /** Hex SHA-256 of (huntId, normalised source host, normalised target host, normalised remote command). */
  readonly fingerprint: string;
  /** `agent_hostname` of the event, as reported. */
  readonly sourceHost: string;
  /** One /node element that is not the local machine, lower-cased, quotes removed (`@path` for file lists). */
  readonly targetHost: string;
  /** First positional argument of `call create`, passwords redacted; null when wmic's line has none. */
  readonly remoteCommand: string | null;
  /** The wmic command line with /password values redacted. */
  readonly commandLine: string;
  /** User that ran wmic (`actor_effective_username`, else the causality actor's user); null if unknown. */
  readonly user: string | null;
  /** `/user:` typed on the line, if any (the credential the remote side accepted). */
  readonly lineUser: string | null;
  /**
   * `action_process_image_name` of the event: what wmic really ran as (a renamed copy, or the
   * cmd.exe/PowerShell record that launched it). Absent in findings stored by older versions.
   */
  readonly imageName?: string | null;
  readonly parentImage: string | null;
  readonly parentCommandLine: string | null;
  /**
   * The script of a PowerShell -EncodedCommand in the remote command (or the launching shell's line),
   * decoded: passwords redacted, controls shown as `[U+XXXX]` (line breaks kept), at most 1,000
   * characters plus a marker. Null or absent when there is none (absent in records stored before it existed).
   */
  readonly decodedScript?: string | null;
  /**
   * The script of the parent's PowerShell -EncodedCommand (a C2 stager's), decoded, redacted and
   * capped as `decodedScript` is. Null or absent when the parent carries none.
   */
  readonly parentDecodedScript?: string | null;
  readonly causalitySha256: string | null;
  readonly agentId: string | null;
  /** Event ids behind this finding in this run (distinct). */
  readonly eventIds: readonly string[];
  /** Earliest and latest event time (epoch ms) behind this finding in this run. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  /**
   * When the earliest-arrived event of this run reached XSIAM (`_insert_time`, epoch ms), and how
   * long after it happened (`_insert_time` − `_time`). Absent when the rows carry no arrival time.
   */
  readonly arrivedAt?: number;
  readonly arrivedLateMs?: number;
  readonly riskScore: number;
  readonly severity: Severity;
  readonly reasons: readonly RiskReason[];
  readonly suppressed: Suppression | null;
  /**
   * The host the evidence is on: the source for the WMIC hunt, the target for the target-side one,
   * `agent_hostname` for a card-only hunt. Absent in findings of older versions: `sourceHost`.
   */
  readonly host?: string;
  /** A card-only hunt's finding: the key fields that made it one (values capped). Absent for pair hunts. */
  readonly keyFields?: Readonly<Record<string, string | null>>;
  /**
   * Pairs of this source the caps left out (targets past the per-row cap, pairs past the
   * per-source cap: lambda/detect/caps.ts); absent when none were.
   */
  readonly omittedPairs?: number;
}

/**
 * A pair whose evidence reached XSIAM at least this long after it happened is told as late
 * ("arrived 30 h after it happened"); ordinary ingestion takes seconds to a few minutes.
 */
export const LATE_ARRIVAL_NOTICE_MS = 15 * 60_000;

/** True when the finding's evidence arrived late enough to say so. */
export function arrivedLate(f: Pick<Finding, 'arrivedLateMs'>): boolean {
  return f.arrivedLateMs !== undefined && f.arrivedLateMs >= LATE_ARRIVAL_NOTICE_MS;
}

/** "20 min", "30 h", "3 d": how late, for one line of text. */
export function lateText(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 120) return `${min} min`;
  const hours = Math.round(ms / 3_600_000);
  return hours < 72 ? `${hours} h` : `${Math.round(ms / 86_400_000)} d`;
}

/** Lifecycle of a stored finding: claimed (PENDING) until SNS accepted its notification (NOTIFIED). */
export const FINDING_STATUSES = ['PENDING', 'NOTIFIED'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** A finding as the state store knows it across runs. */
export interface TrackedFinding extends Finding {
  /** Distinct events seen for this pair since it was first claimed. */
  readonly count: number;
  /** First and last event time across runs (epoch ms). */
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly status: FindingStatus;
  /** The incident the pair was told in (set by the incidents stage before publish). */
  readonly incidentId?: string;
  /** The target-side check of this notification (lambda/confirm/); absent when none ran. */
  readonly confirmation?: Confirmation;
  /** What the store kept of the notification already sent (repeats of NOTIFIED pairs only). */
  readonly sent?: SentNotice;
  /** True on the one late-evidence follow-up message of a pair (same thread, "UPDATE" subject). */
  readonly followUp?: boolean;
  /** The Slack thread the pair was first told in (its incident's), for a follow-up; absent: the pair's own. */
  readonly threadId?: string;
}

/** The stored facts of a pair's notification that decide on a late-evidence follow-up. */
export interface SentNotice {
  readonly notifiedAt: number | null;
  /** `confirmation.status` the notification carried; null when it carried none. */
  readonly confirmation: ConfirmationStatus | null;
  /** Epoch ms the follow-up was claimed; null when none was sent. */
  readonly followUpSent: number | null;
}
