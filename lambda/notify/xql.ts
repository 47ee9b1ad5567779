/**
 * Drill-down XQL for one host pair, to paste into XSIAM's query builder. It stays inside the
 * subset the local XQL engine evaluates (config, dataset, filter with and/or/not, =, !=,
 * contains, in, json_extract_scalar, fields, sort), so `npm run hunt -- xql` runs it too, and
 * inside the forms XSIAM documents:
 * - one `config` stage, first, carrying both settings ("This stage must be presented as the first
 *   stage in the query"): https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM/Cortex-XSIAM-Documentation/config?contentId=lOppfnA4_teTGQVda~_YUw
 * - absolute times as "<Year-Month-Day H:M:S ±Timezone>" with a ±xxxx zone, never ISO `T…Z`:
 *   https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-Documentation/timeframe
 * - strings without escapes (a value with a quote cannot be written, so it is split or dropped):
 *   https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM/Cortex-XSIAM-Documentation/filter?contentId=td_FaKGJbDw_CJ9SEakGkg
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

/** `ms` as XQL's documented absolute time, in UTC: "2026-11-29 02:30:46 +0000". */
export function xqlTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000`;
}

/** A `timeframe between` setting, or null when either end is not a usable time. */
function timeframe(from: number, to: number): string | null {
  if (isoTime(from) === 'unknown time' || isoTime(to) === 'unknown time' || from > to) return null;
  // Whole seconds: the start rounds down and the end up, so the first and last event stay inside.
  return `timeframe between "${xqlTime(Math.floor(from / 1000) * 1000)}" and "${xqlTime(Math.ceil(to / 1000) * 1000)}"`;
}

/** The single config stage: case-insensitive, plus the timeframe when there is one. */
function configStage(setting: string | null): string {
  return setting === null ? 'config case_sensitive = false' : `config case_sensitive = false ${setting}`;
}

/** The query window: first/last seen widened by an hour, else the run window, else none (said in a comment). */
function drillWindow(f: TrackedFinding, ctx: NotificationContext): { setting: string | null; why: string } {
  const own = timeframe(f.firstSeen - HOUR_MS, f.lastSeen + HOUR_MS);
  if (own) return { setting: own, why: 'first/last seen widened by one hour' };
  const run = timeframe(ctx.window.from, ctx.window.to);
  if (run) return { setting: run, why: "the run's window (the finding's first/last seen are unusable)" };
  return { setting: null, why: 'none could be computed; set the time range in the query builder' };
}

/** Characters cmd.exe and wmic drop from a /node value: quotes and carets. */
const LINE_NOISE = new Set(['"', '^']);
const RAW_SEARCH_MAX = 8192;

/**
 * The target as it is written on the raw command line: the finding's target is lower-cased with
 * quotes removed (`/node:"ws"-eng-9` → `ws-eng-9`), so it is looked up in the line skipping
 * quotes and carets. Null when the line does not hold it (an encoded command, a cut line).
 */
export function rawTarget(commandLine: string, target: string): string | null {
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent: an empty target is found at once by includes('') and splits into no piece, and a target "Stryker was here!" holds "!"; targetConditions drops both either way
  if (target === '') return null;
  const want = target.toLowerCase();
  // The detector keeps at most 8 KB of a line; the cap also bounds this search on hostile input.
  const line = commandLine.slice(0, RAW_SEARCH_MAX);
  if (line.toLowerCase().includes(want)) return target;
  // Stryker disable next-line EqualityOperator: `<=` is equivalent (a start at line.length matches nothing: want is never empty here); `>=`, which skips the search, is killed by test/notify/xql-drilldown-survivors.test.ts
  for (let start = 0; start < line.length; start++) {
    let i = start;
    let j = 0;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: `true`, `<=` and `||` are equivalent: scanning on past the line's end reads "" and breaks, and past a full match only takes in trailing quotes or carets, which the split in targetConditions drops; `false` and `>=`, which skip the scan, are killed by test/notify/xql-drilldown-survivors.test.ts
    while (i < line.length && j < want.length) {
      const c = line.charAt(i);
      if (c.toLowerCase() === want.charAt(j)) {
        i++;
        j++;
      // Stryker disable next-line EqualityOperator: `j >= 0` is equivalent: it only lets a match start on quotes or carets, which the split in targetConditions drops; `j <= 0` is killed by test/notify/xql-drilldown-survivors.test.ts
      } else if (j > 0 && LINE_NOISE.has(c)) i++;
      else break;
    }
    if (j === want.length) return line.slice(start, i);
  }
  return null;
}

/**
 * `contains` conditions that match the target as the line writes it. XQL strings cannot hold a
 * quote, so a quoted spelling becomes one condition per unquoted piece (`"ws"-eng-9` →
 * contains "ws" and contains "-eng-9"). Null when a piece cannot be written safely.
 */
function targetConditions(f: TrackedFinding, target: string): string[] | null {
  const raw = typeof f.commandLine === 'string' ? rawTarget(f.commandLine, target) : null;
  if (raw === null) return null;
  const pieces = raw.split(/["^]/).filter((p) => p !== '');
  if (pieces.length === 0 || !pieces.every(xqlSafe)) return null;
  return pieces.map((p) => `action_process_image_command_line contains "${p}"`);
}

/**
 * The image condition: wmic.exe, and the image the finding's event really ran as when that is
 * something else (a renamed copy, or the cmd.exe/PowerShell record that launched wmic).
 */
function imageCondition(f: TrackedFinding): { line: string; note: string | null } {
  const image = typeof f.imageName === 'string' ? f.imageName : null;
  if (image === null || image.toLowerCase() === 'wmic.exe') return { line: 'action_process_image_name = "wmic.exe"', note: null };
  if (!xqlSafe(image)) {
    return { line: 'action_process_image_name != null', note: '// Image condition widened: the image name has characters XQL strings cannot hold.' };
  }
  return { line: `action_process_image_name in ("wmic.exe", "${image}")`, note: null };
}

/**
 * Builds the drill-down query for `f`: source host, the image wmic ran as, the target as written
 * on the command line, process starts, over first/last seen widened by an hour. A value that
 * cannot be quoted safely drops its condition, and a `//` comment line says so; the query is
 * never broken.
 */
