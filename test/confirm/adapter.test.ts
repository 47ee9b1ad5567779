/**
 * The XSIAM adapter against the local XSIAM (real protocol, real XQL engine, get_endpoint derived
 * from the agents in the events it serves), judged by judge().
 */
import { afterEach, describe, expect, it } from 'vitest';
import { judge, TargetEvidenceError, XsiamTargetEvidence } from '../../lambda/confirm/index.js';
import { startLocalXsiam, type LocalXsiam } from '../../local/xsiam/index.js';
import { createXsiamClient, XsiamAuthError, type XsiamClient } from '../../lambda/xsiam/index.js';
import { API_KEY, credentials, KEY_ID } from '../xsiam/support.js';
import { AGENTS, child, MIN, noise, pair, SEC, T0 } from './fixture.js';

const CMD = 'C:\\ProgramData\\winupd.exe -lkey 3f9c -mode fast';
const NOW = T0 + 60 * MIN;
const RANGE = { from: T0 - MIN, to: T0 + 10 * MIN };

const EVENTS = [
  child(AGENTS.fs01, T0 + 3 * SEC, CMD),
  child(AGENTS.sql01, T0 + 4 * SEC, `"${CMD.split(' ')[0]}" ${CMD.split(' ').slice(1).join(' ')}`),
  noise(AGENTS.app01, T0 - 30 * MIN), // APP01 reports, but no child
  child(AGENTS.trap, T0 + 5 * SEC, CMD), // the agent at 10.1.1.50
  child(AGENTS.fs01, T0 + 20 * MIN, CMD), // outside the range: must not be what confirms
];

let server: LocalXsiam | undefined;
let client: XsiamClient | undefined;

async function rig(events = EVENTS): Promise<{ server: LocalXsiam; source: XsiamTargetEvidence; problems: string[] }> {
  server = await startLocalXsiam({ credentials: { keyId: KEY_ID, key: API_KEY }, events, clock: { now: () => NOW }, pendingPolls: 1 });
  client = createXsiamClient({ allowLoopback: true, clock: { now: () => NOW }, sleep: async () => undefined, random: () => 0.5 });
  const problems: string[] = [];
  return { server, source: new XsiamTargetEvidence({ client, onProblem: (p) => problems.push(p) }), problems };
}

afterEach(async () => {
  await client?.close();
  await server?.close();
  server = undefined;
  client = undefined;
});

const PAIRS = [pair('fs01', CMD), pair('sql01.corp.example', CMD), pair('10.1.1.30', CMD), pair('app01', CMD), pair('hv02', CMD), pair('10.1.1.5', CMD)];
const TARGETS = PAIRS.map((p) => p.targetHost);

describe('XsiamTargetEvidence over the local XSIAM', () => {
  it('gives each outcome: confirmed by host name, FQDN and IP, not-seen, unmanaged, and the IP-prefix trap unmanaged', async () => {
    const { server: s, source } = await rig();
    const evidence = await source.collect(credentials(s.url), { targets: TARGETS, range: RANGE }, { deadline: NOW + MIN });
    const out = judge(PAIRS, evidence);
    expect(PAIRS.map((p) => `${p.targetHost}: ${out.get(p.fingerprint)?.status}`)).toEqual([
      'fs01: confirmed', 'sql01.corp.example: confirmed', '10.1.1.30: confirmed', 'app01: not-seen', 'hv02: unmanaged', '10.1.1.5: unmanaged',
    ]);
    expect(out.get(PAIRS[0]!.fingerprint)).toMatchObject({ eventId: EVENTS[0]!.event_id, agentId: AGENTS.fs01.id, time: T0 + 3 * SEC });
    expect(out.get(PAIRS[2]!.fingerprint)).toMatchObject({ eventId: EVENTS[1]!.event_id, agentId: AGENTS.sql01.id });
  });

  it('runs one XQL query for all targets and counts its HTTP calls and query units', async () => {
    const { server: s, source } = await rig();
    const evidence = await source.collect(credentials(s.url), { targets: TARGETS, range: RANGE }, { deadline: NOW + MIN });
    expect(s.stats.queriesStarted).toBe(1);
    expect(evidence.report.queries).toBe(1);
    expect(evidence.report.endpointRequests).toBe(2); // hostname and ip_list: the API AND-s filters
    expect(s.stats.endpointRequests).toBe(2);
    expect(evidence.report.httpCalls).toBe(2 + s.stats.requests.start_xql_query + s.stats.requests.get_query_results);
    expect(evidence.report.queryCost).toBeGreaterThan(0);
  });

  it('starts no query when no target can be checked (an @file list)', async () => {
    const { server: s, source } = await rig();
    const evidence = await source.collect(credentials(s.url), { targets: ['@c:\\t\\hosts.txt'], range: RANGE }, { deadline: NOW + MIN });
    expect(s.stats.queriesStarted).toBe(0);
    expect(s.stats.endpointRequests).toBe(0);
    expect(evidence.events).toEqual([]);
  });

  it('fails with a TargetEvidenceError when the endpoints API refuses, keeping the events for judge()', async () => {
    const { server: s, source } = await rig();
    s.faults.add('get_endpoint', { status: 403 });
    const error = await source.collect(credentials(s.url), { targets: TARGETS, range: RANGE }, { deadline: NOW + MIN }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetEvidenceError);
    const e = error as TargetEvidenceError;
    expect(e.name).toBe('TargetEvidenceError');
    expect(e.cause).toBeInstanceOf(XsiamAuthError);
    expect(e.message).toMatch(/presence \(endpoints API\).*HTTP 403/);
    expect(e.message).not.toContain(API_KEY);
    expect(e.partial.agents).toBeNull();
    const out = judge(PAIRS, e.partial, e.message);
    // 10.1.1.30 is still confirmed: SQL01's row (selected by its host name) carries that address.
    expect(PAIRS.map((p) => out.get(p.fingerprint)?.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'unavailable', 'unavailable', 'unavailable']);
  });

  it('fails with a TargetEvidenceError when the query fails, and judge() says unavailable where it cannot tell', async () => {
    const { server: s, source } = await rig();
    s.faults.add('start_xql_query', { status: 500, times: 10 });
    const error = await source.collect(credentials(s.url), { targets: TARGETS, range: RANGE }, { deadline: NOW + MIN }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetEvidenceError);
    const partial = (error as TargetEvidenceError).partial;
    expect(partial.events).toBeNull();
    expect(partial.agents?.map((a) => a.hostname).sort()).toEqual(['APP01', 'FS01', 'SQL01']);
    const out = judge(PAIRS, partial, (error as Error).message);
    expect(PAIRS.map((p) => out.get(p.fingerprint)?.status)).toEqual(['unavailable', 'unavailable', 'unavailable', 'unavailable', 'unmanaged', 'unmanaged']);
  });
});

