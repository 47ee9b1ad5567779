/**
 * The forwarder is one more consumer of the SNS `default` JSON (`wmic-remote-exec.finding/1` and
 * `.digest/1`): a subscriber of a `MessageStructure: 'json'` message gets its protocol's key, else
 * `default` (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html; a `lambda` key reaches
 * Lambda subscribers, https://dev.classmethod.jp/articles/sns-publish-different-messages-to-multiple-protocols/
 * [secondary source]). The message has no `lambda` key, and adding one would change what every
 * other Lambda subscriber of the documented `default` JSON receives. This file turns that JSON back into the records
 * the notify renderers take, so the Slack message is rendered by the very code that renders the
 * Chatbot notification: same content, same escaping, no second renderer to drift.
 */
import type { Confirmation } from '../confirm/index.js';
import { CONFIRMATION_STATUSES } from '../confirm/index.js';
import type { Severity, TrackedFinding } from '../finding.js';
import type { HuntDefinition } from '../hunts/index.js';
import type { NotificationContext } from '../ports.js';

/** A capped text field as the payload carries it. */
interface TextField {
  readonly value: string | null;
  readonly truncated: boolean;
  readonly length: number;
}

/** Longest original text re-created for a truncation marker (the marker says how long the text was). */
const MAX_ORIGINAL_LENGTH = 16 * 1024 * 1024;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const ms = (v: unknown): number => (typeof v === 'string' ? Date.parse(v) : Number.NaN);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function textField(v: unknown): TextField | null {
  if (!isObject(v)) return null;
  const value = str(v.value);
  return { value, truncated: v.truncated === true, length: num(v.length) ?? value?.length ?? 0 };
}

/**
 * What stands in for the characters a cut field no longer has. Never shown (the cap cuts inside the
 * delivered text), only counted: not whitespace, which the renderers collapse to one space before
 * counting, so spaces made "cut: N more characters" up to 255 too low.
 */
const MISSING = '_';

/**
 * The text a renderer should see for a capped field. A cut field becomes a string as long as the
 * original whose head is the delivered text (MISSING after it): the renderer then cuts inside the
 * real text and its truncation marker states the original length, as it did at publish time.
 * `cap` must not exceed the delivered length (see {@link slackCap}).
 */
function original(field: TextField | null): string | null {
  if (field === null || field.value === null) return null;
  if (!field.truncated) return field.value;
  const length = Math.min(Math.max(field.length, field.value.length + 1), MAX_ORIGINAL_LENGTH);
  return field.value + MISSING.repeat(length - field.value.length);
}

/** Largest Slack cap that still cuts every truncated field inside its delivered text. */
export function slackCap(payload: Json, wanted: number): number {
  let cap = wanted;
  for (const key of ['remoteCommand', 'commandLine']) {
    const f = textField(payload[key]);
    if (f?.truncated && f.value !== null) cap = Math.min(cap, Math.max(1, f.value.length));
  }
  return cap;
}

/** The hunt as far as renderers use it: id, title, version, ATT&CK and response actions. */
function huntOf(payload: Json): HuntDefinition {
  const hunt = isObject(payload.hunt) ? payload.hunt : {};
  return {
    id: str(hunt.id) ?? 'unknown-hunt',
    // Stryker disable next-line StringLiteral: the Slack renderers (this file's only consumers) never read the hunt title (email only)
    title: str(hunt.title) ?? '',
    // Stryker disable next-line StringLiteral: the Slack renderers (this file's only consumers) never read the hunt version (email only)
    version: str(hunt.version) ?? '',
    // Stryker disable next-line StringLiteral: the Slack renderers (this file's only consumers) never read the hunt description (email only)
    description: '',
    riskScore: 0,
    severity: 'low',
    falsePositiveRate: 'low',
    attack: list(payload.attack).filter(isObject).map((a) => ({
      // Stryker disable next-line StringLiteral: the technique name reaches no Slack text (Chatbot shows technique and tactic ids and the tactic name; only the email names the technique)
      tacticId: str(a.tacticId) ?? '', tactic: str(a.tactic) ?? '', techniqueId: str(a.techniqueId) ?? '', technique: str(a.technique) ?? '',
    })),
    // Stryker disable next-line StringLiteral: the Slack renderers (this file's only consumers) never read the hunt's queries (email only)
    queries: { seed: '', broadened: '' },
    // Stryker disable next-line ArrayDeclaration: the Slack renderers (this file's only consumers) never read false positives (email only)
    falsePositives: [],
    responseActions: list(payload.responseActions).filter((a): a is string => typeof a === 'string'),
    // Stryker disable next-line ArrayDeclaration: the Slack renderers (this file's only consumers) never read references (email only)
    references: [],
  };
}

