/**
 * The last guards of the plan (lambda/notify/publish-plan.ts, lambda/notify/incident-groups.ts):
 * pairs that each render alone but whose one message (an incident's, or the storm digest) cannot be
 * built. No known record does that (each message's size is capped, lambda/notify/limits.ts), so the
 * composers are wrapped to refuse any message of more than one pair, as fit() refuses a message
 * that does not fit even at the tightest caps. What the operator must still get: every pair in
 * the run's failure records under its fingerprint, and nothing half-sent.
 */
import { describe, expect, it, vi } from 'vitest';
import type { TrackedFinding } from '../../lambda/finding.js';
import type { IncidentView } from '../../lambda/incidents/index.js';
import { planMessages } from '../../lambda/notify/publish-plan.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';

vi.mock('../../lambda/notify/message.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../lambda/notify/message.js')>();
  const { RenderError } = await import('../../lambda/notify/errors.js');
  const together = (kind: string, fs: readonly TrackedFinding[]): void => {
    if (fs.length > 1) throw new RenderError(`the ${kind} message does not fit 260096 bytes even at the tightest caps`, String(fs[0]?.fingerprint));
  };
  return {
    ...real,
    composeIncident: (...args: Parameters<typeof real.composeIncident>) => { together('finding', args[0]); return real.composeIncident(...args); },
    composeDigest: (...args: Parameters<typeof real.composeDigest>) => { together('digest', args[0]); return real.composeDigest(...args); },
  };
});

const INC: IncidentView = { id: 'INC-0A1B2C3D4E', chain: ['WKS-77', 'FS01'], severity: 'critical', threadId: 'INC-0A1B2C3D4E', pairCount: 2 };

describe('pairs that render alone but not together', () => {
  it('reports every pair of the incident failed, a pair without a fingerprint as "", and sends nothing', () => {
    const named = makeFinding({ targetHost: 'srv-1', incidentId: INC.id });
    const unnamed = makeFinding({ targetHost: 'srv-2', incidentId: INC.id, fingerprint: undefined as unknown as string });
    const plan = planMessages([named, unnamed], makeContext({ incidents: [INC] }), 25);
    expect(plan.messages).toEqual([]);
    const message = 'the finding message does not fit 260096 bytes even at the tightest caps';
    expect(plan.failed).toEqual([
      { fingerprint: named.fingerprint, code: 'RenderError', message },
      { fingerprint: '', code: 'RenderError', message },
    ]);
  });

  it('reports every pair of the storm failed as RenderError, and still says the run was a storm', () => {
    const fs = [makeFinding(), makeFinding()];
    const plan = planMessages(fs, makeContext(), 1);
    expect(plan).toEqual({
      messages: [],
      digest: true,
      failed: fs.map((f) => ({ fingerprint: f.fingerprint, code: 'RenderError', message: 'the digest message does not fit 260096 bytes even at the tightest caps' })),
    });
  });
});
