/**
 * The story of an incident message as the renderers tell it: pairs most severe first (not in time
 * order, so twenty early decoys cannot push the real target out of view), and the movement as one
 * line per source naming all of its targets. A source is called a pivot only when one of the
 * pairs really reached it; a fan-out from one host is never drawn as a chain. The JSON's `chain`
 * keeps its own meaning (hosts in the order first reached).
 */
import { SEVERITIES, type TrackedFinding } from '../finding.js';
import { hostKey } from '../incidents/index.js';
import { asText } from './sanitize.js';

const rank = (f: TrackedFinding): number => SEVERITIES.indexOf(f.severity);
const risk = (f: TrackedFinding): number => (typeof f.riskScore === 'number' && Number.isFinite(f.riskScore) ? f.riskScore : -Infinity);
const seen = (f: TrackedFinding): number => (typeof f.firstSeen === 'number' && Number.isFinite(f.firstSeen) ? f.firstSeen : Infinity);
const key = (host: unknown): string => hostKey(asText(host));

/** Most severe first, then highest risk, then earliest (the sort is stable). */
export function bySeverity(fs: readonly TrackedFinding[]): TrackedFinding[] {
  return [...fs].sort((a, b) => rank(b) - rank(a) || risk(b) - risk(a) || seen(a) - seen(b));
}

/** One source and every target it reached in these pairs. */
export interface FanOut {
  /** The source as reported (hostile text). */
  readonly source: string;
  /** Its pairs, most severe first: one per target. */
  readonly pairs: readonly TrackedFinding[];
  /** Sources of these pairs that reached this source (it is a pivot), as reported. */
  readonly reachedFrom: readonly string[];
}

/** The movement of `fs`: one FanOut per source, the source of the most severe pair first. */
export function fanOuts(fs: readonly TrackedFinding[]): FanOut[] {
  const groups = new Map<string, { source: string; pairs: TrackedFinding[] }>();
  for (const f of bySeverity(fs)) {
    const k = key(f.sourceHost);
    const g = groups.get(k);
    if (g) g.pairs.push(f);
    else groups.set(k, { source: asText(f.sourceHost), pairs: [f] });
  }
  const reachers = new Map<string, string[]>();
  for (const f of fs) {
    const target = key(f.targetHost);
    const source = key(f.sourceHost);
    if (target === source || !groups.has(target)) continue;
    const list = reachers.get(target) ?? reachers.set(target, []).get(target);
    const name = asText(f.sourceHost);
    if (list && !list.some((n) => key(n) === source)) list.push(name);
  }
  return [...groups.entries()].map(([k, g]) => ({ source: g.source, pairs: g.pairs, reachedFrom: reachers.get(k) ?? [] }));
}

/** Distinct targets of `fs`, most severe first (as reported; one per host key). */
export function targetsBySeverity(fs: readonly TrackedFinding[]): string[] {
  const out = new Map<string, string>();
  for (const f of bySeverity(fs)) if (!out.has(key(f.targetHost))) out.set(key(f.targetHost), asText(f.targetHost));
  return [...out.values()];
}

/** Distinct sources of `fs`, the source of the most severe pair first. */
export function sourcesBySeverity(fs: readonly TrackedFinding[]): string[] {
  return fanOuts(fs).map((g) => g.source);
}

/**
 * As many items as fit `room` characters once joined by `sep`, then `+N more` for the rest; at
 * least one item is always shown. `show` renders one item.
 */
export function fitList(items: readonly string[], room: number, show: (item: string) => string, sep = ', '): string {
  const shown: string[] = [];
  let used = 0;
  for (let i = 0; i < items.length; i++) {
    const text = show(items[i] as string);
    const left = items.length - i - 1;
    const more = left > 0 ? ` +${left} more`.length : 0;
    const add = (shown.length > 0 ? sep.length : 0) + text.length;
    if (shown.length > 0 && used + add + more > room) break;
    shown.push(text);
    used += add;
  }
  const rest = items.length - shown.length;
  return `${shown.join(sep)}${rest > 0 ? ` +${rest} more` : ''}`;
}

/** `1 new pair`, `3 new pairs`. */
export const pairsWord = (n: number): string => `${n} new pair${n === 1 ? '' : 's'}`;
