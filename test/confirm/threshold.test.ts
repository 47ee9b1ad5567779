/**
 * Scores that do not depend on the threshold: the target check runs for every due pair before the
 * minimum severity is applied. Whole runs over DynamoDB Local and the local XSIAM (hunt query,
 * confirmation query, get_endpoint), the real detector and SnsNotifier.
 * The near-threshold pair: SCCM's agent (CcmExec.exe, −25) pushing its client, 85 − 25 = 60 medium,
 * and the target shows WmiPrvSE.exe starting it (+10 → 70 high).
 */
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { XsiamTargetEvidence } from '../../lambda/confirm/index.js';
import type { Severity, TrackedFinding } from '../../lambda/finding.js';
import type { RunPorts } from '../../lambda/run/index.js';
import { createXsiamClient } from '../../lambda/xsiam/index.js';
import { MIN, T0, snsAcceptsAll, snsMock, startHarness, wmicRow, type Harness } from '../integration/harness.js';
import { AGENTS, child, noise } from './fixture.js';

const PUSH = 'C:\\Windows\\ccmsetup\\ccmsetup.exe /mp:SCCM01 SMSSITECODE=P01';
const VIA_AGENT = { actor_process_image_name: 'CcmExec.exe', actor_process_image_path: 'C:\\Windows\\CCM\\CcmExec.exe' };

let h: Harness;
let ports: Partial<RunPorts>;

beforeEach(async () => {
  snsMock.reset();
  snsAcceptsAll();
  h = await startHarness();
  const client = createXsiamClient({ clock: { now: () => h.clock.now }, pollInitialMs: 5, pollMaxMs: 20, retryBaseMs: 5, retryMaxMs: 20 });
  ports = { targetEvidence: new XsiamTargetEvidence({ client }) };
  const launch = T0 - 60 * MIN;
  h.events.push(
    wmicRow(launch, 'SCCM01', `wmic /node:fs01 process call create "${PUSH}"`, VIA_AGENT),
    child(AGENTS.fs01, launch + 2_000, PUSH),
    // APP01 reports to XSIAM but nothing started there: not-seen, no points
    wmicRow(launch, 'SCCM01', `wmic /node:app01 process call create "${PUSH}"`, VIA_AGENT),
    noise(AGENTS.app01, launch - 10 * MIN),
  );
});
afterEach(async () => h.close());

const published = () => snsMock.commandCalls(PublishBatchCommand).flatMap((c) => (c.args[0].input.PublishBatchRequestEntries ?? [])
  .map((e) => JSON.parse((JSON.parse(e.Message ?? '{}') as { default: string }).default) as { targetHost: string; riskScore: number; severity: string }));

async function runAt(minSeverity: Severity) {
  const summary = await h.run(ports, { minSeverity });
  const scores = (list: readonly TrackedFinding[]) => Object.fromEntries(list.map((f) => [f.targetHost, f.riskScore]));
  return { summary, notified: scores(summary.notifications), held: scores(summary.held) };
}

describe('a pair\'s score does not depend on the minimum severity', () => {
  it('sends the confirmed near-threshold pair at the default minimum (60 + 10 → 70, high)', async () => {
    const { summary, notified, held } = await runAt('high');
    expect(notified).toEqual({ fs01: 70 });
    expect(published()).toEqual([expect.objectContaining({ targetHost: 'fs01', riskScore: 70, severity: 'high' })]);
    // the pair the target did not show stays held at its own score, with its check done
    expect(held).toEqual({ app01: 60 });
    expect(summary.held[0]?.confirmation?.status).toBe('not-seen');
  });

  it('gives each pair the same score under --min-severity low and high', async () => {
    const low = await runAt('low');
    expect(low.notified).toEqual({ fs01: 70, app01: 60 });
    // the same rows, hunted again on a fresh table at high
    const other = await startHarness();
    try {
      const client = createXsiamClient({ clock: { now: () => other.clock.now }, pollInitialMs: 5, pollMaxMs: 20, retryBaseMs: 5, retryMaxMs: 20 });
      other.events.push(...h.events);
      const summary = await other.run({ targetEvidence: new XsiamTargetEvidence({ client }) }, { minSeverity: 'high' });
      const all = Object.fromEntries([...summary.notifications, ...summary.held].map((f) => [f.targetHost, f.riskScore]));
      expect(all).toEqual(low.notified);
    } finally {
      await other.close();
    }
  });

  it('shows a held pair with its confirmed score: at critical the confirmed pair is held at 70, not 60', async () => {
    const { notified, held } = await runAt('critical');
    expect(notified).toEqual({});
    expect(held).toEqual({ fs01: 70, app01: 60 });
  });
});
