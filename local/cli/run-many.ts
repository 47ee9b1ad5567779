/**
 * One `--output json` document for a run of several hunts. The first hunt's document is the
 * top level, exactly as a single-hunt run writes it (the flagship's fields keep their meaning);
 * `notifications`, `incidents`, `belowMinSeverityPairs` and `suppressedPairs` gain every other
 * hunt's entries (each names its `huntId`); `hunts` lists each hunt's own summary.
 */
import type { NotificationContext } from '../../lambda/ports.js';
import type { RunSummary } from '../../lambda/run/index.js';
import type { RunPairs } from './run-report.js';

/** One hunt's part of a local run. */
export interface HuntRun {
  readonly summary: RunSummary;
  readonly pairs: RunPairs;
  readonly ctx: NotificationContext;
  /** Console notifications rendered during this hunt's run. */
  readonly messages: readonly string[];
}

const LISTS = ['notifications', 'incidents', 'belowMinSeverityPairs', 'suppressedPairs', 'wouldNotifyPairs'] as const;

export function manyHuntsDocument(runs: readonly (HuntRun & { readonly document: Record<string, unknown> })[]): Record<string, unknown> {
  const [first] = runs;
  if (first === undefined) return { hunts: [] };
  const merged: Record<string, unknown> = { ...first.document };
  for (const list of LISTS) {
    merged[list] = runs.flatMap((r) => (Array.isArray(r.document[list]) ? (r.document[list] as unknown[]) : []));
  }
  merged['hunts'] = runs.map((r) => {
    const own: Record<string, unknown> = { title: r.ctx.hunt.title };
    for (const [key, value] of Object.entries(r.document)) if (!(LISTS as readonly string[]).includes(key)) own[key] = value;
    return own;
  });
  return merged;
}
