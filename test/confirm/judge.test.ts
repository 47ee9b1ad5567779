import { describe, expect, it } from 'vitest';
import { applyConfirmation, judge, judgePair, toTargetEvents, type ManagedAgent, type TargetEvidence } from '../../lambda/confirm/index.js';
import { RISK_REASONS } from '../../lambda/detect/index.js';
import type { Finding } from '../../lambda/finding.js';
import { AGENTS, child, MIN, pair, SEC, T0, type Agent } from './fixture.js';

const RANGE = { from: T0 - 10 * MIN, to: T0 + 30 * MIN };
const CMD = 'cmd.exe /c vssadmin delete shadows /all /quiet';

const managed = (a: Agent): ManagedAgent => ({ agentId: a.id, hostname: a.name, ips: Array.isArray(a.ip) ? a.ip : [a.ip], status: 'CONNECTED' });

function evidence(rows: Record<string, unknown>[], agents: ManagedAgent[] | null, over: Partial<TargetEvidence> = {}): TargetEvidence {
  return {
    range: RANGE, events: toTargetEvents(rows).events, eventsComplete: true, agents,
    report: { httpCalls: 0, queryCost: 0, queries: 1, endpointRequests: 1 }, ...over,
  };
}

describe('judge(): one outcome per notified pair', () => {
  it('confirms a pair with the target event: eventId, time, process, commandLine, user, agent', () => {
    const row = child(AGENTS.fs01, T0 + 3 * SEC, 'C:\\Windows\\system32\\cmd.exe /c "vssadmin delete shadows /all /quiet"');
    const c = judgePair(pair('fs01', CMD), evidence([row], [managed(AGENTS.fs01)]), 'n/a');
    expect(c).toMatchObject({
      status: 'confirmed', target: 'fs01', eventId: row.event_id, time: T0 + 3 * SEC, process: 'cmd.exe',
      commandLine: row.action_process_image_command_line, user: 'CORP\\svc_backup', agentId: AGENTS.fs01.id, agentHostname: 'FS01',
    });
    expect(c.detail).toContain('WmiPrvSE.exe started cmd.exe on FS01');
  });

  it('confirms an FQDN target from the agent that reports the short name, and an IP target from its agent', () => {
    const rows = [child(AGENTS.sql01, T0 + 2 * SEC, CMD)];
    expect(judgePair(pair('sql01.corp.example', CMD), evidence(rows, []), 'n/a').status).toBe('confirmed');
    expect(judgePair(pair('10.1.1.30', CMD), evidence(rows, []), 'n/a').status).toBe('confirmed');
  });

  it('says not-seen when the host reports to XSIAM but no such child appeared', () => {
    const rows = [child(AGENTS.app01, T0 + 2 * SEC, 'cmd.exe /c whoami')]; // another command
    const c = judgePair(pair('app01', CMD), evidence(rows, [managed(AGENTS.app01)]), 'n/a');
    expect(c).toMatchObject({ status: 'not-seen', eventId: null, agentId: AGENTS.app01.id, agentHostname: 'APP01' });
    expect(c.detail).toMatch(/reports to XSIAM.*no such command/);
    // known only from the endpoints API, no row at all
    expect(judgePair(pair('app01', CMD), evidence([], [managed(AGENTS.app01)]), 'n/a').status).toBe('not-seen');
  });

  it('says unmanaged when no agent has the name or IP', () => {
    const c = judgePair(pair('hv02', CMD), evidence([], [managed(AGENTS.fs01)]), 'n/a');
    expect(c).toMatchObject({ status: 'unmanaged', agentId: null });
    expect(c.detail).toContain('blind spot');
  });

  it('does not let the agent at 10.1.1.50 confirm a pair aimed at 10.1.1.5 (the IP-prefix trap)', () => {
    const rows = [child(AGENTS.trap, T0 + 2 * SEC, CMD)];
    expect(judgePair(pair('10.1.1.5', CMD), evidence(rows, [managed(AGENTS.trap)]), 'n/a').status).toBe('unmanaged');
    expect(judgePair(pair('10.1.1.50', CMD), evidence(rows, [managed(AGENTS.trap)]), 'n/a').status).toBe('confirmed');
  });

  it('ignores a target event outside the pair\'s time (before the skew, after the follow window)', () => {
    const early = child(AGENTS.fs01, T0 - 2 * MIN, CMD);
    const late = child(AGENTS.fs01, T0 + 7 * MIN, CMD);
    expect(judgePair(pair('fs01', CMD), evidence([early, late], [managed(AGENTS.fs01)]), 'n/a').status).toBe('not-seen');
    const skewed = child(AGENTS.fs01, T0 - 30 * SEC, CMD);
    expect(judgePair(pair('fs01', CMD), evidence([skewed], [managed(AGENTS.fs01)]), 'n/a').eventId).toBe(skewed.event_id);
  });

  it('takes a target event exactly at the skew and follow edges, and not 1 ms outside either', () => {
    // [firstSeen − 1 min skew, lastSeen + 5 min follow], both ends inclusive (range.ts DEFAULT_TIMING).
    const at = (t: number) => judgePair(pair('fs01', CMD), evidence([child(AGENTS.fs01, t, CMD)], [managed(AGENTS.fs01)]), 'n/a').status;
    expect(at(T0 - MIN)).toBe('confirmed');
    expect(at(T0 - MIN - 1)).toBe('not-seen');
    expect(at(T0 + 5 * MIN)).toBe('confirmed');
    expect(at(T0 + 5 * MIN + 1)).toBe('not-seen');
  });

  it('picks the earliest matching event when the command ran several times', () => {
    const rows = [child(AGENTS.fs01, T0 + 4 * MIN, CMD), child(AGENTS.fs01, T0 + 2 * SEC, CMD)];
    expect(judgePair(pair('fs01', CMD, T0, T0 + 3 * MIN), evidence(rows, []), 'n/a').eventId).toBe(rows[1]!.event_id);
  });

  it('says unavailable when the check could not be made, and still uses what it knows', () => {
    const reason = 'XsiamAuthError: get_endpoint: HTTP 403';
    // nothing collected at all
    expect(judgePair(pair('fs01', CMD), null, reason)).toMatchObject({ status: 'unavailable', detail: `Not checked: ${reason}.` });
    // the XQL part failed: an agent is known, but its events are not
    expect(judgePair(pair('fs01', CMD), evidence([], [managed(AGENTS.fs01)], { events: null }), reason).status).toBe('unavailable');
    // ... while a target without agent is still a blind spot
    expect(judgePair(pair('hv02', CMD), evidence([], [managed(AGENTS.fs01)], { events: null }), reason).status).toBe('unmanaged');
    // the presence part failed: a child found still confirms; no child tells nothing
    const rows = [child(AGENTS.fs01, T0 + 2 * SEC, CMD)];
    expect(judgePair(pair('fs01', CMD), evidence(rows, null), reason).status).toBe('confirmed');
    expect(judgePair(pair('hv02', CMD), evidence(rows, null), reason).status).toBe('unavailable');
  });

  it('does not call a miss not-seen when the query hit its row limit or did not cover the pair', () => {
    expect(judgePair(pair('fs01', CMD), evidence([], [managed(AGENTS.fs01)], { eventsComplete: false }), 'n/a').status).toBe('unavailable');
    const cut = { from: T0 - MIN, to: T0 + MIN };
    expect(judgePair(pair('fs01', CMD), evidence([], [managed(AGENTS.fs01)], { range: cut }), 'n/a').status).toBe('unavailable');
  });

  it('cannot check an @file target or a pair without a remote command', () => {
    expect(judgePair(pair('@c:\\t\\hosts.txt', CMD), evidence([], []), 'n/a').status).toBe('unavailable');
    expect(judgePair(pair('fs01', null), evidence([child(AGENTS.fs01, T0 + SEC, CMD)], [managed(AGENTS.fs01)]), 'n/a').status).toBe('not-seen');
  });

  it('gives every pair exactly one outcome, keyed by fingerprint', () => {
    const pairs = [pair('fs01', CMD), pair('hv02', CMD), pair('app01', CMD, T0 + 1)];
    const out = judge(pairs, evidence([child(AGENTS.fs01, T0 + SEC, CMD)], [managed(AGENTS.fs01), managed(AGENTS.app01)]));
    expect([...out.keys()]).toEqual(pairs.map((p) => p.fingerprint));
    expect([...out.values()].map((c) => c.status)).toEqual(['confirmed', 'unmanaged', 'not-seen']);
  });
});

