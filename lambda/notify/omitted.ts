/** The line a renderer shows when the caps left pairs of a source out (lambda/detect/caps.ts). */
import type { Finding } from '../finding.js';

/** E.g. `+99900 more pair(s) of this source left out by the caps (counted in the run summary)`; null when none were. */
export function omittedPairsLine(f: Pick<Finding, 'omittedPairs'>): string | null {
  const n = f.omittedPairs;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? `+${n} more pair(s) of this source left out by the caps (counted in the run summary)` : null;
}
