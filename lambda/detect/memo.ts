/**
 * Reuse of one analysis for rows that differ only in event id and time: real telemetry repeats the
 * same command line from the same host many times in a window, and analysing it again each time
 * was most of the detector's cost.
 */
import { ANALYSIS_FIELDS } from './row.js';

type Node = Map<unknown, unknown>;

/** Distinct rows kept before the memo starts over: a window of all-distinct rows must not grow it without bound. */
const MAX_ENTRIES = 16_384;

/** The value to key on, or undefined when readRow would reject it or read it in a way not keyed here (an object). */
function keyOf(v: unknown): unknown {
  if (typeof v === 'string') return v;
  return v === undefined || v === null ? null : undefined;
}

/**
 * Follows (or with `create`, builds) the trie path of the row's ANALYSIS_FIELDS values, the coarsest
 * fields first so that distinct rows share most of their path. Written out field by field: a loop
 * over field names makes every property read a generic keyed load, which cost twice the time.
 * Returns the last level (keyed by the command line), or undefined.
 */
function walk(root: Node, r: Record<string, unknown>, create: boolean): Node | undefined {
  let m: Node | undefined = root;
  m = step(m, r['action_process_image_name'], create); if (m === undefined) return undefined;
  m = step(m, r['action_process_image_path'], create); if (m === undefined) return undefined;
  m = step(m, r['action_process_original_name'], create); if (m === undefined) return undefined;
  m = step(m, r['action_process_file_info'], create); if (m === undefined) return undefined;
  m = step(m, r['actor_process_image_name'], create); if (m === undefined) return undefined;
  m = step(m, r['actor_process_image_path'], create); if (m === undefined) return undefined;
  m = step(m, r['causality_actor_process_image_sha256'], create); if (m === undefined) return undefined;
  m = step(m, r['actor_effective_username'], create); if (m === undefined) return undefined;
  m = step(m, r['causality_actor_primary_username'], create); if (m === undefined) return undefined;
  m = step(m, r['agent_hostname'], create); if (m === undefined) return undefined;
  m = step(m, r['agent_id'], create); if (m === undefined) return undefined;
  return step(m, r['actor_process_command_line'], create);
}

function step(m: Node, value: unknown, create: boolean): Node | undefined {
  const k = keyOf(value);
  if (k === undefined) return undefined;
  let next = m.get(k) as Node | undefined;
  if (next === undefined && create) {
    next = new Map();
    m.set(k, next);
  }
  return next;
}

/** The fields `walk` keys on, in its order, plus the command line it keys the last level with. */
export const MEMO_FIELDS = [
  'action_process_image_name', 'action_process_image_path', 'action_process_original_name', 'action_process_file_info',
  'actor_process_image_name', 'actor_process_image_path', 'causality_actor_process_image_sha256', 'actor_effective_username',
  'causality_actor_primary_username', 'agent_hostname', 'agent_id', 'actor_process_command_line', 'action_process_image_command_line',
] as const satisfies readonly (typeof ANALYSIS_FIELDS)[number][];

/** A map from a row's analysed content (every ANALYSIS_FIELDS value) to a value; one per detector call. */
export class AnalysisMemo<T> {
  #root: Node = new Map();
  #entries = 0;

  /** The value stored for a row with the same content, or undefined. */
  get(row: Record<string, unknown>): T | undefined {
    const line = keyOf(row['action_process_image_command_line']);
    if (line === undefined) return undefined;
    return walk(this.#root, row, false)?.get(line) as T | undefined;
  }

  /** Stores `value` for the row's content; rows with a field of an unkeyed type are not stored. */
  set(row: Record<string, unknown>, value: T): void {
    const line = keyOf(row['action_process_image_command_line']);
    // checked before building any of the path, so an unkeyed row leaves nothing behind
    if (line === undefined || MEMO_FIELDS.some((f) => keyOf(row[f]) === undefined)) return;
    if (this.#entries >= MAX_ENTRIES) {
      this.#root = new Map();
      this.#entries = 0;
    }
    const leaf = walk(this.#root, row, true);
    if (leaf === undefined) return;
    if (!leaf.has(line)) this.#entries++;
    leaf.set(line, value);
  }
}