/** The notification context a payload was rendered in. */
export function contextOf(payload: Json): NotificationContext {
  const window = isObject(payload.window) ? payload.window : {};
  const totals = isObject(payload.totals) ? payload.totals : {};
  return {
    hunt: huntOf(payload),
    window: { from: ms(window.from), to: ms(window.to) },
    // Stryker disable next-line StringLiteral: the run id reaches only the Chatbot id and additionalContext, which Block Kit does not show
    runId: str(payload.runId) ?? '',
    totals: {
      findings: num(totals.findings) ?? 0,
      newPairs: num(totals.newPairs) ?? 0,
      repeats: num(totals.repeats) ?? 0,
      suppressed: num(totals.suppressed) ?? 0,
    },
  };
}

/** One pair of the payload (a finding/1 document or a digest's topPairs row) as a TrackedFinding. */
export function findingOf(p: Json, huntId: string): TrackedFinding {
  // Stryker disable next-line StringLiteral: a reason's detail reaches no Slack text (Chatbot lists reason codes only; the detail is email only)
  const reasons = list(p.reasons).filter(isObject).map((r) => ({ code: str(r.code) ?? '', points: num(r.points) ?? 0, detail: str(r.detail) ?? '' }));
  const remote = isObject(p.remoteCommand) ? original(textField(p.remoteCommand)) : str(p.remoteCommand);
  // Renderers are written for malformed records (asText, display fallbacks): missing values stay
  // null or NaN here and come out as "(unknown)" / "unknown time", exactly as they would have.
  return {
    huntId,
    fingerprint: str(p.fingerprint) ?? '',
    sourceHost: str(p.sourceHost) as string,
    targetHost: str(p.targetHost) as string,
    remoteCommand: remote,
    commandLine: original(textField(p.commandLine)) as string,
    user: str(p.user),
    lineUser: str(p.lineUser),
    parentImage: str(p.parentImage),
    parentCommandLine: original(textField(p.parentCommandLine)),
    causalitySha256: str(p.causalitySha256),
    agentId: str(p.agentId),
    // Stryker disable next-line ConditionalExpression,EqualityOperator: eventIds reach no Slack text (only the card drill-down reads them, and findingOf sets no keyFields)
    eventIds: list(p.eventIds).filter((e): e is string => typeof e === 'string'),
    firstSeen: ms(p.firstSeen),
    lastSeen: ms(p.lastSeen),
    riskScore: num(p.riskScore) as number,
    severity: str(p.severity) as Severity,
    reasons,
    suppressed: null,
    count: num(p.count) as number,
    status: 'NOTIFIED',
    ...(confirmationOf(p.confirmation) ?? {}),
    ...(p.followUp === true ? { followUp: true } : {}),
    // The late notice ("arrived 30 h after it happened") is rendered from these.
    // Stryker disable next-line ConditionalExpression: arrivedLateMs null reads as absent: arrivedLate() is false for null (null >= 15 min is false), so no late notice either way
    ...(num(p.arrivedLateMs) === null ? {} : { arrivedLateMs: num(p.arrivedLateMs) as number }),
    // Stryker disable next-line ObjectLiteral: arrivedAt reaches no Slack text (the late notice reads arrivedLateMs only)
    ...(Number.isFinite(ms(p.arrivedAt)) ? { arrivedAt: ms(p.arrivedAt) } : {}),
  };
}

/** The `confirmation` object of a payload (payload.ts confirmationPart) as the renderers take it, when it is one. */
function confirmationOf(v: unknown): { confirmation: Confirmation } | null {
  if (!isObject(v) || !(CONFIRMATION_STATUSES as readonly unknown[]).includes(v.status)) return null;
  const at = ms(v.time);
  return {
    confirmation: {
      status: v.status as Confirmation['status'],
      // Stryker disable next-line StringLiteral: the Slack confirmation line shows status and evidence, never the target (email only)
      target: str(v.target) ?? '',
      eventId: str(v.eventId),
      time: Number.isNaN(at) ? null : at,
      process: str(v.process),
      commandLine: str(v.commandLine),
      user: str(v.user),
      agentId: str(v.agentId),
      agentHostname: str(v.agentHostname),
      // Stryker disable next-line StringLiteral: the Slack confirmation line never shows what was checked (email only)
      detail: str(v.detail) ?? '',
    },
  };
}
