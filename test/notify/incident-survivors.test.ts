/**
 * The one message of an incident over its new pairs, as the analyst reads it: the SNS subject
 * (every target named in quotes, cut only where the 99-character subject needs it), the email's
 * head (who reached what, pivots), the per-pair sections and the note on pairs left out, and the
 * `followUp` flag of each pair in the `default` JSON that subscribers filter on.
 */
import { describe, expect, it } from 'vitest';
import type { TrackedFinding } from '../../lambda/finding.js';
import type { IncidentView } from '../../lambda/incidents/index.js';
import { renderEmail } from '../../lambda/notify/email.js';
import { incidentSubject, renderIncident } from '../../lambda/notify/incident.js';
import { DEFAULT_LIMITS } from '../../lambda/notify/limits.js';
import { T0, makeContext, makeFinding } from '../fixtures/notify/findings.js';

const INC: IncidentView = { id: 'INC-0A1B2C3D4E', chain: ['WKS-A', 'FS01', 'dc01'], severity: 'critical', threadId: 'INC-0A1B2C3D4E', pairCount: 5 };
const MIN = 60_000;
const ctx = makeContext({ incidents: [INC] });

describe('the incident subject', () => {
  // `[CRITICAL] WMIC incident INC-0A1B2C3D4E: "WKS-FIN-042" -> ` and ` (1 new pair)` leave 28
  // characters: a lone target gets them all, its quotes included.
  const lone = (target: string): string => incidentSubject(INC, [makeFinding({ targetHost: target, incidentId: INC.id })]);

  it('names a lone target whole when it fills the subject to its 99 characters', () => {
    const subject = lone('t'.repeat(26));
    expect(subject).toBe(`[CRITICAL] WMIC incident INC-0A1B2C3D4E: "WKS-FIN-042" -> "${'t'.repeat(26)}" (1 new pair)`);
    expect(subject).toHaveLength(99);
  });

  it('cuts a lone target one character longer inside its quotes, keeping the pair count', () => {
    expect(lone('t'.repeat(27))).toBe(`[CRITICAL] WMIC incident INC-0A1B2C3D4E: "WKS-FIN-042" -> "${'t'.repeat(23)}..." (1 new pair)`);
  });

  // With ` (2 new pairs)` 27 characters are left; in a list each name keeps at most 15.
  const two = (first: string): string =>
    incidentSubject(INC, [
      makeFinding({ targetHost: first, severity: 'critical', riskScore: 99, incidentId: INC.id }),
      makeFinding({ targetHost: 'dc01', severity: 'high', riskScore: 80, incidentId: INC.id }),
    ]);

  it('names each of several targets whole up to 15 characters', () => {
    expect(two('a'.repeat(15))).toBe(`[CRITICAL] WMIC incident INC-0A1B2C3D4E: "WKS-FIN-042" -> "${'a'.repeat(15)}", "dc01" (2 new pairs)`);
  });

  it('cuts one of several targets at 16 characters, so the next target still shows', () => {
    expect(two('a'.repeat(16))).toBe(`[CRITICAL] WMIC incident INC-0A1B2C3D4E: "WKS-FIN-042" -> "${'a'.repeat(12)}...", "dc01" (2 new pairs)`);
  });
});

/** Two sources reaching FS01, which then reaches dc01: a pivot reached from two hosts. */
function pivotPairs(): TrackedFinding[] {
  return [
    makeFinding({ sourceHost: 'WKS-A', targetHost: 'FS01', severity: 'high', riskScore: 80, firstSeen: T0, incidentId: INC.id }),
    makeFinding({ sourceHost: 'WKS-B', targetHost: 'FS01', severity: 'medium', riskScore: 60, firstSeen: T0 + MIN, incidentId: INC.id }),
    makeFinding({ sourceHost: 'FS01', targetHost: 'dc01', severity: 'critical', riskScore: 99, firstSeen: T0 + 2 * MIN, incidentId: INC.id }),
  ];
}

const email = (fs: readonly TrackedFinding[], list: number): string[] => renderIncident(fs, INC, ctx, { ...DEFAULT_LIMITS, list }).email.body.split('\n');

describe('the incident email', () => {
  it('opens with the incident, who reached what (every pivot source named) and the pairs', () => {
    expect(email(pivotPairs(), 3).slice(0, 14)).toEqual([
      'INCIDENT INC-0A1B2C3D4E: 3 new pairs to 2 target(s), highest severity CRITICAL',
      '5 pair(s) in the incident so far; later pairs are sent under the same incident id (and to the same Slack thread).',
      '',
      'WHO REACHED WHAT (one line per source; host names in quotes are as the endpoints reported them)',
      '  "FS01" -> "dc01"   (pivot: reached from "WKS-A", "WKS-B")',
      '  "WKS-A" -> "FS01"',
      '  "WKS-B" -> "FS01"',
      '',
      'PAIRS (most severe first)',
      '  1. "FS01" -> "dc01"  CRITICAL, risk 99, first seen 2026-03-14T09:28:53.000Z',
      '  2. "WKS-A" -> "FS01"  HIGH, risk 80, first seen 2026-03-14T09:26:53.000Z',
      '  3. "WKS-B" -> "FS01"  MEDIUM, risk 60, first seen 2026-03-14T09:27:53.000Z',
      '',
      `==== PAIR 1 of 3 ${'='.repeat(60)}`,
    ]);
  });

  it('details every pair when they are exactly as many as the list limit, and adds nothing after the last', () => {
    const fs = pivotPairs();
    const body = email(fs, 3).join('\n');
    expect(body).toContain(`\n\n==== PAIR 3 of 3 ${'='.repeat(60)}\n`);
    // the least severe pair's own email is the end of the message
    expect(body.endsWith(`\n${renderEmail(fs[1] as TrackedFinding, ctx, { ...DEFAULT_LIMITS, list: 3 }).body}`)).toBe(true);
  });

  it('counts the one pair a list limit one lower leaves out, after a blank line', () => {
    const body = email(pivotPairs(), 2);
    expect(body.filter((l) => l.startsWith('==== PAIR'))).toHaveLength(2);
    expect(body.slice(-2)).toEqual(['', '(1 more pair(s) listed above; details in the JSON payload and XSIAM.)']);
  });
});

describe('the followUp flag of each pair in the default JSON', () => {
  it('is true only for a pair sent as a follow-up', () => {
    const fs = [
      makeFinding({ targetHost: 'fs01', firstSeen: T0, followUp: true, incidentId: INC.id }),
      makeFinding({ targetHost: 'fs02', firstSeen: T0 + MIN, incidentId: INC.id }),
    ];
    // as a subscriber reads it: the `default` JSON off the wire
    const { pairs } = JSON.parse(JSON.stringify(renderIncident(fs, INC, ctx, DEFAULT_LIMITS).default)) as { pairs: { targetHost: string; followUp: boolean }[] };
    expect(pairs.map((p) => [p.targetHost, p.followUp])).toEqual([
      ['fs01', true],
      ['fs02', false],
    ]);
  });
});
