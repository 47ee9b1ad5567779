/** The target-side WMI hunt's module (HuntQuery-Windows-WMI-RemoteExec-TargetSide): its detector and reasons. */
import type { HuntExtension } from '../types.js';
import { createWmiTargetDetector, explainedByStoredPair, WMIC_PAIR_OWNER } from './detector.js';

export { createWmiTargetDetector, explainedBy, explainedByStoredPair, WMIC_PAIR_OWNER } from './detector.js';
export { childReasons, childReasonCodes, CHILD_REASONS, type ChildFacts, type ChildReasonCode } from './reasons.js';
export { wmicLaunches, explainingLaunch, type WmicLaunch } from './correlate.js';

export const WMI_TARGET_MODULE: HuntExtension = {
  id: 'HuntQuery-Windows-WMI-RemoteExec-TargetSide',
  detector: (hunt, allowlist) => createWmiTargetDetector({ hunt, allowlist }),
  // A child a stored wmic pair explains joins that pair's incident (lambda/run/stages/join.ts).
  pairJoin: { pairHuntId: WMIC_PAIR_OWNER, suppression: explainedByStoredPair },
};
