/**
 * Which message each pair of an incident goes in (lambda/notify/incident-groups.ts), as the analyst
 * and the run's failure records see it: an incident of a multiple of INCIDENT_MESSAGE_PAIRS pairs
 * is told in exactly that many messages (and counts that many against the storm limit), and a pair
 * that cannot be rendered is reported failed under its fingerprint, never lost and never sinking
 * the others.
 */
import { describe, expect, it } from 'vitest';
import type { TrackedFinding } from '../../lambda/finding.js';
import type { IncidentView } from '../../lambda/incidents/index.js';
import { INCIDENT_MESSAGE_PAIRS, composeIncidentGroup, messageGroups } from '../../lambda/notify/incident-groups.js';
import { failureOf, planMessages } from '../../lambda/notify/publish-plan.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';

const INC: IncidentView = { id: 'INC-0A1B2C3D4E', chain: ['WKS-77', 'FS01'], severity: 'critical', threadId: 'INC-0A1B2C3D4E', pairCount: 1 };
const ctx = makeContext({ incidents: [INC] });

/** `n` pairs of the incident, one per target (a fan-out from one source). */
const pairs = (n: number): TrackedFinding[] => Array.from({ length: n }, (_, i) => makeFinding({ targetHost: `srv-${i}`, incidentId: INC.id }));

/** A pair of the incident whose target host cannot be read (a malformed record). */
function unreadable(): TrackedFinding {
  const f = { ...makeFinding({ incidentId: INC.id }) };
  Object.defineProperty(f, 'targetHost', { get: () => { throw new Error('boom'); }, enumerable: true });
  return f;
}

const fail = (fingerprint: string, error: unknown) => failureOf(fingerprint, 'RenderError', (error as Error).message);

describe('an incident past INCIDENT_MESSAGE_PAIRS pairs', () => {
  it('is split into full messages and no empty one: 100 pairs one, 101 two, 200 two', () => {
    expect(INCIDENT_MESSAGE_PAIRS).toBe(100);
    expect(messageGroups(pairs(100), ctx).map((g) => g.findings.length)).toEqual([100]);
    expect(messageGroups(pairs(101), ctx).map((g) => g.findings.length)).toEqual([100, 1]);
    expect(messageGroups(pairs(200), ctx).map((g) => g.findings.length)).toEqual([100, 100]);
  });

  it('tells 200 pairs in two incident messages under a storm limit of two, not as a storm digest', () => {
    const plan = planMessages(pairs(200), ctx, 2);
    expect(plan.digest).toBe(false);
    expect(plan.failed).toEqual([]);
    expect(plan.messages.map((m) => m.fingerprints.length)).toEqual([100, 100]);
  });
});

describe('a pair of an incident that cannot be rendered', () => {
  it('is reported failed when it is the only new pair of its incident', () => {
    const bad = unreadable();
    const plan = planMessages([bad], ctx, 25);
    expect(plan.messages).toEqual([]);
    expect(plan.failed).toEqual([{ fingerprint: bad.fingerprint, code: 'RenderError', message: 'incident INC-0A1B2C3D4E could not be rendered: boom' }]);
  });

  it('fails a null pair alone, with no fingerprint, and still tells the others', () => {
    const good = pairs(2);
    const told = composeIncidentGroup(INC, [good[0]!, null as unknown as TrackedFinding, good[1]!], ctx, fail);
    expect(told.messages.map((m) => m.fingerprints)).toEqual([good.map((f) => f.fingerprint)]);
    expect(told.failed).toEqual([{ fingerprint: '', code: 'RenderError', message: 'incident INC-0A1B2C3D4E could not be rendered' }]);
  });
});
