/**
 * Late-evidence follow-ups between concurrent runs, and under a storm (issue 21): two runs that
 * re-check the same confirmed repeat at the same moment send one follow-up between them (the
 * conditional claim), and a storm of late confirmations is capped at the storm limit per chunk:
 * the pair at the limit gets its UPDATE, the one past it does not. A run that loses the claim of
 * a pair to another run sends nothing for that pair (the claimed-pairs filter).
 */
import { randomUUID } from 'node:crypto';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { runHunt, type RunPorts } from '../../lambda/run/index.js';
import { MIN, T0, snsMock, wmicRow, type Harness } from '../integration/harness.js';
import { startConfirmHarness } from './confirm-harness.js';
import { AGENTS, child, noise } from './fixture.js';

const PAYLOAD = 'powershell.exe -enc SQBFAFgA';
const attack = (target: string): string => `wmic /node:"${target}" process call create "${PAYLOAD}"`;

/** Subjects of every message published so far, in order. */
const subjects = (): string[] => snsMock.commandCalls(PublishBatchCommand).flatMap((c) => (c.args[0].input.PublishBatchRequestEntries ?? []).map((e) => e.Subject ?? ''));

let h: Harness;
let ports: Partial<RunPorts>;

beforeEach(async () => {
  ({ h, ports } = await startConfirmHarness());
});
afterEach(async () => h.close());

/** Pairs launched 4 minutes before the first run: notified `unavailable`; each target's event arrives afterwards. */
async function notifiedBeforeTheEvidence(targets: readonly (keyof typeof AGENTS)[]): Promise<number> {
  const launch = T0 - 4 * MIN;
  targets.forEach((t, i) => h.events.push(wmicRow(launch, `WS-${i}`, attack(t)), noise(AGENTS[t], launch - 30 * MIN)));
  const first = await h.run(ports);
  expect(first).toMatchObject({ notified: targets.length, unavailable: targets.length });
  targets.forEach((t) => h.events.push(child(AGENTS[t], launch + 4_000, PAYLOAD)));
  return launch;
}

/** A backfill-like run of exactly `window`, leasing only it (so several run side by side). */
const windowRun = (from: number, to: number, stormLimit = h.settings.stormLimit, more: Partial<RunPorts> = {}) => runHunt({ ...h.ports, ...ports, ...more }, {
  hunt: WMIC_REMOTE_EXEC, settings: { ...h.settings, stormLimit }, runId: randomUUID(), deadline: h.clock.now + 10 * MIN, window: { from, to }, windowLease: true,
});

describe('late-evidence follow-ups between runs', () => {
  it('sends one follow-up when two runs re-check the same confirmed repeat at once', async () => {
    const launch = await notifiedBeforeTheEvidence(['fs01']);
    h.clock.now = T0 + 15 * MIN;
    const [a, b] = await Promise.all([windowRun(launch - 10 * MIN, launch + 5 * MIN), windowRun(launch - 20 * MIN, launch + 10 * MIN)]);
    expect([a.status, b.status]).toEqual(['completed', 'completed']);
    expect(a.repeats + b.repeats).toBe(2);
    expect(a.followUps + b.followUps).toBe(1);
    const updates = subjects().filter((s) => s.startsWith('UPDATE:'));
    expect(updates).toHaveLength(1);
  });

  it('caps a storm of late confirmations at the storm limit: the pair at the limit gets its UPDATE, the one past it none', async () => {
    const launch = await notifiedBeforeTheEvidence(['fs01', 'sql01', 'app01']);
    h.clock.now = T0 + 15 * MIN;
    const capped = await windowRun(launch - 10 * MIN, launch + 5 * MIN, 2);
    expect(capped).toMatchObject({ repeats: 3, followUps: 2 });
    expect(subjects().filter((s) => s.startsWith('UPDATE:'))).toHaveLength(2);
  });

  it('sends no UPDATE for a pair another run claimed first, and still sends the pair it claimed itself', async () => {
    const launch = await notifiedBeforeTheEvidence(['fs01', 'sql01']);
    h.clock.now = T0 + 15 * MIN;
    // Another run claims the first pair between this run's read and its claim: deterministic,
    // unlike two runs in one event loop, where one usually reads the other's claim before its own.
    const state = h.ports.state;
    const rivalWinsFirst: RunPorts['state'] = new Proxy(state, {
      get: (target, key) => key === 'claimFollowUps'
        ? async (huntId: string, fps: readonly string[], now: number) => {
          await target.claimFollowUps?.(huntId, fps.slice(0, 1), now);
          return await target.claimFollowUps?.(huntId, fps, now) ?? [];
        }
        : (Reflect.get(target, key) as unknown),
    });
    const run = await windowRun(launch - 10 * MIN, launch + 5 * MIN, h.settings.stormLimit, { state: rivalWinsFirst });
    expect(run).toMatchObject({ repeats: 2, followUps: 1 });
    expect(subjects().filter((s) => s.startsWith('UPDATE:'))).toHaveLength(1);
  });

  it('keeps the pairs past the storm limit awaiting: the next run sends the UPDATE the capped run held back', async () => {
    const launch = await notifiedBeforeTheEvidence(['fs01', 'sql01', 'app01']);
    h.clock.now = T0 + 15 * MIN;
    // Windows after the launch: no repeat is read, the pairs come back from the awaiting list.
    const capped = await windowRun(launch + 20 * MIN, launch + 25 * MIN, 2);
    expect(capped).toMatchObject({ repeats: 0, followUps: 2 });
    h.clock.now = T0 + 20 * MIN;
    const next = await windowRun(launch + 25 * MIN, launch + 30 * MIN);
    expect(next).toMatchObject({ followUps: 1 });
    expect(subjects().filter((s) => s.startsWith('UPDATE:'))).toHaveLength(3);
  });
});
