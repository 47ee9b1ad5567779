/**
 * Stage, join: findings of this hunt that a stored pair of another hunt explains (ports.pairJoin;
 * e.g. a WmiPrvSE.exe child on the target of a wmic pair the WMIC hunt recorded, possibly in an
 * earlier run) are not new alerts, they are that pair's evidence.
 * - explainByPairs (after detect): such a finding is suppressed with the module's reason (kept and
 *   counted, never notified on its own). Explained = a stored pair whose target is the finding's
 *   host, whose remote command is the finding's command (lambda/confirm's match, `***` aware), and
 *   whose confirmation window (first launch − skew to last launch + follow) holds every event.
 * - applyJoins (after mark, live runs only): the evidence is recorded on the pair's incident, and a
 *   pair notified `not-seen`/`unavailable` within the confirmation horizon is now confirmed: it gets
 *   its one follow-up through the follow-up stage, as the pair's hunt, and leaves the awaiting list.
 * Both are idempotent (an overlap re-read adds nothing, a follow-up is claimed at most once).
 */
import { applyConfirmation, DEFAULT_TIMING, pairWindow, parseTarget, sameCommand, targetMatchesAgent, type Confirmation } from '../../confirm/index.js';
import type { Finding, TrackedFinding } from '../../finding.js';
import { DEFAULT_INCIDENT_GAP_MS, evidenceEntry, hostKey, type Incident, type IncidentEvidence } from '../../incidents/index.js';
import type { NotificationContext } from '../../ports.js';
import type { TimeWindow } from '../../pipeline-types.js';
import type { RunContext } from '../context.js';
import type { Counts } from '../summary.js';
import { followUpDue } from './confirm.js';
import { followUp } from './follow-up.js';

/** Stored pairs read per chunk at most (StateStore.readPairs' limit). */
const PAIRS_READ_MAX = 500;

/** A finding, the stored pair that explains it, and the incident that tells the pair. */
export interface Join {
  readonly finding: Finding;
  readonly pair: TrackedFinding;
  readonly incidentId: string;
}

export interface Explained {
  readonly findings: Finding[];
  readonly joins: Join[];
  readonly counts: Partial<Counts>;
}

const hostOf = (f: Finding): string => f.host ?? f.targetHost;
/** A finding carries its host's name, not its addresses: an IP target never matches a child. */
// Stryker disable next-line ArrayDeclaration: no agent address can equal a parsed IP target's text "Stryker was here", so no input tells them apart
const NO_IPS: readonly string[] = [];
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** True when `pair` explains `finding`: same target, same command, every event within the pair's confirmation window. */
export function pairExplains(pair: TrackedFinding, finding: Finding): boolean {
  if (pair.remoteCommand === null) return false;
  const window = pairWindow(pair, DEFAULT_TIMING);
  return finding.firstSeen >= window.from && finding.lastSeen <= window.to
    && targetMatchesAgent(parseTarget(pair.targetHost), { hostname: hostOf(finding), ips: NO_IPS })
    && sameCommand(pair.remoteCommand, finding.remoteCommand ?? finding.commandLine);
}

/** Pair fingerprint → the id of the incident that tells it now (a merged incident's pairs are told by the one it went to). */
function incidentOfPairs(incidents: readonly Incident[], hosts: ReadonlySet<string>): Map<string, string> {
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const teller = (i: Incident): string => {
    let current = i;
    for (let hops = 0; current.mergedInto !== null && hops < 4; hops++) current = byId.get(current.mergedInto) ?? { ...current, id: current.mergedInto, mergedInto: null };
    return current.id;
  };
  const of = new Map<string, string>();
  for (const inc of incidents) for (const p of inc.pairs) if (hosts.has(hostKey(p.target))) of.set(p.fingerprint, teller(inc));
  return of;
}

