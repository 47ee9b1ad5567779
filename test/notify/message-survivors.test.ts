/**
 * The three composers of lambda/notify/message.ts (exported by lambda/notify/index.ts) at their
 * edges: a message of exactly the byte budget goes out at full detail, one byte less is shrunk; a
 * message that cannot fit, and a record that cannot be rendered, fail with a RenderError whose
 * message is what the operator reads in the run's failure records (PublishOutcome.failed).
 */
import { describe, expect, it } from 'vitest';
import type { TrackedFinding } from '../../lambda/finding.js';
import type { IncidentView } from '../../lambda/incidents/index.js';
import { RenderError } from '../../lambda/notify/errors.js';
import { composeDigest, composeFinding, composeIncident } from '../../lambda/notify/message.js';
import { planMessages } from '../../lambda/notify/publish-plan.js';
import type { NotificationContext } from '../../lambda/ports.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';

const INC: IncidentView = { id: 'INC-0A1B2C3D4E', chain: ['WKS-77', 'FS01'], severity: 'critical', threadId: 'INC-0A1B2C3D4E', pairCount: 1 };
const NULL_RECORD = null as unknown as TrackedFinding;

/** A record whose target host cannot be read (as test/notify/publish-plan.test.ts models a malformed record). */
function unreadable(over: Partial<TrackedFinding> = {}): TrackedFinding {
  const f = { ...makeFinding(over) };
  Object.defineProperty(f, 'targetHost', { get: () => { throw new Error('boom'); }, enumerable: true });
  return f;
}

/** What the composer threw (it must throw). */
function thrown(compose: () => unknown): RenderError {
  try {
    compose();
  } catch (error) {
    return error as RenderError;
  }
  throw new Error('expected the composer to throw');
}

describe('the byte budget', () => {
  it('sends a message of exactly the budget at full detail, and shrinks it at one byte less', () => {
    const f = makeFinding({ remoteCommand: 'x'.repeat(5_000) });
    const full = composeFinding(f, makeContext());
    expect(composeFinding(f, makeContext(), full.bytes).message).toBe(full.message);
    const shrunk = composeFinding(f, makeContext(), full.bytes - 1);
    expect(shrunk.bytes).toBeLessThan(full.bytes);
  });

  it('fails a finding that does not fit even at the tightest caps, saying so and naming the finding', () => {
    const f = makeFinding();
    const err = thrown(() => composeFinding(f, makeContext(), 100));
    expect(err).toBeInstanceOf(RenderError);
    expect(err.message).toBe('the finding message does not fit 100 bytes even at the tightest caps');
    expect(err.fingerprint).toBe(f.fingerprint);
  });

  it('fails a digest or an incident that does not fit with the same message, not as a rendering failure', () => {
    const f = makeFinding({ incidentId: INC.id });
    expect(thrown(() => composeDigest([f], makeContext(), 1, 100)).message).toBe('the digest message does not fit 100 bytes even at the tightest caps');
    expect(thrown(() => composeIncident([f], INC, makeContext({ incidents: [INC] }), 100)).message).toBe('the finding message does not fit 100 bytes even at the tightest caps');
  });

  it('names no fingerprint when the message covers none', () => {
    expect(thrown(() => composeDigest([], makeContext(), 1, 100)).fingerprint).toBe('');
  });
});

describe('a record that cannot be rendered', () => {
  it('fails a null record as "(no fingerprint)", in the failure record the run reports', () => {
    const plan = planMessages([NULL_RECORD], makeContext(), 25);
    expect(plan.failed).toHaveLength(1);
    expect(plan.failed[0]?.message).toMatch(/^finding \(no fingerprint\) could not be rendered: /);
  });

  it('names a malformed finding by the first 80 characters of its fingerprint', () => {
    const fingerprint = `${'f'.repeat(80)}${'9'.repeat(40)}`;
    const err = thrown(() => composeFinding(unreadable({ fingerprint }), makeContext()));
    expect(err.message).toBe(`finding ${'f'.repeat(80)} could not be rendered`);
    expect(err.fingerprint).toBe(fingerprint);
  });

  it('fails a null record of a storm as the digest that could not be rendered', () => {
    const plan = planMessages([NULL_RECORD, makeFinding()], makeContext(), 1);
    expect(plan.failed).toHaveLength(1);
    expect(plan.failed[0]?.message).toMatch(/^the storm digest could not be rendered: /);
  });

  it('names no fingerprint when a digest covering none cannot be rendered', () => {
    const broken = { ...makeContext(), hunt: undefined } as unknown as NotificationContext;
    const err = thrown(() => composeDigest([], broken, 1));
    expect(err.message).toBe('the storm digest could not be rendered');
    expect(err.fingerprint).toBe('');
  });

  it('fails an incident with a malformed pair as a RenderError naming the incident, with the cause', () => {
    const f = unreadable({ incidentId: INC.id });
    const err = thrown(() => composeIncident([f], INC, makeContext({ incidents: [INC] })));
    expect(err).toBeInstanceOf(RenderError);
    expect(err.message).toBe('incident INC-0A1B2C3D4E could not be rendered');
    expect(err.fingerprint).toBe(f.fingerprint);
    expect((err.cause as Error).message).toBe('boom');
  });

  it('names an incident by the first 80 characters of its id, and a null pair without a crash', () => {
    const long: IncidentView = { ...INC, id: `INC-${'A'.repeat(76)}${'B'.repeat(30)}` };
    const err = thrown(() => composeIncident([NULL_RECORD], long, makeContext({ incidents: [long] })));
    expect(err).toBeInstanceOf(RenderError);
    expect(err.message).toBe(`incident INC-${'A'.repeat(76)} could not be rendered`);
    expect(err.fingerprint).toBe('');
  });

  it('names no fingerprint when an incident covering no pair cannot be rendered', () => {
    expect(thrown(() => composeIncident([], INC, makeContext({ incidents: [INC] }))).fingerprint).toBe('');
  });
});
