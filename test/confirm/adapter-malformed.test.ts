/**
 * A malformed get_endpoint reply over the local XSIAM: the confirmation names what was wrong in a
 * clear error, and keeps the process events it did read. Reply shape per docs/reference (the
 * endpoints API answers `{ reply: { total_count, result_count, endpoints: [...] } }`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { confirmPairs, TargetEvidenceError, XsiamTargetEvidence } from '../../lambda/confirm/index.js';
import { startLocalXsiam, type LocalXsiam } from '../../local/xsiam/index.js';
import { createXsiamClient, XsiamProtocolError, type XsiamClient } from '../../lambda/xsiam/index.js';
import { API_KEY, credentials, KEY_ID } from '../xsiam/support.js';
import { AGENTS, child, MIN, pair, SEC, T0 } from './fixture.js';

const CMD = 'cmd.exe /c vssadmin delete shadows /all /quiet';
const NOW = T0 + 60 * MIN;
const RANGE = { from: T0 - MIN, to: T0 + 10 * MIN };

let server: LocalXsiam | undefined;
let client: XsiamClient | undefined;

async function rig(): Promise<{ s: LocalXsiam; source: XsiamTargetEvidence }> {
  server = await startLocalXsiam({ credentials: { keyId: KEY_ID, key: API_KEY }, events: [child(AGENTS.fs01, T0 + 2 * SEC, CMD)], clock: { now: () => NOW } });
  client = createXsiamClient({ allowLoopback: true, clock: { now: () => NOW }, sleep: async () => undefined, random: () => 0.5 });
  return { s: server, source: new XsiamTargetEvidence({ client }) };
}

afterEach(async () => {
  await client?.close();
  await server?.close();
  server = undefined;
  client = undefined;
});

describe('a malformed get_endpoint reply', () => {
  it.each([
    ['endpoints is not a list', { reply: { total_count: 1, result_count: 1, endpoints: 'oops' } }, 'expected reply.endpoints to be an array, got string "oops"'],
    ['no reply object', { endpoints: [] }, 'expected the body to be an object with a "reply" object'],
  ])('%s: named in the error, the events kept', async (_name, json, said) => {
    const { s, source } = await rig();
    s.faults.add('get_endpoint', { json });
    const error = await source.collect(credentials(s.url), { targets: ['fs01'], range: RANGE }, { deadline: NOW + MIN }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetEvidenceError);
    const e = error as TargetEvidenceError;
    expect(e.cause).toBeInstanceOf(XsiamProtocolError);
    expect(e.message).toContain(`target confirmation could not read presence (endpoints API): XsiamProtocolError: get_endpoint: ${said}`);
    expect(e.partial.agents).toBeNull();
    expect(e.partial.events?.map((ev) => ev.agentHostname)).toEqual(['FS01']);
  });

  it('still confirms the pair whose process start was read, and says why the check is partial', async () => {
    const { s, source } = await rig();
    s.faults.add('get_endpoint', { json: { reply: { total_count: 1, result_count: 1, endpoints: 'oops' } } });
    const creds = { async get() { return credentials(s.url); } };
    const p = pair('fs01', CMD);
    const out = await confirmPairs({ credentials: creds, evidence: source, log: { warn: () => undefined } }, [p], { now: NOW, ingestLagMs: 5 * MIN, deadline: NOW + MIN });
    expect(out.confirmations.get(p.fingerprint)?.status).toBe('confirmed');
    expect(out.failure).toMatch(/^TargetEvidenceError: target confirmation could not read presence \(endpoints API\): XsiamProtocolError: get_endpoint: expected reply\.endpoints to be an array/);
  });
});