describe('presence through the endpoints API', () => {
  it('retries a get_endpoint that failed with a server error (a read, safe to repeat)', async () => {
    const { server: s, source } = await rig();
    s.faults.add('get_endpoint', { status: 503 });
    const evidence = await source.collect(credentials(s.url), { targets: ['fs01'], range: RANGE }, { deadline: NOW + MIN });
    expect(evidence.agents?.map((a) => a.hostname)).toEqual(['FS01']);
    expect(s.stats.endpointRequests).toBe(2); // hostname twice (503, then 200); no IP target, no ip_list request
    expect(evidence.report.endpointRequests).toBe(2);
  });

  it('reads every page when more than 100 agents answer one filter', async () => {
    // 150 VDI agents behind one address: the API gives at most 100 a page
    const vdi = Array.from({ length: 150 }, (_, i) => noise({ id: `c${String(i).padStart(31, '0')}`, name: `VDI${i}`, ip: ['10.9.9.9'] }, T0));
    const { server: s, source } = await rig(vdi);
    const evidence = await source.collect(credentials(s.url), { targets: ['10.9.9.9'], range: RANGE }, { deadline: NOW + MIN });
    expect(evidence.agents).toHaveLength(150);
    expect(s.stats.endpointRequests).toBe(2);
    expect(evidence.report.endpointRequests).toBe(2);
  });
});

