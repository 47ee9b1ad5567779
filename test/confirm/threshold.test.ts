/**
 * Scores that do not depend on the threshold: the target check runs for every due pair before the
 * minimum severity is applied. Whole runs over DynamoDB Local and the local XSIAM (hunt query,
 * confirmation query, get_endpoint), the real detector and SnsNotifier.
 * The near-threshold pair: SCCM's agent (CcmExec.exe, −25) pushing its client, 85 − 25 = 60 medium,
 * and the target shows WmiPrvSE.exe starting it (+10 → 70 high). (SCCM's client push runs
 * ccmsetup.exe /mp:<site server> SMSSITECODE=<code> on the target:
 * https://learn.microsoft.com/mem/configmgr/core/clients/deploy/about-client-installation-properties)
 */
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Severity, TrackedFinding } from '../../lambda/finding.js';
import type { RunPorts } from '../../lambda/run/index.js';
import { MIN, T0, snsMock, wmicRow, type Harness } from '../integration/harness.js';
import { startConfirmHarness } from './confirm-harness.js';
import { AGENTS, child, noise } from './fixture.js';

const PUSH = 'C:\\Windows\\ccmsetup\\ccmsetup.exe /mp:SCCM01 SMSSITECODE=P01';
const VIA_AGENT = { actor_process_image_name: 'CcmExec.exe', actor_process_image_path: 'C:\\Windows\\CCM\\CcmExec.exe' };
const WMIC_HUNT = 'HuntQuery-Windows-WMIC-RemoteExec';

const rows = (): Record<string, unknown>[] => {
  const launch = T0 - 60 * MIN;
  return [
    wmicRow(launch, 'SCCM01', `wmic /node:fs01 process call create "${PUSH}"`, VIA_AGENT),
    child(AGENTS.fs01, launch + 2_000, PUSH),
    // APP01 reports to XSIAM but nothing started there: not-seen, no points
    wmicRow(launch, 'SCCM01', `wmic /node:app01 process call create "${PUSH}"`, VIA_AGENT),
    noise(AGENTS.app01, launch - 10 * MIN),
  ];
};

const started: Harness[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.close()));
});
beforeEach(() => snsMock.reset());

const published = (): { targetHost: string; riskScore: number; severity: string }[] => snsMock.commandCalls(PublishBatchCommand)
  .flatMap((c) => (c.args[0].input.PublishBatchRequestEntries ?? [])
    .map((e) => JSON.parse((JSON.parse(e.Message ?? '{}') as { default: string }).default) as { targetHost: string; riskScore: number; severity: string }));

const scores = (list: readonly TrackedFinding[]): Record<string, number> =>
  Object.fromEntries(list.filter((f) => f.huntId === WMIC_HUNT).map((f) => [f.targetHost, f.riskScore]));

/** The same rows hunted on a fresh table at `minSeverity`. */
async function runAt(minSeverity?: Severity) {
  const { h, ports }: { h: Harness; ports: Partial<RunPorts> } = await startConfirmHarness();
  started.push(h);
  h.events.push(...rows());
  const summary = await h.run(ports, minSeverity === undefined ? {} : { minSeverity });
  const sent = new Set(summary.notifications.map((f) => f.fingerprint));
  const held = summary.checked.filter((f) => !sent.has(f.fingerprint));
  return { summary, notified: scores(summary.notifications), held: scores(held), heldPairs: held };
}

describe('a pair\'s score does not depend on the minimum severity', () => {
  it('sends the confirmed near-threshold pair at the default minimum (60 + 10 → 70, high)', async () => {
    const { summary, notified, held, heldPairs } = await runAt();
    expect(notified).toEqual({ fs01: 70 });
    expect(published()).toEqual([expect.objectContaining({ targetHost: 'fs01', riskScore: 70, severity: 'high' })]);
    // the pair the target did not show stays held at its own score, with its check done
    expect(held).toEqual({ app01: 60 });
    expect(heldPairs[0]?.confirmation?.status).toBe('not-seen');
    // both pairs were checked in one confirmation query (one batch per chunk)
    expect(summary.confirmQueries).toBe(1);
    expect(summary.confirmed + summary.notSeen).toBe(2);
  });

  it('gives each pair the same score under --min-severity low and high', async () => {
    const low = await runAt('low');
    const high = await runAt('high');
    expect(low.notified).toEqual({ fs01: 70, app01: 60 });
    expect({ ...high.notified, ...high.held }).toEqual(low.notified);
    expect(high.held).toEqual({ app01: 60 });
  });

  it('holds a pair with its confirmed score: at critical the confirmed pair is held at 70, not 60', async () => {
    const { notified, held, summary } = await runAt('critical');
    expect(notified).toEqual({});
    expect(held).toEqual({ fs01: 70, app01: 60 });
    expect(summary.belowMinSeverity).toBe(2);
    expect(published()).toEqual([]);
  });
});
