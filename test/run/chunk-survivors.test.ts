/**
 * One chunk's wiring (lambda/run/chunk.ts) as ops and analysts see it: only the due pairs no
 * allowlist entry suppressed are checked on their targets (the run summary's outcomes and its
 * `checked` list, and the confirmation query's targets); a late sweep's chunk re-checks the pairs
 * awaiting late evidence within the late-arrival horizon, a window's chunk within the confirmation
 * horizon; and every finding of the chunk, suppressed ones too, is recorded in the history.
 * Real parts: DynamoDB Local, the local XSIAM (hunt query, confirmation query, get_endpoint), the
 * real detector, the real SnsNotifier over the SDK-faked SNS client (test/confirm/confirm-harness.ts).
 */
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TargetEvidenceRequest, TargetEvidenceSource } from '../../lambda/confirm/index.js';
import { createDetector, loadAllowlist } from '../../lambda/detect/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import type { RunPorts } from '../../lambda/run/index.js';
import { runChunk } from '../../lambda/run/chunk.js';
import type { RunContext } from '../../lambda/run/context.js';
import { sweepXql } from '../../lambda/run/sweep-plan.js';
import { startConfirmHarness } from '../confirm/confirm-harness.js';
import { AGENTS, child, noise } from '../confirm/fixture.js';
import { HOUR, MIN, T0, snsMock, wmicRow, type Harness } from '../integration/harness.js';

const HUNT = WMIC_REMOTE_EXEC.id;
const SEC = 1000;
const PAYLOAD = 'powershell.exe -enc SQBFAFgA';
const attack = (target: string): string => `wmic /node:"${target}" process call create "${PAYLOAD}"`;

let h: Harness;
let ports: Partial<RunPorts>;
beforeEach(async () => {
  ({ h, ports } = await startConfirmHarness());
});
afterEach(async () => h.close());

/** The harness's target evidence, recording the targets of every confirmation request. */
function recordingEvidence(): { evidence: TargetEvidenceSource; targets: string[][] } {
  const inner = ports.targetEvidence!;
  const targets: string[][] = [];
  return {
    targets,
    evidence: { collect: (c, request: TargetEvidenceRequest, options) => { targets.push([...request.targets]); return inner.collect(c, request, options); } },
  };
}

/** The context runHunt gives a scheduled run's chunk. */
function context(extra: Partial<RunPorts> = {}): RunContext {
  return {
    ports: { ...h.ports, ...ports, ...extra },
    request: { hunt: WMIC_REMOTE_EXEC, settings: h.settings, runId: `run-${h.clock.now}`, deadline: h.clock.now + 10 * MIN },
    flags: { window: null, advancesCheckpoint: true, publish: true },
  };
}

const followUpsSent = (): number => snsMock.commandCalls(PublishBatchCommand).flatMap((c) => c.args[0].input.PublishBatchRequestEntries ?? [])
  .filter((e) => (JSON.parse(JSON.parse(e.Message ?? '{}').default as string) as { followUp?: boolean }).followUp === true).length;

