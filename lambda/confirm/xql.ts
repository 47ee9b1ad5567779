/**
 * The confirmation XQL: process starts whose parent is WmiPrvSE.exe on the target hosts, over the
 * confirmation range. Documented forms only (docs/reference/xsiam-xql-api.md, addendum):
 * - `config timeframe between "<Y-M-D H:M:S +0000>" and "<...>"` as the first stage
 *   https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-Documentation/timeframe
 * - `filter` with `=`, `in (...)`, `and`/`or`; strings compare case-insensitively by default
 *   (`case_sensitive` defaults to false)
 *   https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM/Cortex-XSIAM-Documentation/config?contentId=lOppfnA4_teTGQVda~_YUw
 * - `fields`, `sort`, `limit` https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-3.x-Documentation/limit?contentId=3kgNBVJjCPE5KVkoThck6Q
 *
 * - `in (...)` takes wildcards for strings, and `contains` works "within arrays"
 *   https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM/Cortex-XSIAM-XQL-Language-Reference/Supported-Operators
 *
 * Hosts are selected by `agent_hostname in ("fs01", "fs01.*")` (first label, and an agent that
 * reports an FQDN), by `agent_ip_addresses contains "<ip>"` for IP targets, and by
 * `agent_id in (...)` for the agents the endpoints API found. Each may select more than the
 * target (`contains` may match 10.1.1.50 for 10.1.1.5): the query returns a superset and judge()
 * applies the exact matching rules to every row.
 */
import type { TimeWindow } from '../xsiam/index.js';
import { hostIdentity } from '../hosts/index.js';
import { parseTarget } from './target.js';

/**
 * Most targets in one confirmation query. XQL documents no limit on `in (...)` lists or query
 * length; 100 is our conservative choice, and matches the endpoints API's documented largest
 * result set (100), so one batch of targets is one presence page and one query.
 */
export const MAX_TARGETS_PER_QUERY = 100;

/** Most rows one confirmation query returns; a full result means the absence of a child proves nothing. */
export const CONFIRM_ROW_LIMIT = 10_000;

/** Fields judge() and the notification read. */
export const CONFIRM_FIELDS = [
  '_time', 'event_id', 'agent_id', 'agent_hostname', 'agent_ip_addresses',
  'action_process_image_name', 'action_process_image_path', 'action_process_image_command_line', 'action_process_username',
  'actor_process_image_name', 'agent_ip_addresses_v6',
] as const;

/** `2026-11-29 02:30:46 +0000`, the documented absolute form. */
export function xqlTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

const quoted = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(', ');
// Agent ids are 32 hex digits; anything else from an API reply is not put into a query.
const AGENT_ID = /^[0-9a-z_-]{1,64}$/i;

/**
 * The forms an IP target is asked for: as written, and an IPv6 one also in its RFC 5952 form
 * (`FD00:0:0:0:0:0:0:26` → `fd00::26`), the form agents usually report; the exact comparison is
 * judge()'s, on the host identity.
 */
export function ipForms(ip: string): string[] {
  // Stryker disable next-line StringLiteral: hostIdentity() of a parsed IPv4 address is the address itself
  return [...new Set([ip, ip.includes(':') ? hostIdentity(ip) : ip])];
}

/** Splits `items` into batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number = MAX_TARGETS_PER_QUERY): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The query for one batch: `targets` (/node: values) and the agent ids the endpoints API
 * resolved for them. Returns null when nothing can be selected (no checkable target, no id).
 */
export function buildConfirmationXql(targets: readonly string[], agentIds: readonly string[], range: TimeWindow): string | null {
  const parsed = targets.map(parseTarget);
  const labels = [...new Set(parsed.flatMap((t) => (t.kind === 'host' ? [t.label] : [])))].sort();
  // Stryker disable next-line MethodExpression: the order of the OR-ed `contains` clauses does not change what the query selects
  const ips = [...new Set(parsed.flatMap((t) => (t.kind === 'ip' ? ipForms(t.ip) : [])))].sort();
  const ids = [...new Set(agentIds.filter((id) => AGENT_ID.test(id)))].sort();
  const hosts: string[] = [];
  if (labels.length > 0) hosts.push(`agent_hostname in (${quoted(labels.flatMap((l) => [l, `${l}.*`]))})`);
  // IPv6 agent addresses live in agent_ip_addresses_v6, agent_ip_addresses holds IPv4 (stix-shifter's
  // Palo Alto mapping: `ipv6-addr | value | agent_ip_addresses_v6`)
  for (const ip of ips) hosts.push(`${ip.includes(':') ? 'agent_ip_addresses_v6' : 'agent_ip_addresses'} contains "${ip}"`);
  if (ids.length > 0) hosts.push(`agent_id in (${quoted(ids)})`);
  if (hosts.length === 0) return null;
  return [
    // case_sensitive is false by default; said explicitly, since host names are compared as Windows does
    `config case_sensitive = false timeframe between "${xqlTime(range.from)}" and "${xqlTime(range.to)}"`,
    '| dataset = xdr_data',
    '| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START',
    '    and actor_process_image_name = "wmiprvse.exe"',
    `    and (${hosts.join(' or ')})`,
    `| fields ${CONFIRM_FIELDS.join(', ')}`,
    '| sort asc _time',
    `| limit ${CONFIRM_ROW_LIMIT}`,
    '',
  ].join('\n');
}
