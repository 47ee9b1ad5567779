/**
 * Which message each pair goes in: the pairs of one incident (TrackedFinding.incidentId, known to
 * the context) share one message; a pair without an incident gets its own, as before incidents.
 */
import type { TrackedFinding } from '../finding.js';
import type { IncidentView } from '../incidents/index.js';
import type { NotificationContext, PublishOutcome } from '../ports.js';
import { RenderError } from './errors.js';
import { type SnsMessage, composeIncident } from './message.js';
import { asText, display } from './sanitize.js';

export interface MessageGroup {
  readonly incident: IncidentView | null;
  readonly findings: TrackedFinding[];
}

/**
 * Most pairs one incident message covers. A wider fan-out (one row naming 300 targets) is told in
 * several messages of the same incident and thread, so each fits SNS's 256 KiB whatever it holds.
 */
export const INCIDENT_MESSAGE_PAIRS = 100;

/** Groups in the order of each group's first pair; an incident past INCIDENT_MESSAGE_PAIRS is split. */
export function messageGroups(findings: readonly TrackedFinding[], ctx: NotificationContext): MessageGroup[] {
  return byIncident(findings, ctx).flatMap((g) => {
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: `false`, `&&` and `<` are equivalent (the `true` and `>` mutants, killed by test/notify/incident.test.ts, share the line): the loop below yields the same one group for a pair without incident (always one pair) and for an incident of at most INCIDENT_MESSAGE_PAIRS pairs; the check only skips the copy
    if (g.incident === null || g.findings.length <= INCIDENT_MESSAGE_PAIRS) return [g];
    const parts: MessageGroup[] = [];
    for (let i = 0; i < g.findings.length; i += INCIDENT_MESSAGE_PAIRS) parts.push({ incident: g.incident, findings: g.findings.slice(i, i + INCIDENT_MESSAGE_PAIRS) });
    return parts;
  });
}

function byIncident(findings: readonly TrackedFinding[], ctx: NotificationContext): MessageGroup[] {
  const known = new Map((ctx.incidents ?? []).map((i) => [i.id, i]));
  const groups: MessageGroup[] = [];
  const byIncident = new Map<string, MessageGroup>();
  for (const f of findings) {
    const incident = typeof f?.incidentId === 'string' ? known.get(f.incidentId) : undefined;
    if (incident === undefined) {
      groups.push({ incident: null, findings: [f] });
      continue;
    }
    const group = byIncident.get(incident.id);
    if (group) group.findings.push(f);
    else {
      const created = { incident, findings: [f] };
      byIncident.set(incident.id, created);
      groups.push(created);
    }
  }
  return groups;
}

type Failure = PublishOutcome['failed'][number];

/**
 * The message of one incident group. A pair that cannot be rendered fails alone: the others of
 * its incident are still told together.
 */
export function composeIncidentGroup(
  incident: IncidentView,
  fs: readonly TrackedFinding[],
  ctx: NotificationContext,
  fail: (fingerprint: string, error: unknown) => Failure,
): { messages: SnsMessage[]; failed: Failure[] } {
  // Stryker disable next-line BlockStatement: equivalent: without the whole-group attempt the pair-by-pair path below sends the same one message (every pair renders alone) and the same failures
  try {
    return { messages: [composeIncident(fs, incident, ctx)], failed: [] };
  // Stryker disable next-line BlockStatement: equivalent: for one pair the pair-by-pair path below fails it with the same fingerprint (a RenderError carries asText(fs[0]?.fingerprint)) and the same error text
  } catch (error) {
    // Stryker disable next-line BlockStatement: equivalent: the pair-by-pair path below fails the one pair with the same fingerprint and error text
    if (fs.length === 1) {
      const fingerprint = error instanceof RenderError ? error.fingerprint : asText(fs[0]?.fingerprint);
      return { messages: [], failed: [fail(fingerprint, error)] };
    }
  }
  const failed: Failure[] = [];
  const good = fs.filter((f) => {
    try {
      composeIncident([f], incident, ctx);
      return true;
    } catch (error) {
      failed.push(fail(asText(f?.fingerprint), error));
      return false;
    }
  });
  // Stryker disable next-line ConditionalExpression: `false` is equivalent (`true` is killed by test/notify/incident.test.ts): composeIncident([]) throws (no lead pair), and the catch below then returns the same failures and no message
  if (good.length === 0) return { messages: [], failed };
  try {
    return { messages: [composeIncident(good, incident, ctx)], failed };
  } catch (error) {
    // Stryker disable next-line OptionalChaining: equivalent: every pair in `good` rendered alone, which a null record cannot
    return { messages: [], failed: [...failed, ...good.map((f) => fail(display(f?.fingerprint, 128, ''), error))] };
  }
}