describe('a chunk with a suppressed pair beside a pair to notify', () => {
  // The SCCM client push of the allowlist's example entry, here for a real host: WS-B's pushes are expected.
  const allowlist = loadAllowlist({
    schemaVersion: 1,
    entries: [{ id: 'sccm-push-ws-b', owner: 'detection-engineering@corp.example', reason: 'SCCM client push from WS-B', expires: '2099-12-31', sourceHost: 'ws-b' }],
  });

  it('checks only the pair not suppressed on its target: one request for fs01, one outcome, one pair in `checked`', async () => {
    const launch = T0 - 30 * MIN;
    h.events.push(
      wmicRow(launch, 'WS-A', attack('fs01')),
      // FS01's WmiPrvSE.exe started the payload 3 s later: confirmed.
      child(AGENTS.fs01, launch + 3 * SEC, PAYLOAD),
      wmicRow(launch, 'WS-B', attack('app01')),
      noise(AGENTS.app01, launch - 10 * MIN),
    );
    const { evidence, targets } = recordingEvidence();
    const detector = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist });

    const summary = await h.run({ ...ports, detector, targetEvidence: evidence });

    expect(summary).toMatchObject({
      status: 'completed', findings: 2, newPairs: 2, suppressed: 1, notified: 1,
      confirmed: 1, notSeen: 0, unmanaged: 0, unavailable: 0, confirmQueries: 1,
    });
    expect(targets).toEqual([['fs01']]);
    expect(summary.checked.map((f) => [f.sourceHost, f.targetHost, f.confirmation?.status])).toEqual([['WS-A', 'fs01', 'confirmed']]);
  });

  it('records every finding of the chunk in the history, the suppressed one too, and the day it covered', async () => {
    const launch = T0 - 30 * MIN;
    h.events.push(wmicRow(launch, 'WS-A', attack('fs01')), wmicRow(launch, 'WS-B', attack('app01')));
    const detector = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist });
    const chunk = { from: T0 - HOUR, to: T0 - 5 * MIN };

    const tally = await runChunk(context({ detector }), chunk);

    expect(tally.counts).toMatchObject({ findings: 2, suppressed: 1, notified: 1 });
    const history = await h.state.readHistory(HUNT, { hosts: ['ws-a', 'ws-b'], users: ['corp\\m.keller'] }, h.clock.now);
    const day = Math.floor(launch / (24 * HOUR));
    expect(history.coveredDays).toContain(day);
    expect([...history.hosts.keys()].sort()).toEqual(['ws-a', 'ws-b']);
    expect(history.hosts.get('ws-b')).toMatchObject({ days: [day], targetCount: 1 });
    expect(history.users.get('corp\\m.keller')).toMatchObject({ days: [day], targetCount: 2 });
  });
});

describe('the pairs awaiting late evidence, re-checked by a window\'s chunk or by a late sweep\'s', () => {
  /** A pair notified not-seen at T0, whose target's evidence then arrived; the clock two hours on. */
  async function notifiedNotSeenTwoHoursAgo(): Promise<void> {
    const launch = T0 - 20 * MIN;
    h.events.push(wmicRow(launch, 'WS-A', attack('fs01')), noise(AGENTS.fs01, launch - 30 * MIN));
    expect(await h.run(ports)).toMatchObject({ notified: 1, notSeen: 1 });
    h.events.push(child(AGENTS.fs01, launch + 4 * SEC, PAYLOAD, { event_id: 'late-target-evt' }));
    // Past the confirmation horizon (60 min), well within the late-arrival one (72 h).
    h.clock.now = T0 + 2 * HOUR;
  }

  it('a late sweep\'s chunk re-checks a pair notified two hours ago and sends its one follow-up', async () => {
    expect(h.settings).toMatchObject({ confirmHorizonMs: HOUR, lateArrivalMs: 72 * HOUR });
    await notifiedNotSeenTwoHoursAgo();
    const arrived = { from: T0, to: h.clock.now };
    const xql = sweepXql(WMIC_REMOTE_EXEC.queries[h.settings.queryVariant], arrived);

    const tally = await runChunk(context(), { from: T0 - 24 * HOUR, to: T0 }, xql);

    expect(tally.counts).toMatchObject({ findings: 0, followUps: 1, confirmQueries: 1 });
    expect(followUpsSent()).toBe(1);
  });

  it('a window\'s chunk leaves it to the sweep: past the confirmation horizon, no query, no follow-up', async () => {
    await notifiedNotSeenTwoHoursAgo();

    const tally = await runChunk(context(), { from: T0 - 5 * MIN, to: h.clock.now - 5 * MIN });

    expect(tally.counts).toMatchObject({ followUps: 0, confirmQueries: 0 });
    expect(followUpsSent()).toBe(0);
  });
});