export function drillDownXql(f: TrackedFinding, ctx: NotificationContext): string {
  // Stryker disable next-line ConditionalExpression: `typeof f === 'object'` and `f !== null` as `true` are equivalent: a primitive has no keyFields, and null or undefined throws a TypeError on either path; the whole condition as `true` or `false` is killed by test/notify/xql-drilldown-survivors.test.ts
  if (typeof f === 'object' && f !== null && f.keyFields) return cardDrillDownXql(f, ctx);
  // One message renders it three times (email, Chatbot, default JSON): build it once per finding and run.
  // Stryker disable next-line ConditionalExpression,LogicalOperator: `true` and `||` are equivalent: WeakMap.get of a primitive or null is undefined, as when the lookup is skipped; `false`, which never reuses the build, is killed by test/notify/xql-drilldown-survivors.test.ts
  const cached = typeof f === 'object' && f !== null ? drillDownCache.get(f) : undefined;
  if (cached !== undefined && cached.ctx === ctx) return cached.xql;
  const xql = buildDrillDownXql(f, ctx);
  // Stryker disable next-line ConditionalExpression: `f !== null` as `true` is equivalent (a null record has already thrown in buildDrillDownXql); the other `true` and the `false` mutants are killed by test/notify/xql-drilldown-survivors.test.ts
  if (typeof f === 'object' && f !== null) drillDownCache.set(f, { ctx, xql });
  return xql;
}

const drillDownCache = new WeakMap<TrackedFinding, { readonly ctx: NotificationContext; readonly xql: string }>();

