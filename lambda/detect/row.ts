/** Reads the xdr_data fields the detector uses from one row, checking their types. */
import { RowShapeError } from './errors.js';

/** The fields of one row the analysis needs, typed. */
export interface RowFacts {
  readonly eventId: string | null;
  readonly time: number | null;
  readonly commandLine: string;
  readonly imageName: string | null;
  readonly imagePath: string | null;
  readonly originalName: string | null;
  readonly sourceHost: string | null;
  readonly user: string | null;
  readonly parentImage: string | null;
  readonly parentImagePath: string | null;
  readonly parentCommandLine: string | null;
  readonly causalitySha256: string | null;
  readonly agentId: string | null;
}

const STRING_FIELDS = [
  'action_process_image_name', 'action_process_image_path', 'action_process_original_name', 'agent_hostname',
  'actor_effective_username', 'causality_actor_primary_username', 'actor_process_image_name',
  'actor_process_image_path', 'actor_process_command_line', 'causality_actor_process_image_sha256', 'agent_id',
] as const;

/** The row's event id as a string (a finite number is converted), or null. */
export function readEventId(row: Record<string, unknown>): string | null {
  const v = row['event_id'];
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/** `_time` as epoch ms (a number, a numeric string or a date Date.parse reads), or null. */
export function readTime(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    if (Number.isFinite(n)) return n;
    const d = Date.parse(v);
    if (Number.isFinite(d)) return d;
  }
  return null;
}

/** `original_name` from action_process_file_info (a JSON string or an object); null when absent or unreadable. */
function originalFromFileInfo(v: unknown): string | null {
  let info: unknown = v;
  if (typeof v === 'string') {
    try {
      info = JSON.parse(v);
    } catch {
      return null;
    }
  }
  if (info !== null && typeof info === 'object' && !Array.isArray(info)) {
    const name = (info as Record<string, unknown>)['original_name'];
    return typeof name === 'string' ? name : null;
  }
  return null;
}

/** Validates and reads a row; throws RowShapeError naming the first bad field. */
export function readRow(row: unknown): RowFacts {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new RowShapeError('row is not an object', null);
  const r = row as Record<string, unknown>;
  const eventId = readEventId(r);
  const commandLine = r['action_process_image_command_line'];
  if (typeof commandLine !== 'string' || commandLine.trim() === '') {
    throw new RowShapeError('action_process_image_command_line is missing or not a non-empty string', eventId);
  }
  const strings: Partial<Record<(typeof STRING_FIELDS)[number], string | null>> = {};
  for (const field of STRING_FIELDS) {
    const v = r[field];
    if (v === undefined || v === null) strings[field] = null;
    else if (typeof v === 'string') strings[field] = v.length > 0 ? v : null;
    else throw new RowShapeError(`${field} must be a string, got ${Array.isArray(v) ? 'array' : typeof v}`, eventId);
  }
  const get = (f: (typeof STRING_FIELDS)[number]): string | null => strings[f] ?? null;
  return {
    eventId,
    time: readTime(r['_time']),
    commandLine,
    imageName: get('action_process_image_name'),
    imagePath: get('action_process_image_path'),
    originalName: get('action_process_original_name') ?? originalFromFileInfo(r['action_process_file_info']),
    sourceHost: get('agent_hostname'),
    user: get('actor_effective_username') ?? get('causality_actor_primary_username'),
    parentImage: get('actor_process_image_name'),
    parentImagePath: get('actor_process_image_path'),
    parentCommandLine: get('actor_process_command_line'),
    causalitySha256: get('causality_actor_process_image_sha256'),
    agentId: get('agent_id'),
  };
}

/** Every field readRow reads besides event_id and _time: rows equal on these analyse alike. */
export const ANALYSIS_FIELDS = ['action_process_image_command_line', ...STRING_FIELDS, 'action_process_file_info'] as const;
