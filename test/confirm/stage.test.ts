/** confirmPairs() over the local XSIAM: every pair gets an outcome, whatever fails; it never throws. */
import { afterEach, describe, expect, it } from 'vitest';
import { confirmPairs, XsiamTargetEvidence, type ConfirmPair } from '../../lambda/confirm/index.js';
import { startLocalXsiam, type LocalXsiam } from '../../local/xsiam/index.js';
import type { CredentialsProvider } from '../../lambda/ports.js';
import { createXsiamClient, type XsiamClient, type XsiamCredentials } from '../../lambda/xsiam/index.js';
import { API_KEY, credentials, KEY_ID } from '../xsiam/support.js';
import { AGENTS, child, MIN, noise, pair, SEC, T0 } from './fixture.js';

const CMD = 'cmd.exe /c vssadmin delete shadows /all /quiet';
const NOW = T0 + 60 * MIN;
const PAIRS: ConfirmPair[] = [pair('fs01', CMD), pair('app01', CMD), pair('hv02', CMD)];
const statuses = (m: Map<string, { status: string }>) => PAIRS.map((p) => m.get(p.fingerprint)?.status);

let server: LocalXsiam;
let client: XsiamClient;
const warnings: string[] = [];
const log = { warn: (message: string) => warnings.push(message) };

async function rig(): Promise<void> {
  server = await startLocalXsiam({
    credentials: { keyId: KEY_ID, key: API_KEY }, clock: { now: () => NOW },
    events: [child(AGENTS.fs01, T0 + 2 * SEC, CMD), noise(AGENTS.app01, T0 - 5 * MIN)],
  });
  client = createXsiamClient({ allowLoopback: true, clock: { now: () => NOW }, sleep: async () => undefined });
}

/** Gives `first` until asked to refresh, then `second` (a rotated secret). */
function rotating(first: XsiamCredentials, second: XsiamCredentials = first): CredentialsProvider & { reads: number } {
  return {
    reads: 0,
    async get(options) {
      this.reads += 1;
      return options?.forceRefresh ? second : first;
    },
  };
}

afterEach(async () => {
  warnings.length = 0;
  await client.close();
  await server.close();
});

describe('confirmPairs', () => {
  it('judges every pair and reports what the check cost', async () => {
    await rig();
    const out = await confirmPairs({ credentials: rotating(credentials(server.url)), evidence: new XsiamTargetEvidence({ client }), log },
      PAIRS, { now: NOW, ingestLagMs: 5 * MIN, deadline: NOW + MIN });
    expect(statuses(out.confirmations)).toEqual(['confirmed', 'not-seen', 'unmanaged']);
    expect(out.failure).toBeNull();
    expect(out.report).toMatchObject({ queries: 1, endpointRequests: 1 });
    expect(out.report.httpCalls).toBeGreaterThanOrEqual(3);
  });

  it('re-reads a rotated secret once after XSIAM refuses the key', async () => {
    await rig();
    const creds = rotating(credentials(server.url, 'advanced', { apiKey: 'old-key-rotated-away' }), credentials(server.url));
    const out = await confirmPairs({ credentials: creds, evidence: new XsiamTargetEvidence({ client }), log }, PAIRS, { now: NOW, ingestLagMs: 5 * MIN, deadline: NOW + MIN });
    expect(statuses(out.confirmations)).toEqual(['confirmed', 'not-seen', 'unmanaged']);
    expect(creds.reads).toBe(2);
    expect(warnings).toHaveLength(1);
  });

  it('marks every pair unavailable when XSIAM keeps refusing, without throwing or leaking the key', async () => {
    await rig();
    const bad = credentials(server.url, 'standard', { apiKey: 'wrong-key-0123456789' });
    const out = await confirmPairs({ credentials: rotating(bad), evidence: new XsiamTargetEvidence({ client }), log }, PAIRS, { now: NOW, ingestLagMs: 5 * MIN, deadline: NOW + MIN });
    expect(statuses(out.confirmations)).toEqual(['unavailable', 'unavailable', 'unavailable']);
    expect(out.failure).toMatch(/TargetEvidenceError: .*HTTP 401/);
    expect(JSON.stringify([...out.confirmations.values()]) + (out.failure ?? '') + warnings.join()).not.toContain('wrong-key-0123456789');
    expect([...out.confirmations.values()][0]?.detail).toMatch(/401/);
  });

  it('asks nothing when the launches are newer than the ingest lag', async () => {
    await rig();
    const recent = [pair('fs01', CMD, NOW - 2 * MIN)];
    const out = await confirmPairs({ credentials: rotating(credentials(server.url)), evidence: new XsiamTargetEvidence({ client }), log }, recent, { now: NOW, ingestLagMs: 5 * MIN, deadline: NOW + MIN });
    expect(out.confirmations.get(recent[0]!.fingerprint)).toMatchObject({ status: 'unavailable' });
    expect(out.report.httpCalls).toBe(0);
    expect(server.stats.queriesStarted + server.stats.endpointRequests).toBe(0);
  });

  it('confirms a pair found 30 hours late at its own time, beside an on-time one, with one query each', async () => {
    const lateAt = T0 - 30 * 60 * MIN;
    server = await startLocalXsiam({
      credentials: { keyId: KEY_ID, key: API_KEY }, clock: { now: () => NOW },
      events: [child(AGENTS.fs01, T0 + 2 * SEC, CMD), child(AGENTS.sql01, lateAt + 40 * SEC, CMD)],
    });
    client = createXsiamClient({ allowLoopback: true, clock: { now: () => NOW }, sleep: async () => undefined });
    const pairs = [pair('fs01', CMD), pair('sql01', CMD, lateAt)];
    const out = await confirmPairs({ credentials: rotating(credentials(server.url)), evidence: new XsiamTargetEvidence({ client }), log }, pairs, { now: NOW, ingestLagMs: 5 * MIN, deadline: NOW + MIN });
    expect(pairs.map((p) => out.confirmations.get(p.fingerprint)?.status)).toEqual(['confirmed', 'confirmed']);
    expect(out.confirmations.get(pairs[1]!.fingerprint)?.time).toBe(lateAt + 40 * SEC);
    expect(out.report.queries).toBe(2);
  });

  it('does nothing for no pairs', async () => {
    await rig();
    const out = await confirmPairs({ credentials: rotating(credentials(server.url)), evidence: new XsiamTargetEvidence({ client }), log }, [], { now: NOW, ingestLagMs: 5 * MIN, deadline: NOW + MIN });
    expect(out.confirmations.size).toBe(0);
    expect(server.stats.endpointRequests).toBe(0);
  });
});
