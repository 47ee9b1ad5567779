/** Pairs for the grouping tests: WMIC source → /node target at a minute after T0, fingerprints unique. */
import type { PairInput } from '../../lambda/incidents/index.js';

export const HUNT = 'HuntQuery-Windows-WMIC-RemoteExec';
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const T0 = Date.UTC(2031, 0, 15, 12);

let n = 0;
export function pair(source: string, target: string, atMin: number, extra: Partial<PairInput> = {}): PairInput {
  n += 1;
  return { fingerprint: `fp-${n}-${source}-${target}`, sourceHost: source, targetHost: target, severity: 'high', riskScore: 80, firstSeen: T0 + atMin * MIN, lastSeen: T0 + atMin * MIN, ...extra };
}
