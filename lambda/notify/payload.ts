/**
 * The `default` JSON for SQS, Lambda and email-json subscribers: a stable, versioned shape
 * (documented in README.md). Text is exact (redacted, well-formed UTF-8) rather than made
 * visible, since JSON.stringify escapes it; long text is capped and flagged.
 */
import type { TrackedFinding } from '../finding.js';
import type { NotificationContext } from '../ports.js';
import { DEFAULT_LIMITS, SHORT_TEXT, type RenderLimits } from './limits.js';
import { isoTime, machineText } from './sanitize.js';
import { drillDownXql } from './xql.js';
import { confirmationOf } from './confirmation.js';

/** Schema id of a per-pair payload; bump the version on any breaking change. */
export const FINDING_SCHEMA = 'wmic-remote-exec.finding/1';
/** Schema id of a storm digest payload. */
export const DIGEST_SCHEMA = 'wmic-remote-exec.digest/1';

/** A capped text value: `value` is the (possibly cut) text, `truncated` and `length` tell what was cut. */
export interface TextField {
  readonly value: string | null;
  readonly truncated: boolean;
  /** Length of the full value in UTF-16 units. */
  readonly length: number;
}

/** Capped text, keeping null as null. */
export function textField(value: unknown, max: number): TextField {
  if (value === null || value === undefined) return { value: null, truncated: false, length: 0 };
  const { text, truncated, originalLength } = machineText(value, max);
  return { value: text, truncated, length: originalLength };
}

/** Short string or null (host, user, ids): capped, no truncation flag. */
export function shortText(value: unknown, max = SHORT_TEXT): string | null {
  if (value === null || value === undefined) return null;
  return machineText(value, max).text;
}

/** Finite number or null. */
export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** ISO time or null. */
export function time(value: unknown): string | null {
  const iso = isoTime(value);
  return iso === 'unknown time' ? null : iso;
}

/** The run-level part every payload carries. */
export function runPart(ctx: NotificationContext): Record<string, unknown> {
  return {
    hunt: { id: ctx.hunt.id, title: ctx.hunt.title, version: ctx.hunt.version },
    runId: shortText(ctx.runId),
    window: { from: time(ctx.window.from), to: time(ctx.window.to) },
    attack: ctx.hunt.attack.map((a) => ({ ...a })),
  };
}

/**
 * Renders the `default` JSON object of one finding (schema `wmic-remote-exec.finding/1`).
 * @param limits - caps on attacker-controlled text; @default DEFAULT_LIMITS
 */
export function renderDefault(f: TrackedFinding, ctx: NotificationContext, limits: RenderLimits = DEFAULT_LIMITS): object {
  const eventIds = Array.isArray(f.eventIds) ? f.eventIds : [];
  const reasons = Array.isArray(f.reasons) ? f.reasons : [];
  return {
    schema: FINDING_SCHEMA,
    kind: 'finding',
    ...runPart(ctx),
    fingerprint: shortText(f.fingerprint, 128),
    sourceHost: shortText(f.sourceHost),
    targetHost: shortText(f.targetHost),
    remoteCommand: textField(f.remoteCommand, limits.json),
    commandLine: textField(f.commandLine, limits.json),
    user: shortText(f.user),
    lineUser: shortText(f.lineUser),
    parentImage: shortText(f.parentImage),
    parentCommandLine: textField(f.parentCommandLine, limits.json),
    decodedScript: textField(f.decodedScript ?? null, limits.json),
    causalitySha256: shortText(f.causalitySha256, 128),
    agentId: shortText(f.agentId, 128),
    riskScore: num(f.riskScore),
    severity: shortText(f.severity, 16),
    reasons: reasons.slice(0, limits.list).map((r) => ({
      code: shortText(r?.code, 128),
      points: num(r?.points),
      detail: shortText(r?.detail, 1_000),
    })),
    count: num(f.count),
    firstSeen: time(f.firstSeen),
    lastSeen: time(f.lastSeen),
    eventIds: eventIds.slice(0, limits.list).map((id) => shortText(id, 128)),
    eventIdsTotal: eventIds.length,
    parentDecodedScript: textField(f.parentDecodedScript ?? null, limits.json),
    suppressed: f.suppressed
      ? {
          entryId: shortText(f.suppressed.entryId, 128),
          owner: shortText(f.suppressed.owner),
          reason: shortText(f.suppressed.reason, 1_000),
          expires: shortText(f.suppressed.expires, 32),
        }
      : null,
    responseActions: [...ctx.hunt.responseActions],
    drillDownXql: drillDownXql(f, ctx),
    confirmation: confirmationPart(f, limits),
    followUp: f.followUp === true,
    // One contract for every hunt: which hunt, and the host the evidence is on.
    huntId: shortText(f.huntId, 128),
    host: shortText(f.host ?? f.sourceHost),
    ...(f.keyFields && { keyFields: Object.fromEntries(Object.entries(f.keyFields).slice(0, limits.list).map(([k, v]) => [shortText(k, 128), textField(v, limits.json)])) }),
    arrivedAt: time(f.arrivedAt),
    arrivedLateMs: num(f.arrivedLateMs),
    omittedPairs: num(f.omittedPairs ?? 0),
  };
}

/**
 * The `confirmation` object (the fields of lambda/confirm's confirmationJson), or null when no
 * target-side check ran. Text from the target's events is capped like every other field.
 */
export function confirmationPart(f: TrackedFinding, limits: RenderLimits = DEFAULT_LIMITS): Record<string, unknown> | null {
  const c = confirmationOf(f);
  if (c === null) return null;
  return {
    status: c.status,
    target: shortText(c.target),
    eventId: shortText(c.eventId, 128),
    time: time(c.time),
    process: shortText(c.process),
    commandLine: textField(c.commandLine, limits.json).value,
    user: shortText(c.user),
    agentId: shortText(c.agentId, 128),
    agentHostname: shortText(c.agentHostname),
    detail: shortText(c.detail, 1_000),
  };
}
