/**
 * The order an analyst reads the storm digest's pairs in, and its highest severity: risk score
 * first, then event count, then the most recent; a pair whose stored record has no usable score
 * (missing, or not a finite number) comes after every scored pair and never becomes the top score.
 */
import { describe, expect, it } from 'vitest';
import type { TrackedFinding } from '../../lambda/finding.js';
import { renderDigest } from '../../lambda/notify/digest.js';
import { T0, makeFinding } from '../fixtures/notify/findings.js';
import { stormContext } from './digest-pairs.js';

/** The email's first line of each listed pair, `1. [CRITICAL 95] WKS-A -> srv-a`, in order. */
function emailRows(pairs: readonly TrackedFinding[]): string[] {
  return renderDigest(pairs, stormContext).email.body.split('\n').filter((l) => /^ {2}\d+\. \[/.test(l)).map((l) => l.trim());
}

describe('the order of the digest pairs', () => {
  it('puts a pair without a usable risk score after the scored ones, however many events it has', () => {
    const pairs = [
      makeFinding({ sourceHost: 'WKS-NAN', targetHost: 'srv-b', riskScore: Number.NaN, count: 9 }),
      makeFinding({ sourceHost: 'WKS-OK', targetHost: 'srv-a', riskScore: 20, severity: 'low', count: 1 }),
      makeFinding({ sourceHost: 'WKS-NONE', targetHost: 'srv-c', riskScore: undefined as unknown as number, count: 8 }),
    ];
    expect(emailRows(pairs)).toEqual([
      '1. [LOW 20] WKS-OK -> srv-a',
      '2. [CRITICAL ?] WKS-NAN -> srv-b',
      '3. [CRITICAL ?] WKS-NONE -> srv-c',
    ]);
    expect((renderDigest(pairs, stormContext).default as { riskScore: unknown }).riskScore).toBe(20);
  });

  it('breaks a tie of risk by event count, highest first', () => {
    const pairs = [1, 5, 3].map((count) => makeFinding({ sourceHost: `WKS-${count}`, targetHost: 'srv-a', count }));
    expect(emailRows(pairs)).toEqual(['1. [CRITICAL 95] WKS-5 -> srv-a', '2. [CRITICAL 95] WKS-3 -> srv-a', '3. [CRITICAL 95] WKS-1 -> srv-a']);
  });

  it('breaks a tie of risk and count by the most recent event', () => {
    const pairs = [1, 5, 3].map((m) => makeFinding({ sourceHost: `WKS-${m}`, targetHost: 'srv-a', lastSeen: T0 + m * 60_000 }));
    expect(emailRows(pairs)).toEqual(['1. [CRITICAL 95] WKS-5 -> srv-a', '2. [CRITICAL 95] WKS-3 -> srv-a', '3. [CRITICAL 95] WKS-1 -> srv-a']);
  });
});

describe('the highest severity of the digest', () => {
  it('is LOW when every pair is low', () => {
    const { email } = renderDigest([makeFinding({ severity: 'low' }), makeFinding({ severity: 'low' })], stormContext);
    expect(email.subject).toBe('[LOW] WMIC remote exec storm: 2 new host pairs (digest)');
  });

  it('is UNKNOWN when no pair has a valid severity', () => {
    const odd = makeFinding({ severity: 'severe' as unknown as TrackedFinding['severity'] });
    expect(renderDigest([odd, odd], stormContext).email.subject).toBe('[UNKNOWN] WMIC remote exec storm: 2 new host pairs (digest)');
  });
});
