/**
 * Claims between concurrent runs, for every StateStore adapter: a PENDING pair claimed by a run
 * that may still be alive is in-flight to every other run; recovery takes only claims older than
 * a run's maximum duration (or released ones), and of two runs recovering at once one wins.
 */
import { expect, it } from 'vitest';
import type { StateStore } from '../../lambda/ports.js';
import { StateInputError } from '../../lambda/state/index.js';
import { DAY, MINUTE, T0, freshHuntId, makeFinding, makeFindings } from '../fixtures/state/findings.js';

const WINDOW = 7 * DAY;
const MAX_RUN = 6 * MINUTE;
const runA = { runId: 'run-a', maxRunMs: MAX_RUN };
const runB = { runId: 'run-b', maxRunMs: MAX_RUN };
const runC = { runId: 'run-c', maxRunMs: MAX_RUN };
const fps = (list: readonly { fingerprint: string }[] | undefined): string[] => (list ?? []).map((f) => f.fingerprint).sort();

export function claimContract(store: () => StateStore): void {
  it('leaves a pair claimed by another live run in flight, and hands it back to the run that claimed it', async () => {
    const hunt = freshHuntId();
    const findings = makeFindings(hunt, 3);
    const a = await store().recordFindings(findings, T0, WINDOW, runA);
    const b = await store().recordFindings(findings, T0 + MINUTE, WINDOW, runB);
    const again = await store().recordFindings(findings, T0 + 2 * MINUTE, WINDOW, runA);
    expect(fps(a.created)).toEqual(fps(findings));
    expect(a.inFlight).toEqual([]);
    expect([b.created, b.pending, b.repeats]).toEqual([[], [], []]);
    expect(fps(b.inFlight)).toEqual(fps(findings));
    expect(fps(again.pending)).toEqual(fps(findings));
    expect(again.inFlight).toEqual([]);
  });

  it('recovers a claim older than the maximum run duration, once: the second recoverer finds it in flight', async () => {
    const hunt = freshHuntId();
    const f = makeFinding(hunt, 1);
    await store().recordFindings([f], T0, WINDOW, runA);
    // At the edge: one millisecond inside the claim's life it is still A's, at its end it is stale.
    const inside = await store().recordFindings([f], T0 + MAX_RUN - 1, WINDOW, runB);
    expect(fps(inside.inFlight)).toEqual([f.fingerprint]);
    const recovered = await store().recordFindings([f], T0 + MAX_RUN, WINDOW, runB);
    const late = await store().recordFindings([f], T0 + MAX_RUN + 1, WINDOW, runC);
    expect(fps(recovered.pending)).toEqual([f.fingerprint]);
    expect(fps(late.inFlight)).toEqual([f.fingerprint]);
    expect(late.pending).toEqual([]);
  });

  it('lets exactly one of two runs recovering the same stale claims at once publish each', async () => {
    const hunt = freshHuntId();
    const findings = makeFindings(hunt, 30);
    await store().recordFindings(findings, T0, WINDOW, runA);
    const [b, c] = await Promise.all([
      store().recordFindings(findings, T0 + 10 * MINUTE, WINDOW, runB),
      store().recordFindings(findings, T0 + 10 * MINUTE, WINDOW, runC),
    ]);
    const publishers = [...fps(b.pending), ...fps(c.pending)].sort();
    expect(publishers).toEqual(fps(findings));
    expect([...fps(b.inFlight), ...fps(c.inFlight)].sort()).toEqual(fps(findings));
  });

  it('claims each new pair for exactly one of two runs reading it at the same moment', async () => {
    const hunt = freshHuntId();
    const findings = makeFindings(hunt, 40);
    const [a, b] = await Promise.all([store().recordFindings(findings, T0, WINDOW, runA), store().recordFindings(findings, T0, WINDOW, runB)]);
    expect([...fps(a.created), ...fps(b.created)].sort()).toEqual(fps(findings));
    expect([...fps(a.pending), ...fps(b.pending)]).toEqual([]);
    expect([...fps(a.inFlight), ...fps(b.inFlight)].sort()).toEqual(fps(findings));
  });

  it('releases only its own PENDING claims: the next run takes them at once, a NOTIFIED pair stays a repeat', async () => {
    const hunt = freshHuntId();
    const [kept, released, notified] = makeFindings(hunt, 3);
    const all = [kept!, released!, notified!];
    await store().recordFindings(all, T0, WINDOW, runA);
    await store().markNotified(hunt, [notified!.fingerprint], T0);
    await store().releaseClaims?.(hunt, [released!.fingerprint, notified!.fingerprint], runA.runId);
    await store().releaseClaims?.(hunt, [kept!.fingerprint], runB.runId);
    const b = await store().recordFindings(all, T0 + MINUTE, WINDOW, runB);
    expect(fps(b.pending)).toEqual([released!.fingerprint]);
    expect(fps(b.inFlight)).toEqual([kept!.fingerprint]);
    expect(fps(b.repeats)).toEqual([notified!.fingerprint]);
  });

  it('treats a claim without an owner (written before owners, or without a claimant) as free to recover', async () => {
    const hunt = freshHuntId();
    const f = makeFinding(hunt, 1);
    await store().recordFindings([f], T0, WINDOW);
    const b = await store().recordFindings([f], T0 + MINUTE, WINDOW, runB);
    const c = await store().recordFindings([f], T0 + MINUTE, WINDOW, runC);
    expect(fps(b.pending)).toEqual([f.fingerprint]);
    expect(fps(c.inFlight)).toEqual([f.fingerprint]);
  });

  it('rejects a claim without a run id or with a non-positive maximum duration, naming both', async () => {
    const f = makeFinding(freshHuntId(), 1);
    const err = await store().recordFindings([f], T0, WINDOW, { runId: '', maxRunMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateInputError);
    expect(String((err as Error).message)).toMatch(/claim\.maxRunMs[\s\S]*claim\.runId|claim\.runId[\s\S]*claim\.maxRunMs/);
  });
}
