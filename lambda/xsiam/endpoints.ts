/**
 * The endpoints API: `POST /public_api/v1/endpoints/get_endpoint`, used to learn whether a host
 * has an agent. Documented rules this follows
 * (https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM-Platform-APIs/Get-Endpoint?contentId=tr0cfzDlQc3rU250GFFr8Q):
 * - `request_data.filters`: `[{field, operator: "in", value: [strings]}]`, fields `hostname` and
 *   `ip_list` among others; filters are AND-ed ("OR is not supported"), so host names and
 *   addresses go in separate requests;
 * - "The maximum result set size is 100": pages of `search_from` / `search_to` (zero-based offsets);
 * - reply `{"reply": {"total_count", "result_count", "endpoints": [{endpoint_id, endpoint_name,
 *   endpoint_status, ip: [...], ...}]}}` (shape as in the XSOAR Cortex XDR integration's test data,
 *   demisto/content Packs/CortexXDR/Integrations/CortexXDRIR/test_data/get_endpoints.json);
 * - `endpoint_status` is CONNECTED, DISCONNECTED, LOST or UNINSTALLED
 *   (https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR-REST-API/Get-Endpoint);
 * - IPv6 addresses: `ip` holds IPv4 as xdr_data's `agent_ip_addresses` does; the v6 ones come in
 *   `ipv6` (the field the Get Endpoint response lists beside `ip`). The name is not on our copy of
 *   the page, so `ip_address_v6` and any IPv6 entry of `ip` are read too: an address missed here
 *   would turn a managed IPv6 target into a false `unmanaged`.
 */
import { callWithRetry, type QueryContext } from './call.js';
import { quote, XsiamProtocolError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { describe, isObject } from './replies.js';
import type { Transport } from './transport.js';

/** The documented largest result set of one get_endpoint request. */
export const ENDPOINTS_PAGE_SIZE = 100;
/** Pages read for one filter at most (10 × 100 endpoints); a name shared by more agents is not plausible. */
const MAX_PAGES = 10;

export type EndpointFilterField = 'hostname' | 'ip_list';

/** One endpoint as the API describes it (the fields the hunt reads). */
export interface XsiamEndpoint {
  readonly endpointId: string;
  readonly endpointName: string;
  /** Every address of the endpoint, IPv4 (`ip`) and IPv6 (`ipv6`, `ip_address_v6`). */
  readonly ips: readonly string[];
  readonly status: string | null;
}

function fail(where: string, what: string, got: unknown): XsiamProtocolError {
  const shown = typeof got === 'string' ? `string "${quote(got, 80)}"` : describe(got);
  return new XsiamProtocolError(`get_endpoint: expected ${where} to be ${what}, got ${shown}`, { call: 'get_endpoint', status: 200 });
}

/** The reply fields that carry an endpoint's addresses: `ip` (IPv4), then the IPv6 forms. */
const V4_AND_V6 = ['ip', 'ipv6', 'ip_address_v6'] as const;

/** An address list as the API gives it: an array of strings, or one comma-joined string. */
function addresses(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter((x) => x !== '');
}

function parseEndpoint(raw: unknown, i: number, problems: string[]): XsiamEndpoint | null {
  if (!isObject(raw) || typeof raw.endpoint_id !== 'string' || raw.endpoint_id === '') {
    problems.push(`get_endpoint reply.endpoints[${i}]: no endpoint_id; left out`);
    return null;
  }
  const ips = [...new Set(V4_AND_V6.flatMap((field) => addresses(raw[field])))];
  return {
    endpointId: raw.endpoint_id,
    endpointName: typeof raw.endpoint_name === 'string' ? raw.endpoint_name : '',
    ips,
    status: typeof raw.endpoint_status === 'string' ? raw.endpoint_status : null,
  };
}

/** Every endpoint whose `field` is one of `values` (values ≤ 100 per call, see the caller). */
export async function fetchEndpoints(
  o: ResolvedOptions, transport: Transport, ctx: QueryContext, field: EndpointFilterField, values: readonly string[], problems: string[],
): Promise<XsiamEndpoint[]> {
  const out: XsiamEndpoint[] = [];
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const searchFrom = page * ENDPOINTS_PAGE_SIZE;
    const reply = await callWithRetry(o, transport, ctx, 'get_endpoint', {
      filters: [{ field, operator: 'in', value: [...values] }],
      search_from: searchFrom,
      search_to: searchFrom + ENDPOINTS_PAGE_SIZE,
    });
    let body: unknown;
    try {
      body = JSON.parse(reply.body.toString('utf8'));
    } catch {
      throw new XsiamProtocolError('get_endpoint: expected a JSON body', { call: 'get_endpoint', status: reply.status });
    }
    if (!isObject(body) || !isObject(body.reply)) throw fail('the body', 'an object with a "reply" object', isObject(body) ? body.reply : body);
    const endpoints = body.reply.endpoints;
    if (!Array.isArray(endpoints)) throw fail('reply.endpoints', 'an array', endpoints);
    endpoints.forEach((raw, i) => {
      const e = parseEndpoint(raw, searchFrom + i, problems);
      if (e !== null) out.push(e);
    });
    const total = typeof body.reply.total_count === 'number' ? body.reply.total_count : null;
    if (endpoints.length < ENDPOINTS_PAGE_SIZE || (total !== null && searchFrom + endpoints.length >= total)) return out;
  }
  problems.push(`get_endpoint: more than ${MAX_PAGES * ENDPOINTS_PAGE_SIZE} endpoints for one ${field} filter; the rest were not read`);
  return out;
}
