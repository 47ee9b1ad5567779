/**
 * Grouping, the pure core: which incident each notified pair belongs to, given the open incidents
 * the store holds for the pairs' hosts. Pairs (and stored incidents) that share a host within the
 * gap are one incident; a pair already listed in an incident stays in it (a retried run after a
 * crash); two incidents bridged by a new pair merge into the older one's id.
 */
import { SEVERITIES, type Severity } from '../finding.js';
import { hostKey, newIncidentId } from './hosts.js';
import { INCIDENT_CHAIN_LIMIT, INCIDENT_NAME_MAX, INCIDENT_PAIRS_LIMIT, type Incident, type IncidentPair } from './types.js';

/** What grouping reads of a pair (a TrackedFinding has it). */
export interface PairInput {
  readonly fingerprint: string;
  readonly sourceHost: string;
  readonly targetHost: string;
  readonly severity: Severity;
  readonly riskScore: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

export interface IncidentPlan {
  /** The incident id of each pair, by fingerprint. */
  readonly assignment: ReadonlyMap<string, string>;
  /** The incidents of the pairs after this run, in the order of their first pair. */
  readonly incidents: readonly Incident[];
  /** What to store: those incidents, and the ones merged into them (with `mergedInto`). */
  readonly changed: readonly Incident[];
}

function makeSets(n: number): { find: (i: number) => number; union: (a: number, b: number) => void } {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    // Stryker disable next-line ConditionalExpression: path compression only; find returns the same root without it
    while (parent[i] !== root) [i, parent[i]] = [parent[i] as number, root];
    return root;
  };
  return { find, union: (a, b) => void (parent[find(a)] = find(b)) };
}

// Stryker disable next-line EqualityOperator: on a tie a and b are the same severity
const maxSeverity = (a: Severity, b: Severity): Severity => (SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b);

/** Builds (or extends) one incident from its stored parts and its new pairs, in time order. */
function build(huntId: string, known: readonly Incident[], pairs: readonly PairInput[]): Incident {
  const base = known[0];
  const id = base?.id ?? newIncidentId(huntId, (pairs[0] as PairInput).fingerprint);
  const chain: string[] = [];
  const hosts: string[] = [];
  const at = new Map<string, number>();
  const reach = (reported: string, asSource: boolean): void => {
    const name = reported.slice(0, INCIDENT_NAME_MAX);
    const key = hostKey(reported);
    const i = at.get(key);
    if (i === undefined) {
      // Past the limit the chain stops growing (the pairs still join; the item stays bounded).
      if (hosts.length >= INCIDENT_CHAIN_LIMIT) return;
      at.set(key, hosts.length);
      hosts.push(key);
      chain.push(name);
    } else if (asSource) {
      // The agent's own name reads better than the /node spelling that reached it first.
      chain[i] = name;
    }
  };
  const kept = new Map<string, IncidentPair>();
  let pairCount = 0;
  let severity: Severity = 'low';
  let firstSeen = Infinity;
  let lastSeen = -Infinity;
  // The older incident's story first, then what merged into it, then this run's pairs.
  for (const inc of known) {
    inc.chain.forEach((name, i) => {
      const key = inc.hosts[i] ?? hostKey(name);
      if (!at.has(key) && hosts.length < INCIDENT_CHAIN_LIMIT) {
        at.set(key, hosts.length);
        hosts.push(key);
        chain.push(name);
      }
    });
    for (const p of inc.pairs) kept.set(p.fingerprint, p);
    pairCount += inc.pairCount;
    severity = maxSeverity(severity, inc.severity);
    firstSeen = Math.min(firstSeen, inc.firstSeen);
    lastSeen = Math.max(lastSeen, inc.lastSeen);
  }
  for (const p of pairs) {
    reach(p.sourceHost, true);
    reach(p.targetHost, false);
    if (!kept.has(p.fingerprint)) pairCount += 1;
    else kept.delete(p.fingerprint); // re-added below: the newest verdict, at the end
    kept.set(p.fingerprint, {
      fingerprint: p.fingerprint, source: p.sourceHost.slice(0, INCIDENT_NAME_MAX), target: p.targetHost.slice(0, INCIDENT_NAME_MAX),
      severity: p.severity, riskScore: p.riskScore, firstSeen: p.firstSeen, lastSeen: p.lastSeen,
    });
    severity = maxSeverity(severity, p.severity);
    firstSeen = Math.min(firstSeen, p.firstSeen);
    lastSeen = Math.max(lastSeen, p.lastSeen);
  }
  const all = [...kept.values()];
  return {
    id, huntId, chain, hosts,
    pairs: all.slice(Math.max(0, all.length - INCIDENT_PAIRS_LIMIT)),
    pairCount: Math.max(pairCount, all.length),
    severity, firstSeen, lastSeen,
    threadId: base?.threadId ?? id,
    mergedInto: null,
  };
}