describe('the confirmation in the risk score', () => {
  const finding = { riskScore: 85, severity: 'high', reasons: [{ code: 'payload.ransomware', points: 10, detail: 'x' }] } as unknown as Finding;
  const c = (status: 'confirmed' | 'unmanaged' | 'not-seen') => judgePair(pair('fs01', CMD), evidence(status === 'confirmed' ? [child(AGENTS.fs01, T0 + SEC, CMD)] : [], status === 'unmanaged' ? [] : [managed(AGENTS.fs01)]), 'n/a');

  it('raises the score with target.confirmed more than with target.unmanaged, from the reason table', () => {
    expect(RISK_REASONS['target.confirmed'].points).toBeGreaterThan(RISK_REASONS['target.unmanaged'].points);
    expect(RISK_REASONS['target.unmanaged'].points).toBeGreaterThan(0);
    const confirmed = applyConfirmation(finding, c('confirmed'));
    expect(confirmed.reasons.map((r) => r.code)).toEqual(['payload.ransomware', 'target.confirmed']);
    expect(confirmed.riskScore).toBe(85 + RISK_REASONS['target.confirmed'].points);
    expect(confirmed.severity).toBe('critical');
    expect(applyConfirmation(finding, c('unmanaged')).riskScore).toBe(85 + RISK_REASONS['target.unmanaged'].points);
    expect(applyConfirmation(finding, c('not-seen'))).toBe(finding);
  });

  it('adds the reason once and keeps the score within 0–100', () => {
    const twice = applyConfirmation(applyConfirmation({ ...finding, riskScore: 98 } as Finding, c('confirmed')), c('confirmed'));
    expect(twice.reasons.filter((r) => r.code === 'target.confirmed')).toHaveLength(1);
    expect(twice.riskScore).toBe(100);
  });

  it('gives a routine source\'s confirmed launch target.confirmed-routine, 0 points: expected of a routine admin action', () => {
    // the sample day's helpdesk gpupdate: 85 − 20 (history.routine-source) = 65, just under high
    const routine = { riskScore: 65, severity: 'medium', reasons: [{ code: 'history.routine-source', points: -20, detail: 'x' }] } as unknown as Finding;
    expect(RISK_REASONS['target.confirmed-routine'].points).toBe(0);
    const confirmed = applyConfirmation(routine, c('confirmed'));
    expect(confirmed.reasons.map((r) => r.code)).toEqual(['history.routine-source', 'target.confirmed-routine']);
    expect(confirmed).toMatchObject({ riskScore: 65, severity: 'medium' });
    // applied again (a pending pair re-checked) it neither adds a second reason nor points
    expect(applyConfirmation(confirmed, c('confirmed'))).toBe(confirmed);
    // an unmanaged target is still a blind spot, routine or not
    expect(applyConfirmation(routine, c('unmanaged')).riskScore).toBe(65 + RISK_REASONS['target.unmanaged'].points);
  });
});

