/** How `npm run hunt` prints a run: the closing summary, and each notification as JSON (run-json.ts builds the document). */
import type { TrackedFinding } from '../../lambda/finding.js';
import type { IncidentSummary } from '../../lambda/incidents/index.js';
import { confirmationPart, drillDownXql } from '../../lambda/notify/index.js';
import type { NotificationContext } from '../../lambda/ports.js';
import type { RunSummary } from '../../lambda/run/index.js';
import type { RunFacts, RunPairs } from './run-report.js';

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
    // `reasons` were codes until schemaVersion 1 made them objects (the issue's contract); the codes stay in `reasonCodes`
    reasons: f.reasons.map((r) => ({ code: r.code, points: r.points, detail: r.detail })), fingerprint: f.fingerprint,
    drillDownXql: drillDownXql(f, ctx), eventIds: [...f.eventIds],
    reasonCodes: f.reasons.map((r) => r.code),
    commandLine: f.commandLine, lineUser: f.lineUser, decodedScript: f.decodedScript ?? null,
    parentDecodedScript: f.parentDecodedScript ?? null,
    incidentId: f.incidentId ?? null,
    // How long after it happened its earliest-arrived event reached XSIAM (`_insert_time` − `_time`); null: unknown.
    arrivedLateMs: f.arrivedLateMs ?? null,
    // The target-side check (null when none ran): status, and the target's event as evidence.
    confirmation: confirmationPart(f),
    huntId: f.huntId, host: f.host ?? f.sourceHost,
    ...(f.keyFields && { keyFields: { ...f.keyFields } }),
  };
}

/** The run's incidents in `--output json`: the chain in order of first reach, every pair, ISO times. */
export function toIncidentsJson(incidents: readonly IncidentSummary[]): Record<string, unknown>[] {
  return incidents.map((i) => ({
    id: i.id, chain: [...i.chain], pairs: i.pairs.map((p) => ({ source: p.source, target: p.target })),
    severity: i.severity, firstSeen: new Date(i.firstSeen).toISOString(), lastSeen: new Date(i.lastSeen).toISOString(),
  }));
}

export function formatSummary(s: RunSummary, pairs?: RunPairs, facts?: RunFacts): string {
  const window = s.window ? `${iso(s.window.from)} → ${iso(s.window.to)}` : '(none)';
  const min = facts?.minSeverity ?? 'the minimum';
  const lines = [
    '',
    `── Run summary (${s.huntId}${facts ? `, query variant ${facts.variant}` : ''}) ──`,
    `window        ${window}  (${s.chunks} quer${s.chunks === 1 ? 'y' : 'ies'})`,
    `rows          ${s.rows}${facts?.events ? `  (of ${facts.events.rows} read from ${facts.events.file}, ${facts.events.format})` : ''}`,
  ];
  if (facts?.events && facts.events.fieldsShaped > 0) {
    lines.push(`              ${facts.events.fieldsShaped} row(s) in the hunt's own fields shape: taken as already filtered by the hunt's query`);
  }
  lines.push(
    `findings      ${s.findings} host pair(s) in the window`,
    `new pairs     ${s.newPairs}`,
    `repeats       ${s.repeats}  (already notified inside the dedupe window: counted, not re-sent)`,
    `recovered     ${s.recovered}  (claimed by an earlier run but never notified)`,
    `suppressed    ${s.suppressed}  (allowlisted${facts ? `: ${facts.allowlistSource} allowlist, ${facts.allowlistEntries} entr${facts.allowlistEntries === 1 ? 'y' : 'ies'}` : ''})`,
    `below min     ${s.belowMinSeverity}  (under the minimum severity${facts ? ` ${min}` : ''})`,
    `notified      ${s.notified} in ${s.messages} message(s)${facts ? ` to ${facts.sink}` : ''}${s.digests > 0 ? ' — storm digest sent instead of per-pair messages' : ''}`,
    ...(s.wouldNotify > 0 ? [`would notify  ${s.wouldNotify}  (shadow mode: nothing sent; the pairs stay new for a live run)`] : []),
    `query cost    ${s.queryCost.toFixed(6)} units, ${s.httpCalls} HTTP call(s)`,
    `on target     ${s.confirmed} confirmed, ${s.notSeen} not seen, ${s.unmanaged} unmanaged, ${s.unavailable} unavailable` +
      `${s.followUps > 0 ? `; ${s.followUps} follow-up(s)` : ''} (${s.confirmQueries} quer${s.confirmQueries === 1 ? 'y' : 'ies'}, ` +
      `${s.confirmQueryCost.toFixed(6)} units, ${s.confirmHttpCalls} HTTP call(s))`,
    `duration      ${s.durationMs} ms`,
  );
  lines.push(historyLine(s));
  if (s.rowProblems > 0) lines.push(`row problems  ${s.rowProblems} row(s) could not be analysed (see warnings)`);
  if (s.expiredAllowlistEntries.length > 0) lines.push(`expired allowlist entries: ${s.expiredAllowlistEntries.join(', ')}`);
  lines.push('', closing(s, min, pairs, facts?.shadow === true));
  return `${lines.join('\n')}\n`;
}

/** The last line: true about what was found, sent, held below the minimum and suppressed. */
function closing(s: RunSummary, min: string, pairs?: RunPairs, shadow = false): string {
  if (s.status === 'up-to-date') return 'Nothing to hunt: the window was already covered.';
  const held = [
    s.belowMinSeverity > 0 ? `${s.belowMinSeverity} held below the minimum severity ${min}` : '',
    s.suppressed > 0 ? `${s.suppressed} suppressed by the allowlist` : '',
  ].filter(Boolean);
  const heldText = held.length > 0 ? `; ${held.join(', ')} (list them: --show all)` : '';
  const repeats = s.repeats > 0 ? `; ${s.repeats} already notified earlier (repeats)` : '';
  const unsent = pairs && pairs.unsent.length > 0
    ? (shadow ? `; ${pairs.unsent.length} would have been sent (shadow mode: nothing sent)` : `; ${pairs.unsent.length} NOT sent (stay PENDING)`) : '';
  if (s.findings === 0) return 'No host pairs found in the window.';
  return `${s.findings} host pair(s) found: ${shadow ? 'none sent (shadow mode)' : `${s.notified} notified`}${heldText}${repeats}${unsent}.`;
}

/** Where history stands: warming up (and how far), or what it raised and lowered. */
function historyLine(s: RunSummary): string {
  const h = s.history;
  if (h === null) return 'history       (no chunk hunted)';
  if (!h.available) return 'history       unavailable: could not be read; pairs judged without it (see warnings)';
  if (h.warmingUp) return `history       warming up (${h.coveredDays} of ${h.minCoverageDays} days covered): no history reasons yet`;
  return `history       ${h.coveredDays} of the last ${h.baselineDays} days covered; first-time sources ${s.firstSources}, routine sources ${s.routineSources} (lowered)`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