/**
 * Groups `pairs` (the pairs a run notifies) into incidents, joining `known` (the stored incidents
 * of their hosts). Pure: the same input gives the same ids, chains and merges.
 */
export function planIncidents(huntId: string, pairs: readonly PairInput[], known: readonly Incident[], gapMs: number): IncidentPlan {
  const live = [...new Map(known.filter((i) => i.mergedInto === null).map((i) => [i.id, i])).values()];
  // Stable: pairs of one event (several /node targets) keep the detector's order.
  const ordered = [...new Map(pairs.map((p) => [p.fingerprint, p])).values()].sort((a, b) => a.firstSeen - b.firstSeen);
  const k = live.length;
  const sets = makeSets(k + ordered.length);

  // In time order, each pair joins every incident so far (stored, or formed by earlier pairs) that
  // shares one of its hosts and whose time span comes within the gap: the rule a later run applies
  // to stored incidents, so how runs and chunks split the pairs does not change the story.
  const spans = new Map<number, { first: number; last: number }>();
  const byHost = new Map<string, number[]>();
  const touch = (key: string, index: number): void => {
    const roots = new Set((byHost.get(key) ?? []).map(sets.find));
    byHost.set(key, [...roots, index]);
  };
  const merge = (a: number, b: number): void => {
    const sa = spans.get(sets.find(a)) as { first: number; last: number };
    const sb = spans.get(sets.find(b)) as { first: number; last: number };
    sets.union(a, b);
    spans.set(sets.find(a), { first: Math.min(sa.first, sb.first), last: Math.max(sa.last, sb.last) });
  };
  // A pair an incident already lists stays with it, however its times fall (a retried run).
  const holder = new Map<string, number>();
  live.forEach((inc, index) => {
    spans.set(index, { first: inc.firstSeen, last: inc.lastSeen });
    for (const key of new Set(inc.hosts)) touch(key, index);
    for (const p of inc.pairs) holder.set(p.fingerprint, index);
  });
  ordered.forEach((p, i) => {
    const me = k + i;
    spans.set(me, { first: p.firstSeen, last: p.lastSeen });
    const keys = new Set([hostKey(p.sourceHost), hostKey(p.targetHost)]);
    const near = new Set<number>();
    for (const key of keys) {
      for (const index of byHost.get(key) ?? []) {
        const root = sets.find(index);
        const span = spans.get(root) as { first: number; last: number };
        if (p.firstSeen - span.last <= gapMs && span.first - p.lastSeen <= gapMs) near.add(root);
      }
    }
    const held = holder.get(p.fingerprint);
    if (held !== undefined) near.add(sets.find(held));
    for (const root of near) merge(me, root);
    for (const key of keys) touch(key, me);
  });

  const groups = new Map<number, { known: Incident[]; pairs: PairInput[] }>();
  ordered.forEach((p, i) => {
    const root = sets.find(k + i);
    const g = groups.get(root) ?? groups.set(root, { known: [], pairs: [] }).get(root);
    g?.pairs.push(p);
  });
  live.forEach((inc, index) => groups.get(sets.find(index))?.known.push(inc));

  const assignment = new Map<string, string>();
  const incidents: Incident[] = [];
  const changed: Incident[] = [];
  for (const g of groups.values()) {
    // The oldest incident keeps its id; the others now point to it.
    const olderFirst = g.known.sort((a, b) => a.firstSeen - b.firstSeen || a.id.localeCompare(b.id));
    const incident = build(huntId, olderFirst, g.pairs);
    for (const p of g.pairs) assignment.set(p.fingerprint, incident.id);
    incidents.push(incident);
    changed.push(incident, ...olderFirst.slice(1).map((m) => ({ ...m, mergedInto: incident.id })));
  }
  return { assignment, incidents, changed };
}
