/**
 * Reuse of one analysis for rows that differ only in event id and time: real telemetry repeats the
 * same command line from the same host many times in a window, and analysing it again each time
 * was most of the detector's cost.
 */
import { ANALYSIS_FIELDS } from './row.js';

/** Distinct rows kept before the memo starts over: a window of all-distinct rows must not grow it without bound. */
const MAX_ENTRIES = 16_384;
/** Rows kept per (command line, host): past it the oldest is replaced, so a flood of variants cannot make lookups slow. */
const MAX_PER_BUCKET = 8;

/** The value to key on, or undefined when readRow would reject it or read it in a way not keyed here (an object). */
function keyOf(v: unknown): string | null | undefined {
  if (typeof v === 'string') return v;
  return v === undefined || v === null ? null : undefined;
}

/** One remembered row: its other keyed values (in `sameRest`'s order) and what was stored for it. */
interface Entry<T> {
  readonly rest: readonly (string | null)[];
  readonly value: T;
}

/**
 * The row's keyed values besides the command line and host, or undefined when one has an unkeyed type.
 * Written out field by field: a loop over field names makes every property read a generic keyed
 * load, which cost twice the time.
 */
function restOf(r: Record<string, unknown>): (string | null)[] | undefined {
  const rest = [
    keyOf(r['agent_id']), keyOf(r['actor_process_command_line']), keyOf(r['action_process_image_name']),
    keyOf(r['action_process_image_path']), keyOf(r['action_process_original_name']), keyOf(r['action_process_file_info']),
    keyOf(r['actor_process_image_name']), keyOf(r['actor_process_image_path']), keyOf(r['causality_actor_process_image_sha256']),
    keyOf(r['actor_effective_username']), keyOf(r['causality_actor_primary_username']),
  ];
  return rest.includes(undefined) ? undefined : (rest as (string | null)[]);
}

/** Whether the row's other keyed values equal the remembered ones (compared, not hashed: most rows are repeats). */
function sameRest(v: readonly (string | null)[], r: Record<string, unknown>): boolean {
  return v[0] === keyOf(r['agent_id']) && v[1] === keyOf(r['actor_process_command_line'])
    && v[2] === keyOf(r['action_process_image_name']) && v[3] === keyOf(r['action_process_image_path'])
    && v[4] === keyOf(r['action_process_original_name']) && v[5] === keyOf(r['action_process_file_info'])
    && v[6] === keyOf(r['actor_process_image_name']) && v[7] === keyOf(r['actor_process_image_path'])
    && v[8] === keyOf(r['causality_actor_process_image_sha256']) && v[9] === keyOf(r['actor_effective_username'])
    && v[10] === keyOf(r['causality_actor_primary_username']);
}

/** The fields the memo keys on: the command line and host in maps, the rest compared. */
export const MEMO_FIELDS = [
  'action_process_image_command_line', 'agent_hostname', 'agent_id', 'actor_process_command_line', 'action_process_image_name',
  'action_process_image_path', 'action_process_original_name', 'action_process_file_info', 'actor_process_image_name',
  'actor_process_image_path', 'causality_actor_process_image_sha256', 'actor_effective_username', 'causality_actor_primary_username',
] as const satisfies readonly (typeof ANALYSIS_FIELDS)[number][];

/** A map from a row's analysed content (every ANALYSIS_FIELDS value) to a value; one per detector call. */
export class AnalysisMemo<T> {
  /** Command line → host → the rows seen with both. */
  #byLine = new Map<string | null, Map<string | null, Entry<T>[]>>();
  #entries = 0;

  /** The value stored for a row with the same content, or undefined. */
  get(row: Record<string, unknown>): T | undefined {
    const line = keyOf(row['action_process_image_command_line']);
    if (line === undefined) return undefined;
    const host = keyOf(row['agent_hostname']);
    if (host === undefined) return undefined;
    const bucket = this.#byLine.get(line)?.get(host);
    if (bucket === undefined) return undefined;
    for (const e of bucket) if (sameRest(e.rest, row)) return e.value;
    return undefined;
  }

  /** Stores `value` for the row's content; rows with a field of an unkeyed type are not stored. */
  set(row: Record<string, unknown>, value: T): void {
    const line = keyOf(row['action_process_image_command_line']);
    const host = keyOf(row['agent_hostname']);
    const rest = restOf(row);
    // checked before building anything, so an unkeyed row leaves nothing behind
    if (line === undefined || host === undefined || rest === undefined) return;
    if (this.#entries >= MAX_ENTRIES) {
      this.#byLine = new Map();
      this.#entries = 0;
    }
    let hosts = this.#byLine.get(line);
    if (hosts === undefined) this.#byLine.set(line, (hosts = new Map()));
    let bucket = hosts.get(host);
    if (bucket === undefined) hosts.set(host, (bucket = []));
    const i = bucket.findIndex((e) => sameRest(e.rest, row));
    if (i >= 0) bucket[i] = { rest, value };
    else if (bucket.length < MAX_PER_BUCKET) {
      bucket.push({ rest, value });
      this.#entries++;
    } else {
      bucket.shift();
      bucket.push({ rest, value });
    }
  }
}
