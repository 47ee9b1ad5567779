/**
 * An incident: the host pairs of one chain of lateral movement, told as one story. Pairs that
 * share a host within the gap belong together; a pivot (a target that later acts as a source)
 * extends the chain. An incident keeps its id across runs, so a pair found later joins it.
 */
import type { Severity } from '../finding.js';

/** Pairs an incident item keeps (oldest dropped first); the chain and `pairCount` stay complete. */
export const INCIDENT_PAIRS_LIMIT = 200;

/**
 * Hosts an incident item keeps in its chain, and characters of each name it keeps: with the pairs
 * this holds the item well under DynamoDB's 400 KB item limit whatever the endpoints report.
 */
export const INCIDENT_CHAIN_LIMIT = 500;
export const INCIDENT_NAME_MAX = 128;

/** Default gap: pairs sharing a host more than this apart are separate incidents. */
export const DEFAULT_INCIDENT_GAP_MS = 60 * 60_000;

/** One host pair of an incident, as the incident item keeps it. */
export interface IncidentPair {
  readonly fingerprint: string;
  readonly source: string;
  readonly target: string;
  readonly severity: Severity;
  readonly riskScore: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

/** The incident item (`INC#<huntId>#<id>`). */
export interface Incident {
  readonly id: string;
  readonly huntId: string;
  /** Hosts in the order of first reach, as displayed (the agent's own name once it acted as a source). */
  readonly chain: readonly string[];
  /** The normalised host key of each chain entry (same order): what pairs are matched on. */
  readonly hosts: readonly string[];
  /** The newest INCIDENT_PAIRS_LIMIT pairs, oldest first. */
  readonly pairs: readonly IncidentPair[];
  /** Every pair the incident ever held (pairs beyond the limit included). */
  readonly pairCount: number;
  /** Highest severity of its pairs. */
  readonly severity: Severity;
  /** Earliest and latest event time of its pairs (epoch ms). */
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** The Slack thread every message of the incident goes to. */
  readonly threadId: string;
  /** Set when a pair bridged this incident into an older one: the id that now tells the story. */
  readonly mergedInto: string | null;
  /**
   * Findings of other hunts that are evidence of its pairs (the target-side event a pair's launch
   * started), kept in their own item (`INCEV#…`) and attached on read; absent when there are none.
   */
  readonly evidence?: readonly IncidentEvidence[];
}

/** Evidence entries an incident keeps (the newest); each is a few hundred bytes. */
export const INCIDENT_EVIDENCE_LIMIT = 50;

/** A finding of another hunt that a pair of the incident explains: a reference, not a copy. */
export interface IncidentEvidence {
  /** The hunt that found it (e.g. the target-side hunt). */
  readonly huntId: string;
  /** Its finding's fingerprint in that hunt. */
  readonly fingerprint: string;
  /** The pair of this incident that explains it. */
  readonly pairFingerprint: string;
  /** The host the evidence is on (as reported, capped). */
  readonly host: string;
  /** Its command line as notifications show it (redacted by the detector), capped. */
  readonly commandLine: string;
  /** The newest event ids behind it (at most 10). */
  readonly eventIds: readonly string[];
  readonly firstSeen: number;
  readonly lastSeen: number;
}

/** What a notification needs to know about the incident of its pairs. */
export interface IncidentView {
  readonly id: string;
  readonly chain: readonly string[];
  readonly severity: Severity;
  readonly threadId: string;
  readonly pairCount: number;
}

/** What a run reports about an incident (`--output json`). */
export interface IncidentSummary {
  readonly id: string;
  readonly chain: readonly string[];
  readonly pairs: readonly { readonly source: string; readonly target: string }[];
  readonly severity: Severity;
  readonly firstSeen: number;
  readonly lastSeen: number;
}
