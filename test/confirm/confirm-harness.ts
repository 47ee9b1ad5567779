/** The whole-run harness of the confirmation tests (kept apart from fixture.ts: it fakes the SNS client). */
import { XsiamTargetEvidence } from '../../lambda/confirm/index.js';
import type { RunPorts } from '../../lambda/run/index.js';
import { createXsiamClient } from '../../lambda/xsiam/index.js';
import { snsAcceptsAll, snsMock, startHarness, type Harness } from '../integration/harness.js';

/**
 * A harness (DynamoDB Local, local XSIAM, SDK-faked SNS accepting all) with target confirmation
 * wired over the harness clock, SNS calls cleared: what every whole-run confirmation test starts from.
 */
export async function startConfirmHarness(): Promise<{ h: Harness; ports: Partial<RunPorts> }> {
  snsMock.reset();
  snsAcceptsAll();
  const h = await startHarness();
  const client = createXsiamClient({ allowLoopback: true, clock: { now: () => h.clock.now }, pollInitialMs: 5, pollMaxMs: 20, retryBaseMs: 5, retryMaxMs: 20 });
  return { h, ports: { targetEvidence: new XsiamTargetEvidence({ client }) } };
}