describe('the confirmation object of the JSON outputs', () => {
  it('keeps every field, with the time in ISO 8601', async () => {
    const { confirmationJson, CONFIRMATION_HEADLINES } = await import('../../lambda/confirm/index.js');
    const row = child(AGENTS.fs01, T0 + 3 * SEC, CMD);
    const json = confirmationJson(judgePair(pair('fs01', CMD), evidence([row], []), 'n/a'));
    expect(json).toMatchObject({ status: 'confirmed', eventId: row.event_id, time: '2026-11-28T10:00:03.000Z', agentId: AGENTS.fs01.id });
    const unmanaged = confirmationJson(judgePair(pair('hv02', CMD), evidence([], []), 'n/a'));
    expect(Object.keys(unmanaged)).toEqual(Object.keys(json));
    expect(unmanaged).toMatchObject({ status: 'unmanaged', eventId: null, time: null });
    expect(Object.keys(CONFIRMATION_HEADLINES).sort()).toEqual(['confirmed', 'not-seen', 'unavailable', 'unmanaged']);
  });
});

describe('agent statuses and command lines that judge wrongly otherwise', () => {
  const pairAt = { fingerprint: 'fp-1', targetHost: 'fs01', remoteCommand: 'net user bob *** /add', firstSeen: 1_000_000, lastSeen: 1_000_000 };
  const evidenceWith = (status: string, commandLine: string | null = null) => ({
    range: { from: 0, to: 10_000_000 }, eventsComplete: true,
    agents: [{ agentId: 'a1', hostname: 'FS01', ips: ['10.1.1.21'], status }],
    events: commandLine === null ? [] : [{ eventId: 't1', time: 1_002_000, agentId: 'a1', agentHostname: 'FS01', agentIps: ['10.1.1.21'], process: 'net.exe', commandLine, user: null }],
  });

  it.each(['DISCONNECTED', 'LOST', 'disconnected'])('reads a %s agent\'s silence as unavailable, naming the status', (status) => {
    const c = judgePair(pairAt, evidenceWith(status) as never, 'x');
    expect(c.status).toBe('unavailable');
    expect(c.detail).toContain(status.toUpperCase());
  });

  it('reads an UNINSTALLED agent as unmanaged, not "the launch failed or was blocked"', () => {
    const c = judgePair(pairAt, evidenceWith('UNINSTALLED') as never, 'x');
    expect(c.status).toBe('unmanaged');
    expect(c.detail).not.toContain('failed or was blocked');
  });

  it('still confirms on a disconnected agent whose start did arrive', () => {
    expect(judgePair(pairAt, evidenceWith('DISCONNECTED', 'net user bob S3cret /add') as never, 'x').status).toBe('confirmed');
  });

  it('does not confirm a target line with extra arguments against a redacted command', () => {
    expect(judgePair(pairAt, evidenceWith('CONNECTED', 'net user bob S3cret /add /domain') as never, 'x').status).toBe('not-seen');
    expect(judgePair(pairAt, evidenceWith('CONNECTED', 'net user bob S3cret extra /add') as never, 'x').status).toBe('not-seen');
    expect(judgePair(pairAt, evidenceWith('CONNECTED', 'net user bob S3cret /add') as never, 'x').status).toBe('confirmed');
  });

  it('matches an IPv6 target against the agent\'s v6 address in any spelling', () => {
    const v6 = { ...pairAt, targetHost: 'FE80:0:0:0:0:0:0:21' };
    const e = { ...evidenceWith('CONNECTED', 'net user bob S3cret /add'), events: [{ eventId: 't1', time: 1_002_000, agentId: 'a1', agentHostname: 'FS01', agentIps: ['10.1.1.21', 'fe80::21'], process: 'net.exe', commandLine: 'net user bob S3cret /add', user: null }] };
    expect(judgePair(v6, e as never, 'x').status).toBe('confirmed');
  });
});
