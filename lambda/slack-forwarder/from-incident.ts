/**
 * An incident message's `default` JSON (finding/1 with `incident` and `pairs`) back into what the
 * notify renderers take, so the forwarder's Slack message tells the same story as Chatbot's: every
 * pair of the message, who reached what, confirmations and the follow-up mark. A pair the payload
 * lists only by its identifying fields (past the list cap) still names its hosts.
 */
import type { TrackedFinding } from '../finding.js';
import { SEVERITIES, type Severity } from '../finding.js';
import type { IncidentView } from '../incidents/index.js';
import { type ChatbotNotification, type RenderLimits, renderIncident } from '../notify/index.js';
import type { NotificationContext } from '../ports.js';
import { findingOf, slackCap } from './from-payload.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Most pairs one incident message carries (notify's INCIDENT_MESSAGE_PAIRS); more in a payload are not ours. */
const MAX_PAIRS = 100;

/** The incident of a payload and how to render it at a limit level; null when the payload is a single pair's. */
export function incidentOf(payload: Json, ctx: NotificationContext): { render: (limits: RenderLimits) => ChatbotNotification } | null {
  const inc = payload.incident;
  if (!isObject(inc) || !Array.isArray(payload.pairs)) return null;
  const rows = payload.pairs.filter(isObject).slice(0, MAX_PAIRS);
  if (rows.length === 0) return null;
  const id = str(inc.id) ?? 'INC-unknown';
  const severity = (SEVERITIES as readonly unknown[]).includes(inc.severity) ? (inc.severity as Severity) : 'low';
  const view: IncidentView = {
    id,
    chain: (Array.isArray(inc.chain) ? inc.chain : []).filter((h): h is string => typeof h === 'string'),
    severity,
    // The payload carries no thread id; the forwarder posts to one channel and does not thread.
    threadId: id,
    pairCount: typeof inc.pairCount === 'number' ? inc.pairCount : rows.length,
  };
  const fs: TrackedFinding[] = rows.map((row) => ({ ...findingOf(row, ctx.hunt.id), incidentId: id }));
  return {
    render: (limits) => {
      const cap = Math.min(...rows.map((row) => slackCap(row, limits.slack)), limits.slack);
      return renderIncident(fs, view, ctx, { ...limits, slack: cap }).chatbot;
    },
  };
}
