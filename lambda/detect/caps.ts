/**
 * Caps on what one row and one source host may make, so a hostile line (100,000 /node targets,
 * or the 32,767-character Windows maximum filled with decoys) cannot turn one run into thousands
 * of pairs, confirmation queries and messages. What a cap leaves out is counted on the findings
 * that are kept (`omittedPairs`) and in the run summary (`pairsOverCap`), never dropped silently.
 */
import type { Finding } from '../finding.js';
import { SEVERITIES } from '../finding.js';

/** Remote targets of one row that become pairs, in the order written; at least 100 so an ordinary fan-out is whole. */
export const MAX_TARGETS_PER_ROW = 100;
/** Pairs one source host may make in one detection; the most severe are kept. */
export const MAX_PAIRS_PER_SOURCE = 500;

/** Riskier first, then the earlier; the fingerprint makes the order total. */
function moreSevere(a: Finding, b: Finding): number {
  return SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || b.riskScore - a.riskScore
    || a.firstSeen - b.firstSeen || byFingerprint(a, b);
}

/** The last tie-break, never 0. */
function byFingerprint(a: Finding, b: Finding): number {
  // Stryker disable next-line EqualityOperator: two findings never share a fingerprint, so < and <= order alike
  return a.fingerprint < b.fingerprint ? -1 : 1;
}

/**
 * Keeps at most `max` findings per source host, the most severe; each kept finding of a capped
 * source counts the ones left out in `omittedPairs`. Findings keep their order otherwise.
 */
export function capPairsPerSource(findings: readonly Finding[], max = MAX_PAIRS_PER_SOURCE): { findings: Finding[]; omitted: number } {
  const bySource = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = bySource.get(f.sourceHost);
    if (list === undefined) bySource.set(f.sourceHost, [f]);
    else list.push(f);
  }
  let omitted = 0;
  const left = new Map<Finding, number>();
  for (const list of bySource.values()) {
    // Stryker disable next-line EqualityOperator: at exactly max nothing is left out, and the omitted === 0 return below keeps every finding
    if (list.length <= max) continue;
    const out = list.sort(moreSevere).slice(max);
    omitted += out.length;
    for (const f of out) left.set(f, 0);
    for (const f of list.slice(0, max)) left.set(f, out.length);
  }
  // Stryker disable next-line ConditionalExpression: a shortcut; without it the filter below keeps every finding unchanged
  if (omitted === 0) return { findings: [...findings], omitted };
  const kept = findings.filter((f) => left.get(f) !== 0)
    .map((f) => {
      const more = left.get(f) ?? 0;
      return more === 0 ? f : { ...f, omittedPairs: (f.omittedPairs ?? 0) + more };
    });
  return { findings: kept, omitted };
}