function buildDrillDownXql(f: TrackedFinding, ctx: NotificationContext): string {
  const source = asText(f.sourceHost);
  const target = asText(f.targetHost);
  const window = drillWindow(f, ctx);
  const comments = [
    `// Drill-down: ${ctx.hunt.id}, one host pair`,
    `// Window: ${window.why}`,
  ];
  const image = imageCondition(f);
  if (image.note) comments.push(image.note);
  const conditions = ['event_type = ENUM.PROCESS', 'event_sub_type = ENUM.PROCESS_START', image.line];
  if (xqlSafe(source)) conditions.push(`agent_hostname = "${source}"`);
  else comments.push('// Source host condition dropped: the host name has characters XQL strings cannot hold; filter by hand.');
  const targets = targetConditions(f, target);
  if (targets) conditions.push(...targets);
  else comments.push('// Target host condition dropped: the target is not written plainly on the command line or has characters XQL strings cannot hold; filter by hand.');
  conditions.push(
    'action_process_image_command_line contains "process"',
    'action_process_image_command_line contains "call"',
    'action_process_image_command_line contains "create"',
  );
  return [
    ...comments,
    configStage(window.setting),
    '| dataset = xdr_data',
    `| filter ${conditions.join('\n    and ')}`,
    `| fields ${FIELDS.join(', ')}`,
    '| sort desc _time',
  ].join('\n');
}

/**
 * Drill-down over a whole run window (the digest): every wmic remote process creation, renamed
 * copies included (PE original name read with json_extract_scalar), no host filter.
 * https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM/Cortex-XSIAM-Documentation/json_extract_scalar
 */
export function runWindowXql(ctx: NotificationContext): string {
  const run = timeframe(ctx.window.from, ctx.window.to);
  return [
    `// Drill-down: ${ctx.hunt.id}, every host pair of the run window`,
    ...(run ? [] : ['// Window: none could be computed; set the time range in the query builder']),
    configStage(run),
    '| dataset = xdr_data',
    '| filter event_type = ENUM.PROCESS\n    and event_sub_type = ENUM.PROCESS_START' +
      '\n    and (action_process_image_name = "wmic.exe" or json_extract_scalar(action_process_file_info, "$.original_name") = "wmic.exe")' +
      '\n    and action_process_image_command_line contains "node:"\n    and action_process_image_command_line contains "process"' +
      '\n    and action_process_image_command_line contains "call"\n    and action_process_image_command_line contains "create"',
    `| fields ${FIELDS.join(', ')}`,
    '| sort desc _time',
  ].join('\n');
}

/**
 * The drill-down of a card-only hunt's finding: the host and the finding's events over first/last
 * seen widened by an hour; a value XQL cannot quote drops its condition, and a comment says so.
 */
export function cardDrillDownXql(f: TrackedFinding, ctx: NotificationContext): string {
  const { setting, why } = drillWindow(f, ctx);
  const host = asText(f.host ?? f.sourceHost);
  const ids = (Array.isArray(f.eventIds) ? f.eventIds : []).slice(0, 20).filter((id) => typeof id === 'string' && xqlSafe(id));
  const conditions = [
    ...(xqlSafe(host) ? [`agent_hostname = "${host}"`] : []),
    ...(ids.length > 0 ? [`event_id in (${ids.map((id) => `"${id}"`).join(', ')})`] : []),
  ];
  return [
    `// Drill-down for ${ctx.hunt.id}; time range: ${why}.`,
    ...(xqlSafe(host) ? [] : ['// Host condition dropped: the host name has characters XQL strings cannot hold.']),
    configStage(setting),
    '| dataset = xdr_data',
    ...(conditions.length > 0 ? [`| filter ${conditions.join('\n    and ')}`] : []),
    `| fields ${FIELDS.join(', ')}`,
    '| sort desc _time',
    '',
  ].join('\n');
}
