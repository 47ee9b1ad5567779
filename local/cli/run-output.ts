/** How `npm run hunt` prints a run: a readable summary, or JSON objects for --output json. */
import type { TrackedFinding } from '../../lambda/finding.js';
import { confirmationPart, drillDownXql } from '../../lambda/notify/index.js';
import type { NotificationContext } from '../../lambda/ports.js';
import type { RunSummary } from '../../lambda/run/index.js';

/**
 * One notified pair in `--output json`. `drillDownXql` is the query the notification carries and
 * `eventIds` the events behind the pair: `npm run hunt -- xql --events FILE --query "$drillDownXql"`
 * over the same events finds them.
 */
export function toNotificationJson(f: TrackedFinding, ctx: NotificationContext): Record<string, unknown> {
  return {
    source: f.sourceHost, target: f.targetHost, severity: f.severity, riskScore: f.riskScore,
    remoteCommand: f.remoteCommand, count: f.count, user: f.user, parent: f.parentImage,
    firstSeen: new Date(f.firstSeen).toISOString(), lastSeen: new Date(f.lastSeen).toISOString(),
    reasons: f.reasons.map((r) => r.code), fingerprint: f.fingerprint,
    drillDownXql: drillDownXql(f, ctx), eventIds: [...f.eventIds],
    // The target-side check (null when none ran): status, and the target's event as evidence.
    confirmation: confirmationPart(f),
  };
}

export function formatSummary(s: RunSummary): string {
  const window = s.window ? `${iso(s.window.from)} → ${iso(s.window.to)}` : '(none)';
  const lines = [
    '',
    `── Run summary (${s.huntId}) ──`,
    `window        ${window}  (${s.chunks} quer${s.chunks === 1 ? 'y' : 'ies'})`,
    `rows          ${s.rows}`,
    `findings      ${s.findings} host pair(s) in the window`,
    `new pairs     ${s.newPairs}`,
    `repeats       ${s.repeats}  (already notified inside the dedupe window: counted, not re-sent)`,
    `recovered     ${s.recovered}  (claimed by an earlier run but never notified)`,
    `suppressed    ${s.suppressed}  (allowlisted)`,
    `below min     ${s.belowMinSeverity}  (under the minimum severity)`,
    `notified      ${s.notified} in ${s.messages} message(s)${s.digests > 0 ? ' — storm digest sent instead of per-pair messages' : ''}`,
    `query cost    ${s.queryCost.toFixed(6)} units, ${s.httpCalls} HTTP call(s)`,
    `on target     ${s.confirmed} confirmed, ${s.notSeen} not seen, ${s.unmanaged} unmanaged, ${s.unavailable} unavailable` +
      `${s.followUps > 0 ? `; ${s.followUps} follow-up(s)` : ''} (${s.confirmQueries} quer${s.confirmQueries === 1 ? 'y' : 'ies'}, ` +
      `${s.confirmQueryCost.toFixed(6)} units, ${s.confirmHttpCalls} HTTP call(s))`,
    `duration      ${s.durationMs} ms`,
  ];
  if (s.rowProblems > 0) lines.push(`row problems  ${s.rowProblems} row(s) could not be analysed (see warnings)`);
  if (s.expiredAllowlistEntries.length > 0) lines.push(`expired allowlist entries: ${s.expiredAllowlistEntries.join(', ')}`);
  if (s.notified === 0) lines.push('', s.repeats > 0 ? 'No new host pairs: everything seen was already notified.' : 'No new host pairs.');
  return `${lines.join('\n')}\n`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
