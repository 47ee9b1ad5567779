/**
 * What an invocation asks for, read strictly from its event. A scheduled tick (or any event
 * without `action`) is a scheduled run; the backfill state machine sends `plan-backfill`,
 * `hunt-window` per chunk and `backfill-summary`; the daily rule sends `shadow-report`.
 * A malformed event is an InvalidEventError naming every problem (never a run over a guessed window).
 */
import type { TimeWindow } from './pipeline-types.js';

export type HuntAction =
  | { readonly action: 'scheduled' }
  | { readonly action: 'hunt-window'; readonly window: TimeWindow; readonly shadow: boolean }
  | { readonly action: 'plan-backfill'; readonly range: TimeWindow; readonly chunkMinutes: number | null; readonly shadow: boolean }
  | { readonly action: 'backfill-summary'; readonly results: readonly unknown[] }
  | { readonly action: 'shadow-report' };

export const ACTIONS = ['hunt-window', 'plan-backfill', 'backfill-summary', 'shadow-report'] as const;

export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid event: ${problems.join('; ')}`);
  }
}

/** Epoch ms of an ISO 8601 time with a zone, or of a non-negative integer of epoch ms. */
function instant(v: unknown, label: string, problems: string[]): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(v) && Number.isFinite(Date.parse(v))) return Date.parse(v);
  problems.push(`${label} must be an ISO 8601 time with a zone (e.g. 2026-11-28T00:00:00Z) or epoch milliseconds (got ${JSON.stringify(v)?.slice(0, 60)})`);
  return 0;
}

function windowOf(o: Record<string, unknown>, label: string, problems: string[]): TimeWindow {
  const before = problems.length;
  const from = instant(o['from'], `${label}from`, problems);
  const to = instant(o['to'], `${label}to`, problems);
  if (problems.length === before && from >= to) problems.push(`${label}from must be before ${label}to`);
  return { from, to };
}

export function parseAction(event: unknown): HuntAction {
  if (event === undefined || event === null || typeof event !== 'object' || !('action' in event)) return { action: 'scheduled' };
  const e = event as Record<string, unknown>;
  const problems: string[] = [];
  let parsed: HuntAction | null = null;
  switch (e['action']) {
    case 'hunt-window': {
      const w = e['window'];
      if (typeof w !== 'object' || w === null) problems.push('window must be an object { from, to }');
      const window = windowOf((w ?? {}) as Record<string, unknown>, 'window.', problems);
      if (e['shadow'] !== undefined && typeof e['shadow'] !== 'boolean') problems.push('shadow must be true or false');
      parsed = { action: 'hunt-window', window, shadow: e['shadow'] === true };
      break;
    }
    case 'plan-backfill': {
      // The state machine passes its execution input as `input`; a direct invoke may give the fields at the top.
      const src = (typeof e['input'] === 'object' && e['input'] !== null ? e['input'] : e) as Record<string, unknown>;
      const range = windowOf(src, '', problems);
      const cm = src['chunkMinutes'];
      if (src['shadow'] !== undefined && typeof src['shadow'] !== 'boolean') problems.push('shadow must be true or false');
      if (cm !== undefined && cm !== null && !(typeof cm === 'number' && Number.isInteger(cm) && cm >= 1 && cm <= 7 * 24 * 60)) {
        problems.push(`chunkMinutes must be a whole number from 1 to ${7 * 24 * 60} (got ${JSON.stringify(cm).slice(0, 40)})`);
      }
      parsed = { action: 'plan-backfill', range, chunkMinutes: typeof cm === 'number' ? cm : null, shadow: src['shadow'] === true };
      break;
    }
    case 'backfill-summary':
      if (!Array.isArray(e['results'])) problems.push('results must be an array (the Map state\'s output)');
      parsed = { action: 'backfill-summary', results: Array.isArray(e['results']) ? e['results'] : [] };
      break;
    case 'shadow-report':
      parsed = { action: 'shadow-report' };
      break;
    default:
      problems.push(`action must be one of ${ACTIONS.join(', ')} (got ${JSON.stringify(e['action'])?.slice(0, 40)})`);
  }
  if (problems.length > 0 || parsed === null) throw new InvalidEventError(problems);
  return parsed;
}
