/**
 * confirmPairs() over a scripted TargetEvidenceSource: what ops read (the summed cost counters,
 * the log fields, the group cap) and what an analyst reads (the "Not checked: …" sentence).
 */
import { describe, expect, it } from 'vitest';
import { confirmPairs, MAX_CONFIRM_GROUPS, TargetEvidenceError, type ConfirmPair } from '../../lambda/confirm/index.js';
import type { ConfirmReport, TargetEvidence, TargetEvidenceRequest, TargetEvidenceSource } from '../../lambda/confirm/types.js';
import type { CredentialsProvider } from '../../lambda/ports.js';
import { XsiamAuthError, type XsiamCredentials } from '../../lambda/xsiam/index.js';
import { MIN, pair, T0 } from './fixture.js';

const CMD = 'cmd.exe /c vssadmin delete shadows /all /quiet';
const NOW = T0 + 60 * MIN;
const HOUR = 60 * MIN;
const OPTIONS = { now: NOW, ingestLagMs: 5 * MIN, deadline: NOW + MIN };
const CREDS = { url: 'https://api-corp.xdr.eu.paloaltonetworks.com', keyId: '7', apiKey: 'k'.repeat(64), keyType: 'advanced' } as unknown as XsiamCredentials;

type Step = (request: TargetEvidenceRequest, call: number) => TargetEvidence;

/** Answers call n with steps[n] (the last step repeats); records every request. */
function scripted(...steps: Step[]): TargetEvidenceSource & { requests: TargetEvidenceRequest[] } {
  const requests: TargetEvidenceRequest[] = [];
  return {
    requests,
    async collect(_c, request) {
      requests.push(request);
      return steps[Math.min(requests.length - 1, steps.length - 1)]!(request, requests.length);
    },
  };
}

const cost = (n: number): ConfirmReport => ({ httpCalls: 3 * n, queryCost: 0.5 * n, queries: n, endpointRequests: 2 * n });
const found = (report: ConfirmReport): Step => (request) => ({ range: request.range, events: [], eventsComplete: true, agents: [], report });
const creds: CredentialsProvider = { async get() { return CREDS; } };

function run(evidence: TargetEvidenceSource, pairs: readonly ConfirmPair[], warnings: unknown[][] = []) {
  return confirmPairs({ credentials: creds, evidence, log: { warn: (...args: unknown[]) => warnings.push(args) } }, pairs, OPTIONS);
}

/** `n` pairs, three hours apart (more than JOIN_GAP_MS), so each is its own group. */
const spread = (n: number): ConfirmPair[] => Array.from({ length: n }, (_, i) => pair(`fs${i}`, CMD, T0 - i * 3 * HOUR));