describe('get_endpoint on the local XSIAM', () => {
  const ask = async (s: LocalXsiam, requestData: unknown, auth = true) => {
    const res = await fetch(`${s.url}/public_api/v1/endpoints/get_endpoint`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: API_KEY, 'x-xdr-auth-id': KEY_ID } : {}) },
      body: JSON.stringify({ request_data: requestData }),
    });
    return { status: res.status, json: (await res.json()) as { reply: Record<string, unknown> } };
  };

  it('derives endpoints from the agents in its events and filters host names and addresses exactly', async () => {
    const { server: s } = await rig();
    const byName = await ask(s, { filters: [{ field: 'hostname', operator: 'in', value: ['FS01', 'HV02'] }] });
    expect(byName.status).toBe(200);
    expect(byName.json.reply).toMatchObject({ total_count: 1, result_count: 1, endpoints: [{ endpoint_id: AGENTS.fs01.id, endpoint_name: 'FS01', ip: ['10.1.1.21'], ipv6: [], endpoint_status: 'CONNECTED' }] });
    // how Get Endpoint matches names is not documented: the local one takes the strictest reading
    expect((await ask(s, { filters: [{ field: 'hostname', operator: 'in', value: ['fs01'] }] })).json.reply).toMatchObject({ total_count: 0 });
    const byIp = await ask(s, { filters: [{ field: 'ip_list', operator: 'in', value: ['10.1.1.5'] }] });
    expect(byIp.json.reply).toMatchObject({ total_count: 0, endpoints: [] });
    const both = await ask(s, { filters: [{ field: 'hostname', operator: 'in', value: ['FS01'] }, { field: 'ip_list', operator: 'in', value: ['10.1.1.30'] }] });
    expect(both.json.reply).toMatchObject({ total_count: 0 }); // AND, not OR
  });

  it('answers each agent\'s endpoint_status and its IPv6 addresses (ipv6), and matches ip_list on either family', async () => {
    const dual = { ...AGENTS.app01, ip: ['10.1.1.35'] };
    const events = [{ ...noise(dual, T0), agent_ip_addresses_v6: ['fd00::35'] }, noise(AGENTS.fs01, T0), noise(AGENTS.sql01, T0), noise(AGENTS.ws, T0)];
    server = await startLocalXsiam({ credentials: { keyId: KEY_ID, key: API_KEY }, events, endpointStatuses: { [AGENTS.sql01.id]: 'LOST' } });
    server.setEndpointStatus(AGENTS.fs01.id, 'DISCONNECTED');
    server.setEndpointStatus(AGENTS.ws.id, 'UNINSTALLED');
    const all = await ask(server, {});
    const statusOf = Object.fromEntries((all.json.reply.endpoints as { endpoint_name: string; endpoint_status: string }[]).map((e) => [e.endpoint_name, e.endpoint_status]));
    expect(statusOf).toEqual({ FS01: 'DISCONNECTED', SQL01: 'LOST', APP01: 'CONNECTED', 'WS-FIN-023': 'UNINSTALLED' });
    const byV6 = await ask(server, { filters: [{ field: 'ip_list', operator: 'in', value: ['fd00::35'] }] });
    expect(byV6.json.reply).toMatchObject({ total_count: 1, endpoints: [{ endpoint_name: 'APP01', ip: ['10.1.1.35'], ipv6: ['fd00::35'] }] });
  });

  it('returns at most 100 endpoints a page, with the total', async () => {
    const many = Array.from({ length: 150 }, (_, i) => noise({ id: `b${String(i).padStart(31, '0')}`, name: `WS${i}`, ip: `10.2.${Math.floor(i / 200)}.${i}` }, T0));
    const { server: s } = await rig(many);
    const first = await ask(s, { search_from: 0, search_to: 500 });
    expect(first.json.reply).toMatchObject({ total_count: 150, result_count: 100 });
    const second = await ask(s, { search_from: 100, search_to: 200 });
    expect(second.json.reply).toMatchObject({ total_count: 150, result_count: 50 });
  });

  it('refuses bad filters and unauthenticated requests with the documented error envelope', async () => {
    const { server: s } = await rig();
    expect((await ask(s, { filters: [{ field: 'hostname', operator: 'in', value: 'FS01' }] })).status).toBe(400);
    expect((await ask(s, { filters: [{ field: 'nope', operator: 'in', value: [] }] })).status).toBe(400);
    const denied = await ask(s, {}, false);
    expect(denied.status).toBe(401);
    expect(denied.json.reply).toMatchObject({ err_code: 401 });
  });
});

describe('reading get_endpoint replies (statuses, IPv6, names in any case)', () => {
  it('finds the agent whatever the case of the /node: value: it asks for the forms it needs and compares case-insensitively', async () => {
    const { server: s, source } = await rig([noise(AGENTS.app01, T0 - 30 * MIN), noise({ ...AGENTS.fs01, name: 'fs01' }, T0 - 30 * MIN)]);
    const targets = ['App01', 'FS01.corp.example'];
    const evidence = await source.collect(credentials(s.url), { targets, range: RANGE }, { deadline: NOW + MIN });
    expect(evidence.agents?.map((a) => a.hostname).sort()).toEqual(['APP01', 'fs01']);
    const out = judge(targets.map((t) => pair(t, CMD)), evidence);
    expect([...out.values()].map((c) => [c.target, c.status, c.agentHostname])).toEqual([['App01', 'not-seen', 'APP01'], ['FS01.corp.example', 'not-seen', 'fs01']]);
  });

  it.each([
    ['ipv6', { ip: ['10.1.1.35'], ipv6: ['FD00:0:0:0:0:0:0:35'] }],
    ['ip_address_v6', { ip: ['10.1.1.35'], ip_address_v6: 'fd00::35' }],
    ['an IPv6 entry of ip', { ip: ['10.1.1.35', 'fd00::35'] }],
  ])('reads the endpoint\'s v6 addresses from %s, and its status', async (_field, addresses) => {
    const { server: s, source } = await rig([]);
    const reply = { reply: { total_count: 1, result_count: 1, endpoints: [{ endpoint_id: AGENTS.app01.id, endpoint_name: 'APP01', endpoint_status: 'LOST', ...addresses }] } };
    // the ip_list request (the only one: no host-name target) gets this reply
    s.faults.add('get_endpoint', { json: reply });
    const evidence = await source.collect(credentials(s.url), { targets: ['fd00::35'], range: RANGE }, { deadline: NOW + MIN });
    expect(evidence.agents).toEqual([expect.objectContaining({ agentId: AGENTS.app01.id, status: 'LOST' })]);
    expect(judge([pair('fd00::35', CMD)], evidence).values().next().value).toMatchObject({ status: 'unavailable', agentId: AGENTS.app01.id });
  });
});
