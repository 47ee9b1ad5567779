/**
 * Target-side confirmation: did the remote command of a notified host pair actually start on the
 * target? The types the pure core (target, command, range, xql, judge) and the I/O port share.
 */
import type { TimeWindow, XsiamCredentials } from '../xsiam/index.js';

export const CONFIRMATION_STATUSES = ['confirmed', 'not-seen', 'unmanaged', 'unavailable'] as const;
/**
 * - `confirmed`: the target's agent saw WmiPrvSE.exe start the remote command shortly after the launch.
 * - `not-seen`: the target reports to XSIAM, but no such child appeared (the launch failed or was blocked).
 * - `unmanaged`: no XSIAM agent has the target's name or IP: a blind spot.
 * - `unavailable`: the check could not be made (query failed, API refused, target not checkable).
 */
export type ConfirmationStatus = (typeof CONFIRMATION_STATUSES)[number];

/**
 * One outcome per notified pair. A flat record with every field always present (null when it does
 * not apply), so the JSON outputs keep one shape. The evidence fields are filled for `confirmed`.
 */
export interface Confirmation {
  readonly status: ConfirmationStatus;
  /** The /node: value the pair was judged for. */
  readonly target: string;
  /** `event_id` of the target's process start. */
  readonly eventId: string | null;
  /** Its `_time`, epoch ms. */
  readonly time: number | null;
  /** Image name of the started process (`action_process_image_name`). */
  readonly process: string | null;
  readonly commandLine: string | null;
  readonly user: string | null;
  /** The target's agent: the one that reported the event (confirmed) or the one found (not-seen). */
  readonly agentId: string | null;
  readonly agentHostname: string | null;
  /** One sentence for the analyst: what was checked and what came of it. */
  readonly detail: string;
}

/** A notified pair, as far as confirmation needs it (TrackedFinding satisfies it). */
export interface ConfirmPair {
  readonly fingerprint: string;
  /** The /node: element, lower-cased, unquoted. */
  readonly targetHost: string;
  readonly remoteCommand: string | null;
  /** Earliest and latest source event time of the pair (epoch ms). */
  readonly firstSeen: number;
  readonly lastSeen: number;
}

/** A process start on a target host whose parent is WmiPrvSE.exe, normalised from an xdr_data row. */
export interface TargetEvent {
  readonly eventId: string;
  readonly time: number;
  readonly agentId: string | null;
  readonly agentHostname: string | null;
  /** `agent_ip_addresses`, split when it arrives as a comma-joined string. */
  readonly agentIps: readonly string[];
  readonly process: string | null;
  readonly processPath: string | null;
  readonly commandLine: string | null;
  readonly user: string | null;
}

/** An XSIAM endpoint (agent) found for one of the targets. */
export interface ManagedAgent {
  readonly agentId: string;
  readonly hostname: string;
  readonly ips: readonly string[];
  /** `endpoint_status` as the API gives it (CONNECTED, DISCONNECTED, LOST, UNINSTALLED), or null. */
  readonly status: string | null;
}

/** What the confirmation calls cost, for the run summary and metrics. */
export interface ConfirmReport {
  readonly httpCalls: number;
  /** Query units of the XQL queries. */
  readonly queryCost: number;
  /** XQL queries started. */
  readonly queries: number;
  /** Endpoint-API requests sent. */
  readonly endpointRequests: number;
}

/**
 * What the I/O side found. `events` is null when the XQL part failed, `agents` null when the
 * presence part failed; judge() then says `unavailable` where it cannot tell.
 */
export interface TargetEvidence {
  readonly range: TimeWindow;
  readonly events: readonly TargetEvent[] | null;
  /** False when the query hit its row limit: the absence of a child proves nothing then. */
  readonly eventsComplete: boolean;
  readonly agents: readonly ManagedAgent[] | null;
  readonly report: ConfirmReport;
}

export interface TargetEvidenceRequest {
  /** Distinct checkable targets (see target.ts); at least one. */
  readonly targets: readonly string[];
  readonly range: TimeWindow;
}

/**
 * The port: finds WmiPrvSE.exe children and XSIAM agents for the targets. Throws a
 * TargetEvidenceError (carrying whatever part succeeded) when a call fails.
 */
export interface TargetEvidenceSource {
  collect(credentials: XsiamCredentials, request: TargetEvidenceRequest, options: { readonly deadline: number }): Promise<TargetEvidence>;
}
