/**
 * The storm digest's `default` JSON as a subscriber reads it: the run's totals, each top pair's
 * command (exact, capped at 1,000 characters), and every pair's fingerprint up to 20 per list
 * item of the cap, with `fingerprintsTruncated` saying exactly when some were left out.
 */
import { describe, expect, it } from 'vitest';
import { renderDigest } from '../../lambda/notify/digest.js';
import { DEFAULT_LIMITS } from '../../lambda/notify/limits.js';
import { makeFinding } from '../fixtures/notify/findings.js';
import { stormContext, stormPairs } from './digest-pairs.js';

interface DigestJson {
  totals: unknown;
  topPairs: { remoteCommand: { value: string | null; truncated: boolean; length: number } }[];
  fingerprints: string[];
  fingerprintsTruncated: boolean;
}
const payload = (...args: Parameters<typeof renderDigest>): DigestJson => renderDigest(...args).default as DigestJson;

describe('the storm digest default JSON', () => {
  it("carries the run's totals", () => {
    expect(payload(stormPairs(), stormContext).totals).toEqual({ findings: 6, newPairs: 4, repeats: 1, suppressed: 1 });
  });

  it("gives at most 1,000 characters of a pair's command, even when the JSON text cap is larger", () => {
    // -enc payloads run long: base64 of UTF-16LE PowerShell, 25 + 1,200 = 1,225 characters.
    const command = `powershell.exe -nop -enc ${'SQBFAFgAIAAoAE4AZQB3AC0A'.repeat(50)}`;
    const [top] = payload([makeFinding({ remoteCommand: command })], stormContext, 0, DEFAULT_LIMITS).topPairs;
    expect(top?.remoteCommand).toEqual({ value: command.slice(0, 1_000), truncated: true, length: 1_225 });
  });

  it('lists every fingerprint up to 20 per list item, and says so exactly when more pairs were found', () => {
    const pairs = Array.from({ length: 21 }, (_, i) => makeFinding({ riskScore: 90 - i }));
    const fingerprints = pairs.map((f) => f.fingerprint);
    const limits = { ...DEFAULT_LIMITS, list: 1 };
    expect(payload(pairs.slice(0, 20), stormContext, 19, limits)).toMatchObject({ fingerprints: fingerprints.slice(0, 20), fingerprintsTruncated: false });
    expect(payload(pairs, stormContext, 20, limits)).toMatchObject({ fingerprints: fingerprints.slice(0, 20), fingerprintsTruncated: true });
  });
});
