/** The WMIC hunt's module: its line parser and pair model (the detector), the broadened query and target confirmation. */
import { XsiamTargetEvidence } from '../confirm/index.js';
import { createDetector } from '../detect/index.js';
import { BROADENED_XQL } from '../hunts/index.js';
import type { HuntExtension } from './types.js';

export const WMIC_MODULE: HuntExtension = {
  id: 'HuntQuery-Windows-WMIC-RemoteExec',
  variants: { broadened: BROADENED_XQL },
  detector: (hunt, allowlist) => createDetector({ hunt, allowlist }),
  evidence: (client, log) => new XsiamTargetEvidence({
    client, onProblem: (problem) => log.warn('target confirmation: record skipped', { problem: problem.slice(0, 300) }),
  }),
};
