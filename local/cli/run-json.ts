/**
 * The `--output json` document, one function per object so later fields slot in beside the
 * others. It is a public interface: fields are added, never renamed or dropped.
 * Times are ISO 8601 (`window` keeps its epoch-ms `from`/`to` and adds ISO siblings, because
 * consumers already read those numbers); query cost is rounded to 6 decimals (no float noise).
 */
import type { TrackedFinding } from '../../lambda/finding.js';
import type { NotificationContext } from '../../lambda/ports.js';
import type { TimeWindow } from '../../lambda/pipeline-types.js';
import type { RunSummary } from '../../lambda/run/index.js';
import type { RunFacts, RunPairs } from './run-report.js';
import { toIncidentsJson, toNotificationJson } from './run-output.js';

/** Version of this document's layout; raised only if a field ever had to change meaning. */
export const JSON_SCHEMA_VERSION = 1;

const iso = (ms: number): string => new Date(ms).toISOString();
/** Query units are fractions: six decimals keep what XSIAM reports without binary noise. */
export const roundCost = (units: number): number => Math.round(units * 1e6) / 1e6;

/** A pair held back: below the minimum severity, or suppressed (with the entry that matched). */
export function toHeldJson(f: TrackedFinding, ctx: NotificationContext): Record<string, unknown> {
  return { ...toNotificationJson(f, ctx), allowlistEntry: f.suppressed ? { ...f.suppressed } : null };
}

export function windowJson(w: TimeWindow | null): Record<string, unknown> | null {
  return w === null ? null : { from: w.from, to: w.to, fromIso: iso(w.from), toIso: iso(w.to) };
}

/** What the run was asked to do: variant, minimum, allowlist, events. */
export function settingsJson(facts: RunFacts): Record<string, unknown> {
  return {
    queryVariant: facts.variant, minSeverity: facts.minSeverity,
    allowlist: { source: facts.allowlistSource, entries: facts.allowlistEntries },
    events: facts.events,
  };
}

/** The whole document of a run that finished. */
export function runDocument(summary: RunSummary, pairs: RunPairs, facts: RunFacts, ctx: NotificationContext): Record<string, unknown> {
  // `checked` is rendered in the pair lists below (host text escaped and capped there), never raw.
  const { notifications, window, queryCost, checked: _checked, ...rest } = summary;
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    ...rest,
    window: windowJson(window),
    queryCost: roundCost(queryCost),
    ...settingsJson(facts),
    incidents: toIncidentsJson(summary.incidents),
    notifications: notifications.map((f) => toNotificationJson(f, ctx)),
    belowMinSeverityPairs: pairs.belowMin.map((f) => toHeldJson(f, ctx)),
    suppressedPairs: pairs.suppressed.map((f) => toHeldJson(f, ctx)),
    // Shadow mode: one entry per pair the run would have sent (`wouldNotify` counts them), same fields as a notification.
    wouldNotifyPairs: facts.shadow === true ? pairs.unsent.map((f) => toNotificationJson(f, ctx)) : [],
  };
}

/** The document of a run that failed: the error, and the pairs it found but could not send. */
export function errorDocument(error: { name: string; message: string; cause: string | null }, facts: RunFacts | null,
  pairs: RunPairs | null, ctx: NotificationContext | null): Record<string, unknown> {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    status: 'failed',
    error,
    ...(facts ? settingsJson(facts) : {}),
    notifications: pairs && ctx ? pairs.notified.map((f) => toNotificationJson(f, ctx)) : [],
    unsentPairs: pairs && ctx ? pairs.unsent.map((f) => toNotificationJson(f, ctx)) : [],
  };
}
