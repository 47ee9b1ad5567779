/**
 * The incident rules at their edges (issue 21's survivors): a merged incident stays merged, a pair
 * joins an incident only within the gap on either side of its span, and the 60-minute gap is
 * inclusive to the millisecond.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_GAP_MS, planIncidents, type Incident, type PairInput } from '../../lambda/incidents/index.js';

const HUNT = 'HuntQuery-Windows-WMIC-RemoteExec';
const MIN = 60_000;
const GAP = DEFAULT_INCIDENT_GAP_MS;
/** The default gap as the README states it, written out so a changed default fails the edges below. */
const HOUR = 60 * MIN;
const T0 = Date.UTC(2031, 0, 15, 12);

let n = 0;
function pair(source: string, target: string, at: number): PairInput {
  n += 1;
  return { fingerprint: `fp-${n}`, sourceHost: source, targetHost: target, severity: 'high', riskScore: 80, firstSeen: at, lastSeen: at };
}

/** A stored incident WKS-77 → FS01 spanning T0 to T0 + 10 min, as a run would have written it. */
function stored(): Incident {
  const plan = planIncidents(HUNT, [pair('WKS-77', 'fs01', T0), pair('WKS-77', 'fs02', T0 + 10 * MIN)], [], GAP);
  return plan.incidents[0] as Incident;
}

describe('incident edges', () => {
  it('never reads a merged incident as live again: a new pair joins the incident it was merged into', () => {
    const live = stored();
    const merged: Incident = { ...stored(), id: 'INC-MERGED0000', threadId: 'INC-MERGED0000', mergedInto: live.id };
    const p = pair('FS01', 'dc01', T0 + 20 * MIN);
    const plan = planIncidents(HUNT, [p], [merged, live], GAP);
    expect(plan.assignment.get(p.fingerprint)).toBe(live.id);
    expect(plan.incidents.map((i) => i.id)).toEqual([live.id]);
    // The merged item is not rewritten: it keeps pointing to the incident that tells the story.
    expect(plan.changed.find((i) => i.id === merged.id)).toBeUndefined();
    expect(plan.incidents[0]?.pairCount).toBe(live.pairCount + 1);
  });

  it('keeps out a pair older than the incident by more than the gap', () => {
    const inc = stored();
    const old = pair('WKS-77', 'fs03', T0 - GAP - 1);
    const plan = planIncidents(HUNT, [old], [inc], GAP);
    expect(plan.assignment.get(old.fingerprint)).not.toBe(inc.id);
  });

  it.each([
    ['before the incident, exactly the gap', T0 - HOUR, true],
    ['before the incident, one millisecond more', T0 - HOUR - 1, false],
    ['after the incident, exactly the gap', T0 + 10 * MIN + HOUR, true],
    ['after the incident, one millisecond more', T0 + 10 * MIN + HOUR + 1, false],
  ])('at the 60-minute gap: a pair %s joins: %s', (_label, at, joins) => {
    const inc = stored();
    const p = pair('FS01', 'dc01', at);
    const plan = planIncidents(HUNT, [p], [inc], GAP);
    expect(plan.assignment.get(p.fingerprint) === inc.id).toBe(joins);
  });
});
