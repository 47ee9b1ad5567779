/**
 * One Confirmation per notified pair, from what the target side showed. Pure.
 *
 * A pair is `confirmed` by the earliest target event that (1) comes from the target's agent
 * (target.ts), (2) started in [first source event − skew, last source event + follow] and
 * (3) runs the remote command (command.ts). Otherwise the target is managed when the endpoints
 * API found its agent or any WmiPrvSE child of it is in the rows (`not-seen`), unmanaged when
 * the API found no agent and no row names it, and `unavailable` when a needed part is missing.
 */
import { sameCommand } from './command.js';
import { pairWindow, DEFAULT_TIMING, type ConfirmTiming } from './range.js';
import { parseTarget, targetMatchesAgent } from './target.js';
import type { Confirmation, ConfirmPair, ManagedAgent, TargetEvent, TargetEvidence } from './types.js';

/** Agent statuses whose silence proves nothing. */
const SILENT = ['DISCONNECTED', 'LOST'];

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function outcome(status: Confirmation['status'], target: string, detail: string, extra: Partial<Confirmation> = {}): Confirmation {
  return {
    status, target, eventId: null, time: null, process: null, commandLine: null, user: null,
    agentId: null, agentHostname: null, detail, ...extra,
  };
}

/** The outcome for one pair; `reason` explains an `unavailable` when the evidence is missing. */
export function judgePair(pair: ConfirmPair, evidence: TargetEvidence | null, reason: string, timing: ConfirmTiming = DEFAULT_TIMING): Confirmation {
  const target = parseTarget(pair.targetHost);
  if (target.kind === 'unchecked') return outcome('unavailable', pair.targetHost, `Not checked: ${target.why}.`);
  if (evidence === null) return outcome('unavailable', pair.targetHost, `Not checked: ${reason}.`);
  const window = pairWindow(pair, timing);
  // Part of the pair's window outside what was queried (not yet ingested, or older than the
  // bounded range): a miss there proves nothing.
  const covered = window.from >= evidence.range.from && window.to <= evidence.range.to;
  const onTarget = (e: TargetEvent): boolean => targetMatchesAgent(target, { hostname: e.agentHostname, ips: e.agentIps });
  const hostRows = evidence.events?.filter(onTarget) ?? [];
  const command = pair.remoteCommand;
  const hits = command === null ? [] : hostRows.filter((e) =>
    e.time >= window.from && e.time <= window.to &&
    (e.commandLine !== null ? sameCommand(command, e.commandLine) : e.process !== null && sameCommand(command, e.process)));
  // The earliest start is the launch; later ones are repeats (rows need not arrive sorted).
  const hit = hits.reduce<TargetEvent | undefined>((best, e) => (best === undefined || e.time < best.time ? e : best), undefined);
  if (hit) {
    return outcome('confirmed', pair.targetHost,
      `WmiPrvSE.exe started ${hit.process ?? 'the remote command'} on ${hit.agentHostname ?? pair.targetHost} at ${iso(hit.time)} (event ${hit.eventId}).`,
      { eventId: hit.eventId, time: hit.time, process: hit.process, commandLine: hit.commandLine, user: hit.user, agentId: hit.agentId, agentHostname: hit.agentHostname });
  }
  const agents: ManagedAgent[] = (evidence.agents ?? []).filter((a) => targetMatchesAgent(target, { hostname: a.hostname, ips: a.ips }));
  // Stryker disable next-line StringLiteral: a null status read as any text other than UNINSTALLED keeps the agent, as '' does
  const installed = agents.filter((a) => (a.status ?? '').toUpperCase() !== 'UNINSTALLED');
  const seenAgent = hostRows[0];
  const agent = installed[0] !== undefined
    ? { agentId: installed[0].agentId, agentHostname: installed[0].hostname }
    : seenAgent !== undefined ? { agentId: seenAgent.agentId, agentHostname: seenAgent.agentHostname } : null;
  const checked = `${iso(Math.max(window.from, evidence.range.from))} – ${iso(Math.min(window.to, evidence.range.to))}`;

  // A DISCONNECTED or LOST agent has probably not uploaded its events yet: its silence proves
  // nothing (Get Endpoint's endpoint_status, https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR-REST-API/Get-Endpoint).
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: with no installed agent installed[0] is undefined anyway; a null status read as any text outside SILENT is not silent, as '' is not
  const silent = installed.length > 0 && installed.every((a) => SILENT.includes((a.status ?? '').toUpperCase())) ? installed[0] : undefined;
  if (silent !== undefined) {
    return outcome('unavailable', pair.targetHost,
      // Stryker disable next-line StringLiteral: silent.status is one of SILENT here, never null
      `The target's XSIAM agent is ${(silent.status ?? '').toUpperCase()}: it has probably not uploaded its events yet, so its silence proves nothing; the pair waits for a follow-up.`, agent ?? undefined);
  }
  if (agent !== null) {
    if (evidence.events === null) return outcome('unavailable', pair.targetHost, `The target has an XSIAM agent, but its process events could not be read: ${reason}.`, agent);
    if (!evidence.eventsComplete) {
      return outcome('unavailable', pair.targetHost, `The target has an XSIAM agent, but the query returned its row limit: the absence of the command proves nothing.`, agent);
    }
    if (!covered) {
      return outcome('unavailable', pair.targetHost, `The target has an XSIAM agent, but only ${checked} could be checked, not the whole time after the launch.`, agent);
    }
    const status = installed[0]?.status ? ` (agent ${installed[0].status})` : '';
    return outcome('not-seen', pair.targetHost,
      `${agent.agentHostname ?? pair.targetHost} reports to XSIAM${status}, but WmiPrvSE.exe started no such command there between ${checked}: the launch failed or was blocked.`, agent);
  }
  if (evidence.agents !== null) {
    return outcome('unmanaged', pair.targetHost, `No XSIAM agent has the name or address ${pair.targetHost}: the target is a blind spot; check it by other means.`);
  }
  return outcome('unavailable', pair.targetHost, `No process start of the command was found, and whether the target has an XSIAM agent could not be checked: ${reason}.`);
}

/** One Confirmation per pair, keyed by fingerprint. `evidence` null: nothing could be collected. */
export function judge(pairs: readonly ConfirmPair[], evidence: TargetEvidence | null, reason = 'the confirmation query did not run', timing: ConfirmTiming = DEFAULT_TIMING): Map<string, Confirmation> {
  return new Map(pairs.map((p) => [p.fingerprint, judgePair(p, evidence, reason, timing)]));
}
