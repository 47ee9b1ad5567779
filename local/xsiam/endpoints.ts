/**
 * `POST /public_api/v1/endpoints/get_endpoint` on the local XSIAM: the endpoints (agents) are the
 * distinct `agent_id`s of the events the server serves, with the latest host name and addresses.
 * Rules, from https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM-Platform-APIs/Get-Endpoint?contentId=tr0cfzDlQc3rU250GFFr8Q :
 * - filters are `{field, operator, value}`; "The response is concatenated using AND condition
 *   (OR is not supported)";
 * - `in` takes a list of strings for `endpoint_id_list`, `hostname`, `ip_list` (e.g. "192.168.5.12");
 * - "The maximum result set size is 100"; `search_from` / `search_to` are zero-based offsets
 *   (search_to defaults to 100, per the older XDR page
 *   https://docs.paloaltonetworks.com/cortex/cortex-xdr/cortex-xdr-api/cortex-xdr-apis/endpoint-management/get-endpoints);
 * - reply `{reply: {total_count, result_count, endpoints: [...]}}` with `endpoint_id`,
 *   `endpoint_name`, `endpoint_status`, `os_type`, `ip`, `first_seen`, `last_seen`;
 * - `endpoint_status` is one of CONNECTED, DISCONNECTED, LOST, UNINSTALLED (Get Endpoint,
 *   https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR-REST-API/Get-Endpoint): every agent is
 *   CONNECTED unless the test sets another (`LocalXsiam.setEndpointStatus`);
 * - IPv6 addresses: `ip` holds the IPv4 ones, as xdr_data's `agent_ip_addresses` does, and `ipv6`
 *   the agent's IPv6 ones (from `agent_ip_addresses_v6`). The shelf's copy of the page does not
 *   name the v6 field: `ipv6` is the name the Get Endpoint response lists beside `ip`
 *   (https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM-Platform-APIs/Get-Endpoint), and the
 *   client also reads `ip_address_v6` and any IPv6 entry of `ip`.
 * Not documented, chosen here: `hostname` matches exactly and case-sensitively, the strictest
 * reading (the page does not say how names match), so the client must ask for the forms it needs
 * and compare case-insensitively itself; `ip_list` matches one address of `ip` or `ipv6` exactly.
 * Fields the hunt does not use are refused with a 400 saying the local server does not implement
 * them, rather than silently ignored.
 */
import { envelope, type Reply } from './handlers.js';
import type { EndpointStatus, EventRow } from './types.js';

/** The documented largest result set. */
export const MAX_ENDPOINTS_RESULT = 100;

const FIELDS = ['endpoint_id_list', 'hostname', 'ip_list'] as const;
const DOCUMENTED = ['endpoint_id_list', 'endpoint_status', 'dist_name', 'first_seen', 'last_seen', 'ip_list', 'group_name', 'platform', 'alias', 'isolate', 'hostname', 'public_ip_list', 'username', 'scan_status'];

interface Endpoint {
  endpoint_id: string;
  endpoint_name: string;
  endpoint_type: string;
  endpoint_status: string;
  os_type: string | null;
  ip: string[];
  ipv6: string[];
  first_seen: number;
  last_seen: number;
}

function ips(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter((v) => v !== '');
}

/**
 * One endpoint per agent_id, from the rows (the latest row's host name and addresses win).
 * @param status - the agent's `endpoint_status`; @default CONNECTED
 */
export function endpointsOf(rows: readonly EventRow[], status: (agentId: string) => EndpointStatus = () => 'CONNECTED'): Endpoint[] {
  const byId = new Map<string, Endpoint>();
  for (const row of rows) {
    const id = row.agent_id;
    const name = row.agent_hostname;
    if (typeof id !== 'string' || id === '' || typeof name !== 'string') continue;
    const time = typeof row._time === 'number' ? row._time : 0;
    const known = byId.get(id);
    if (known === undefined) {
      byId.set(id, {
        endpoint_id: id, endpoint_name: name, endpoint_type: 'AGENT_TYPE_SERVER', endpoint_status: status(id),
        os_type: typeof row.agent_os_type === 'string' ? row.agent_os_type : null, ip: ips(row.agent_ip_addresses),
        ipv6: ips(row.agent_ip_addresses_v6), first_seen: time, last_seen: time,
      });
    } else {
      known.first_seen = Math.min(known.first_seen, time);
      if (time >= known.last_seen) {
        Object.assign(known, { last_seen: time, endpoint_name: name, ip: ips(row.agent_ip_addresses), ipv6: ips(row.agent_ip_addresses_v6) });
      }
    }
  }
  return [...byId.values()].sort((a, b) => a.endpoint_id.localeCompare(b.endpoint_id));
}

type Filter = (e: Endpoint) => boolean;

function parseFilters(value: unknown): Filter[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return 'request_data.filters must be an array';
  const out: Filter[] = [];
  for (const [i, f] of value.entries()) {
    if (typeof f !== 'object' || f === null) return `filters[${i}] must be an object`;
    const { field, operator, value: v } = f as Record<string, unknown>;
    if (typeof field !== 'string' || !DOCUMENTED.includes(field)) return `filters[${i}].field must be one of ${DOCUMENTED.join(', ')}`;
    if (!(FIELDS as readonly string[]).includes(field)) return `filters[${i}].field ${field} is documented but not implemented by the local XSIAM (only ${FIELDS.join(', ')})`;
    if (operator !== 'in') return `filters[${i}].operator must be "in" for ${field}`;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return `filters[${i}].value must be a list of strings for ${field}`;
    const wanted = v as string[];
    if (field === 'hostname') {
      const names = new Set(wanted);
      out.push((e) => names.has(e.endpoint_name));
    } else if (field === 'ip_list') {
      const set = new Set(wanted);
      out.push((e) => [...e.ip, ...e.ipv6].some((ip) => set.has(ip)));
    } else {
      const set = new Set(wanted);
      out.push((e) => set.has(e.endpoint_id));
    }
  }
  return out;
}

function offset(value: unknown, fallback: number): number | null {
  if (value === undefined) return fallback;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/**
 * The get_endpoint reply for `data` (request_data) over `rows`.
 * @param status - each agent's `endpoint_status`; @default CONNECTED
 */
export function getEndpoint(rows: readonly EventRow[], data: Record<string, unknown>, status?: (agentId: string) => EndpointStatus): Reply {
  const filters = parseFilters(data.filters);
  if (typeof filters === 'string') return envelope(400, 'Bad Request', filters);
  const from = offset(data.search_from, 0);
  const to = offset(data.search_to, MAX_ENDPOINTS_RESULT);
  if (from === null || to === null) return envelope(400, 'Bad Request', 'search_from and search_to must be non-negative integers');
  if (to < from) return envelope(400, 'Bad Request', 'search_to must not be smaller than search_from');
  const matching = endpointsOf(rows, status).filter((e) => filters.every((f) => f(e)));
  const page = matching.slice(from, Math.min(to, from + MAX_ENDPOINTS_RESULT));
  return { status: 200, json: { reply: { total_count: matching.length, result_count: page.length, endpoints: page } } };
}
