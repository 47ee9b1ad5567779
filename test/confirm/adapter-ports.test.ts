/**
 * XsiamTargetEvidence over a scripted client: what it asks the endpoints API and XQL for, the
 * row-limit edge, the problems it passes on, and the failure sentence an analyst reads.
 */
import { describe, expect, it } from 'vitest';
import { CONFIRM_ROW_LIMIT, ConfirmError, TargetEvidenceError, XsiamTargetEvidence, type XsiamEvidenceClient } from '../../lambda/confirm/index.js';
import type { EndpointFilterField, QueryResult, XsiamCredentials, XsiamEndpoint } from '../../lambda/xsiam/index.js';
import { XsiamProtocolError } from '../../lambda/xsiam/index.js';
import { AGENTS, child, MIN, T0 } from './fixture.js';

const CREDS = { url: 'https://api-corp.xdr.eu.paloaltonetworks.com', keyId: '7', apiKey: 'k'.repeat(64), keyType: 'advanced' } as unknown as XsiamCredentials;
const RANGE = { from: T0 - MIN, to: T0 + 5 * MIN };
const CMD = 'cmd.exe /c vssadmin delete shadows /all /quiet';

type Row = Record<string, unknown>;

/** A client answering get_endpoint from `endpoints` (exact value match) and every query with `rows`. */
function scripted(endpoints: XsiamEndpoint[], rows: (xql: string) => Row[], over: { query?: () => never; endpoints?: () => never; rowProblems?: string[] } = {}) {
  const asked: { field: EndpointFilterField; values: readonly string[] }[] = [];
  const queries: string[] = [];
  const client: XsiamEvidenceClient = {
    async getEndpoints(_c, field, values) {
      asked.push({ field, values });
      if (over.endpoints) over.endpoints();
      const hit = endpoints.filter((e) => (field === 'hostname' ? values.includes(e.endpointName) : e.ips.some((ip) => values.includes(ip))));
      return { endpoints: hit, problems: [], httpCalls: 1 };
    },
    async query(_c, xql) {
      queries.push(xql);
      if (over.query) over.query();
      const out = rows(xql);
      return { queryId: 'q1', rows: out, rowProblems: over.rowProblems ?? [], numberOfResults: out.length, queryCost: 0.01, remainingQuota: null, httpCalls: 3, durationMs: 10 } as unknown as QueryResult;
    },
  };
  return { client, asked, queries };
}

// get_endpoint reply fields as docs/reference describes them (endpoint_id, endpoint_name, ip, endpoint_status).
const ep = (a: { id: string; name: string; ip: string | readonly string[] }): XsiamEndpoint =>
  ({ endpointId: a.id, endpointName: a.name, ips: typeof a.ip === 'string' ? [a.ip] : [...a.ip], status: 'CONNECTED' });

describe('XsiamTargetEvidence, over a scripted client', () => {
  it('asks get_endpoint for the first label and the name as written, in both cases', async () => {
    const { client, asked } = scripted([], () => []);
    await new XsiamTargetEvidence({ client }).collect(CREDS, { targets: ['Sql01.Corp.Example'], range: RANGE }, { deadline: T0 + MIN });
    expect(asked.find((a) => a.field === 'hostname')?.values).toEqual(['sql01', 'SQL01', 'sql01.corp.example', 'SQL01.CORP.EXAMPLE']);
  });

  it('selects every agent the endpoints API found for a batch of IP targets by its id', async () => {
    const { client, queries } = scripted([ep(AGENTS.sql01), ep(AGENTS.app01)], () => []);
    await new XsiamTargetEvidence({ client }).collect(CREDS, { targets: ['10.1.1.30', '10.1.1.35'], range: RANGE }, { deadline: T0 + MIN });
    expect(queries).toHaveLength(1);
    expect(queries[0]).toContain(`agent_id in ("${AGENTS.sql01.id}", "${AGENTS.app01.id}")`);
  });

  it('leaves an unchecked target out of the batches: 100 checkable hosts and an @list make one query', async () => {
    const { client, queries } = scripted([], () => []);
    const hosts = Array.from({ length: 100 }, (_, i) => `ws${i}`);
    const out = await new XsiamTargetEvidence({ client }).collect(CREDS, { targets: ['@hosts.txt', ...hosts], range: RANGE }, { deadline: T0 + MIN });
    expect(queries).toHaveLength(1);
    expect(out.report.queries).toBe(1);
  });

  it(`says the events are incomplete at exactly ${CONFIRM_ROW_LIMIT} rows, complete one row below`, async () => {
    const rows = (n: number) => () => Array.from({ length: n }, (_, i) => child(AGENTS.fs01, T0 + i, CMD));
    const full = await new XsiamTargetEvidence({ client: scripted([], rows(CONFIRM_ROW_LIMIT)).client }).collect(CREDS, { targets: ['fs01'], range: RANGE }, { deadline: T0 + MIN });
    expect(full.eventsComplete).toBe(false);
    const under = await new XsiamTargetEvidence({ client: scripted([], rows(CONFIRM_ROW_LIMIT - 1)).client }).collect(CREDS, { targets: ['fs01'], range: RANGE }, { deadline: T0 + MIN });
    expect(under.eventsComplete).toBe(true);
  });

  it('passes on the reply\'s row problems and its own', async () => {
    const problems: string[] = [];
    const { client } = scripted([], () => [{ _time: T0, agent_id: AGENTS.fs01.id }], { rowProblems: ['row 7: not an object; left out'] });
    await new XsiamTargetEvidence({ client, onProblem: (p) => problems.push(p) }).collect(CREDS, { targets: ['fs01'], range: RANGE }, { deadline: T0 + MIN });
    expect(problems).toEqual(['row 7: not an object; left out', 'confirmation row 0: no event_id; skipped']);
  });

  describe('names the part that failed in the sentence the analyst reads', () => {
    const bad = new XsiamProtocolError('get_endpoint: expected reply.endpoints to be an array, got string "oops"', { call: 'get_endpoint', status: 200 });
    const failing = (over: Parameters<typeof scripted>[2]) =>
      new XsiamTargetEvidence({ client: scripted([ep(AGENTS.fs01)], () => [], over).client }).collect(CREDS, { targets: ['fs01'], range: RANGE }, { deadline: T0 + MIN });
    const cases: [string, Parameters<typeof scripted>[2], string][] = [
      ['presence', { endpoints: () => { throw bad; } }, `target confirmation could not read presence (endpoints API): XsiamProtocolError: ${bad.message}`],
      ['events', { query: () => { throw bad; } }, `target confirmation could not read process events (XQL): XsiamProtocolError: ${bad.message}`],
      ['both', { endpoints: () => { throw bad; }, query: () => { throw bad; } }, `target confirmation could not read presence and process events: XsiamProtocolError: ${bad.message}`],
      ['a non-Error', { query: () => { throw 'socket hang up'; } }, 'target confirmation could not read process events (XQL): unknown error'],
    ];
    for (const [name, over, message] of cases) {
      it(name, async () => {
        const error = await failing(over).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TargetEvidenceError);
        expect((error as Error).message).toBe(message);
      });
    }
  });

  it('names a ConfirmError as such', () => {
    expect(new ConfirmError('x').name).toBe('ConfirmError');
  });
});
