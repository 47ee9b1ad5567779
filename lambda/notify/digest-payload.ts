/**
 * The storm digest's `default` JSON (DIGEST_SCHEMA): a public interface, so fields are added,
 * never renamed or dropped.
 */
import type { NotificationContext } from '../ports.js';
import type { Digest } from './digest-rank.js';
import { topScore } from './digest-rank.js';
import type { RenderLimits } from './limits.js';
import { DIGEST_SCHEMA, num, runPart, shortText, textField, time } from './payload.js';
import { runWindowXql } from './xql.js';

/** Renders the digest's `default` JSON. */
export function renderDigestDefault(d: Digest, ctx: NotificationContext, limits: RenderLimits): object {
  const fingerprintCap = limits.list * 20;
  return {
    schema: DIGEST_SCHEMA,
    kind: 'digest',
    ...runPart(ctx),
    replacesPerPairMessages: true,
    statement: d.statement,
    stormLimit: d.stormLimit,
    totals: { ...ctx.totals },
    pairCount: d.ranked.length,
    highestSeverity: d.severity,
    // Same names as a finding's, so one MessageBody filter policy routes findings and digests.
    severity: d.severity,
    riskScore: topScore(d.ranked),
    topPairs: d.ranked.slice(0, limits.list).map((f) => ({
      fingerprint: shortText(f.fingerprint, 128),
      sourceHost: shortText(f.sourceHost),
      targetHost: shortText(f.targetHost),
      remoteCommand: textField(f.remoteCommand, Math.min(1_000, limits.json)),
      user: shortText(f.user),
      riskScore: num(f.riskScore),
      severity: shortText(f.severity, 16),
      count: num(f.count),
      firstSeen: time(f.firstSeen),
      lastSeen: time(f.lastSeen),
      arrivedLateMs: num(f.arrivedLateMs),
    })),
    fingerprints: d.ranked.slice(0, fingerprintCap).map((f) => shortText(f.fingerprint, 128)),
    fingerprintsTruncated: d.ranked.length > fingerprintCap,
    drillDownXql: runWindowXql(ctx),
    // As in a finding: one MessageBody filter policy on huntId selects a hunt's findings and digests.
    huntId: shortText(ctx.hunt.id, 128),
  };
}