export async function explainByPairs({ ports }: RunContext, findings: readonly Finding[], now: number): Promise<Explained> {
  const join = ports.pairJoin;
  const state = ports.state;
  if (join === undefined || state.readPairs === undefined || findings.length === 0) return { findings: [...findings], joins: [], counts: {} };
  const pairHuntId = join.pairHunt.id;
  const hosts = new Set(findings.map((f) => hostKey(hostOf(f))));
  const incidentOf = incidentOfPairs(await state.readIncidents(pairHuntId, [...hosts], now), hosts);
  if (incidentOf.size === 0) return { findings: [...findings], joins: [], counts: {} };
  const pairs = (await state.readPairs(pairHuntId, [...incidentOf.keys()].slice(0, PAIRS_READ_MAX), now)).sort((a, b) => a.firstSeen - b.firstSeen);
  const joins: Join[] = [];
  const out = findings.map((f) => {
    const pair = pairs.find((p) => pairExplains(p, f));
    const incidentId = pair === undefined ? undefined : incidentOf.get(pair.fingerprint);
    if (pair === undefined || incidentId === undefined) return f;
    joins.push({ finding: f, pair, incidentId });
    // An allowlist entry keeps its own word; the pair hunt's in-run explanation gives way to this one.
    const keep = f.suppressed !== null && f.suppressed.owner !== pairHuntId;
    return keep ? f : { ...f, suppressed: join.suppression(pair, incidentId, f) };
  });
  return { findings: out, joins, counts: { joinedEvidence: joins.length } };
}

/** The pair confirmed by the finding it explains: the target's event, as the confirm stage would have found it. */
function confirmedBy(j: Join, huntTitle: string): Confirmation {
  const f = j.finding;
  return {
    status: 'confirmed', target: j.pair.targetHost, eventId: f.eventIds[0] ?? null, time: f.firstSeen, process: f.imageName ?? null,
    commandLine: f.commandLine, user: f.user, agentId: f.agentId, agentHostname: hostOf(f),
    detail: `${f.parentImage ?? 'The target'} started ${f.imageName ?? 'the remote command'} on ${hostOf(f)} at ${iso(f.firstSeen)} (event ${f.eventIds[0] ?? 'unknown'}), found by the hunt "${huntTitle}".`,
  };
}

export async function applyJoins(ctx: RunContext, window: TimeWindow, joins: readonly Join[], totals: NotificationContext['totals']): Promise<{ readonly counts: Partial<Counts> }> {
  const { ports, request, flags } = ctx;
  const join = ports.pairJoin;
  if (join === undefined || !flags.publish) return { counts: {} };
  // Stryker disable next-line ConditionalExpression: a shortcut: with no joins nothing is recorded and no follow-up is due, the same { counts: {} }
  if (joins.length === 0) return { counts: {} };
  const state = ports.state;
  const pairHuntId = join.pairHunt.id;
  const now = ports.clock.now();
  const byIncident = new Map<string, IncidentEvidence[]>();
  for (const j of joins) {
    const f = j.finding;
    const entry = evidenceEntry({
      huntId: f.huntId, fingerprint: f.fingerprint, pairFingerprint: j.pair.fingerprint, host: hostOf(f), commandLine: f.commandLine,
      eventIds: f.eventIds, firstSeen: f.firstSeen, lastSeen: f.lastSeen,
    });
    byIncident.set(j.incidentId, [...(byIncident.get(j.incidentId) ?? []), entry]);
  }
  const ttlMs = Math.max(request.settings.dedupeWindowMs, request.settings.incidentGapMs ?? DEFAULT_INCIDENT_GAP_MS);
  if (state.recordIncidentEvidence !== undefined) {
    for (const [incidentId, evidence] of byIncident) await state.recordIncidentEvidence(pairHuntId, incidentId, evidence, now, ttlMs);
  }
  // The pair's one late-evidence follow-up, when its notification said not-seen/unavailable.
  const due = new Map<string, TrackedFinding>();
  for (const j of joins) {
    if (due.has(j.pair.fingerprint) || !followUpDue(j.pair, now, request.settings.confirmHorizonMs)) continue;
    const c = confirmedBy(j, request.hunt.title);
    due.set(j.pair.fingerprint, { ...applyConfirmation(j.pair, c), confirmation: c, followUp: true, incidentId: j.incidentId });
  }
  if (due.size === 0) return { counts: {} };
  const followed = await followUp(ctx, window, [...due.values()], totals, join.pairHunt);
  const remove = [...due.keys()].slice(0, request.settings.stormLimit);
  try {
    await state.updateAwaiting?.(pairHuntId, { add: [], remove }, now, request.settings.confirmHorizonMs);
  } catch (error) {
    // Stryker disable next-line StringLiteral,ObjectLiteral: log wording and fields (the README documents neither); whether it warns is tested
    ports.log.warn('could not update the pairs awaiting late evidence; the run goes on', { error: error instanceof Error ? error.name : 'UnknownError', removed: remove.length });
  }
  return { counts: followed.counts };
}