describe('confirmPairs, over a scripted evidence source', () => {
  it('sums every counter over the groups it queried', async () => {
    const source = scripted(found(cost(1)), found(cost(4)));
    const out = await run(source, [pair('fs01', CMD), pair('sql01', CMD, T0 - 30 * HOUR)]);
    expect(source.requests).toHaveLength(2);
    expect(out.report).toEqual({ httpCalls: 15, queryCost: 2.5, queries: 5, endpointRequests: 10 });
  });

  it(`queries at most ${MAX_CONFIRM_GROUPS} groups; the oldest beyond waits, with the reason for the analyst`, async () => {
    const inside = scripted(found(cost(1)));
    const six = await run(inside, spread(MAX_CONFIRM_GROUPS));
    expect(inside.requests).toHaveLength(MAX_CONFIRM_GROUPS);
    expect([...six.confirmations.values()].map((c) => c.detail)).not.toContain(expect.stringMatching(/too many/));

    const outside = scripted(found(cost(1)));
    const pairs = spread(MAX_CONFIRM_GROUPS + 1);
    const seven = await run(outside, pairs);
    expect(outside.requests).toHaveLength(MAX_CONFIRM_GROUPS);
    expect(outside.requests.flatMap((r) => r.targets)).not.toContain(`fs${MAX_CONFIRM_GROUPS}`);
    expect(seven.report.queries).toBe(MAX_CONFIRM_GROUPS);
    expect(seven.confirmations.get(pairs[MAX_CONFIRM_GROUPS]!.fingerprint)).toMatchObject({
      status: 'unavailable',
      detail: 'Not checked: the chunk had too many separate launch times to check at once; the pair waits for a later check.',
    });
  });

  it('asks only about checkable targets, and nothing at all when none is', async () => {
    const source = scripted(found(cost(1)));
    await run(source, [pair('@targets.txt', CMD), pair('fs01', CMD), pair('fs01', 'whoami')]);
    expect(source.requests.map((r) => r.targets)).toEqual([['fs01']]);

    const none = scripted(found(cost(1)));
    const out = await run(none, [pair('@hosts.txt', CMD)]);
    expect(none.requests).toHaveLength(0);
    expect(out.report).toEqual(cost(0));
    expect([...out.confirmations.values()][0]?.detail).toBe('Not checked: the targets were read from a file (@list) on the source host.');
  });

  it('tells the analyst why a launch newer than the ingest lag is not checked yet', async () => {
    const source = scripted(found(cost(1)));
    const recent = pair('fs01', CMD, NOW - 2 * MIN);
    const out = await run(source, [recent]);
    expect(source.requests).toHaveLength(0);
    expect(out.confirmations.get(recent.fingerprint)?.detail).toBe('Not checked: the launch is more recent than the ingest lag; the target side is not in XSIAM yet.');
  });

  it('keeps the part that came back and its cost when the evidence fails half-way, and logs the failure capped', async () => {
    const agent = { agentId: 'a0000000000000000000000000000001', hostname: 'FS01', ips: ['10.1.1.21'], status: 'CONNECTED' };
    const source = scripted((request) => {
      const partial = { range: request.range, events: null, eventsComplete: false, agents: [agent], report: cost(2) };
      throw new TargetEvidenceError('x'.repeat(600), partial, { cause: new Error('HTTP 500') });
    });
    const warnings: unknown[][] = [];
    const p = pair('fs01', CMD);
    const out = await run(source, [p], warnings);
    expect(out.report).toEqual(cost(2));
    expect(out.failure).toBe(`TargetEvidenceError: ${'x'.repeat(600)}`);
    expect(out.confirmations.get(p.fingerprint)).toMatchObject({ status: 'unavailable', agentId: agent.agentId });
    expect(out.confirmations.get(p.fingerprint)?.detail).toMatch(/^The target has an XSIAM agent, but its process events could not be read: TargetEvidenceError: x+\.$/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]![1]).toEqual({ error: `TargetEvidenceError: ${'x'.repeat(600)}`.slice(0, 500) });
  });

  it('logs the refused status before re-reading the secret, and counts both attempts', async () => {
    const refused = new TargetEvidenceError('XSIAM refused', { range: { from: 0, to: 1 }, events: null, eventsComplete: false, agents: null, report: cost(1) },
      { cause: new XsiamAuthError('HTTP 401', { status: 401, call: 'start_xql_query' }) });
    const source = scripted(() => { throw refused; }, found(cost(2)));
    const warnings: unknown[][] = [];
    const out = await run(source, [pair('fs01', CMD)], warnings);
    expect(out.failure).toBeNull();
    expect(out.report).toEqual(cost(3));
    expect(warnings.map((w) => w[1])).toEqual([{ status: 401 }]);
  });

  it('names an unknown failure as such', async () => {
    const source = scripted(() => { throw 'socket hang up'; });
    const p = pair('fs01', CMD);
    const out = await run(source, [p]);
    expect(out.failure).toBe('unknown error');
    expect(out.confirmations.get(p.fingerprint)?.detail).toBe('Not checked: unknown error.');
  });

  it('says the query did not run when the source hands back no events and no agents without an error', async () => {
    const p = pair('fs01', CMD);
    const out = await run(scripted((request) => ({ range: request.range, events: null, eventsComplete: false, agents: null, report: cost(0) })), [p]);
    expect(out.failure).toBeNull();
    expect(out.confirmations.get(p.fingerprint)?.detail).toMatch(/could not be checked: the confirmation query did not run\.$/);
  });
});
