/**
 * Drill-down XQL for one host pair, to paste into XSIAM's query builder. It stays inside the
 * subset the local XQL engine evaluates (config, dataset, filter with and/or/not, =, !=,
 * contains, in, fields, sort), so the local emulator runs it too.
 */
import type { TrackedFinding } from '../finding.js';
import type { NotificationContext } from '../ports.js';
import { asText, isoTime } from './sanitize.js';

const HOUR_MS = 60 * 60 * 1000;

/**
 * XQL double-quoted strings have no escape processing, so only values made of these characters
 * go into a condition: no quote, backtick, pipe, slash (no `//` comment start), control or
 * non-ASCII character. Host names, IPs and `@C:\list.txt` file lists pass.
 */
const XQL_SAFE = /^[A-Za-z0-9._$@:\\ -]{1,255}$/;

/** True when `value` can sit between double quotes in XQL unchanged. */
export function xqlSafe(value: string): boolean {
  return XQL_SAFE.test(value) && value.trim() === value;
}

/** Fields worth seeing when drilling down (the seed's projection). */
const FIELDS = [
  '_time',
  'agent_hostname',
  'actor_effective_username',
  'action_process_image_name',
  'action_process_image_command_line',
  'actor_process_image_name',
  'actor_process_command_line',
  'causality_actor_process_command_line',
  'causality_actor_primary_username',
  'event_id',
  'agent_id',
];

/** A `config timeframe` line, or null when either end is not a usable time. */
function timeframe(from: number, to: number): string | null {
  const a = isoTime(from);
  const b = isoTime(to);
  if (a === 'unknown time' || b === 'unknown time' || from > to) return null;
  return `| config timeframe between "${a}" and "${b}"`;
}

/** The query window: first/last seen widened by an hour, else the run window, else none (said in a comment). */
function drillWindow(f: TrackedFinding, ctx: NotificationContext): { line: string | null; why: string } {
  const own = timeframe(f.firstSeen - HOUR_MS, f.lastSeen + HOUR_MS);
  if (own) return { line: own, why: 'first/last seen widened by one hour' };
  const run = timeframe(ctx.window.from, ctx.window.to);
  if (run) return { line: run, why: "the run's window (the finding's first/last seen are unusable)" };
  return { line: null, why: 'none could be computed; set the time range in the query builder' };
}

/**
 * Builds the drill-down query for `f`: source host, target on the command line, wmic process
 * starts, over its first/last seen widened by an hour. A host value that cannot be quoted safely
 * drops its condition, and a `//` comment line says so; the query is never broken.
 */
export function drillDownXql(f: TrackedFinding, ctx: NotificationContext): string {
  const source = asText(f.sourceHost);
  const target = asText(f.targetHost);
  const window = drillWindow(f, ctx);
  const comments = [
    `// Drill-down: ${ctx.hunt.id}, one host pair`,
    `// Window: ${window.why}`,
  ];
  const conditions = [
    'event_type = ENUM.PROCESS',
    'event_sub_type = ENUM.PROCESS_START',
    'action_process_image_name = "wmic.exe"',
  ];
  if (xqlSafe(source)) conditions.push(`agent_hostname = "${source}"`);
  else comments.push('// Source host condition dropped: the host name has characters XQL strings cannot hold; filter by hand.');
  if (xqlSafe(target)) conditions.push(`action_process_image_command_line contains "${target}"`);
  else comments.push('// Target host condition dropped: the target has characters XQL strings cannot hold; filter by hand.');
  conditions.push(
    'action_process_image_command_line contains "process"',
    'action_process_image_command_line contains "call"',
    'action_process_image_command_line contains "create"',
  );
  return [
    ...comments,
    'config case_sensitive = false',
    ...(window.line ? [window.line] : []),
    '| dataset = xdr_data',
    `| filter ${conditions.join('\n    and ')}`,
    `| fields ${FIELDS.join(', ')}`,
    '| sort desc _time',
  ].join('\n');
}

/** Drill-down over a whole run window (the digest): every wmic remote process creation, no host filter. */
export function runWindowXql(ctx: NotificationContext): string {
  const run = timeframe(ctx.window.from, ctx.window.to);
  return [
    `// Drill-down: ${ctx.hunt.id}, every host pair of the run window`,
    'config case_sensitive = false',
    ...(run ? [run] : ['// Window: none could be computed; set the time range in the query builder']),
    '| dataset = xdr_data',
    `| filter event_type = ENUM.PROCESS\n    and event_sub_type = ENUM.PROCESS_START\n    and action_process_image_name = "wmic.exe"\n    and action_process_image_command_line contains "node:"\n    and action_process_image_command_line contains "process"\n    and action_process_image_command_line contains "call"\n    and action_process_image_command_line contains "create"`,
    `| fields ${FIELDS.join(', ')}`,
    '| sort desc _time',
  ].join('\n');
}
