/**
 * judgePair's sentences and edges, as the analyst reads them in the notification: the exact
 * detail of every outcome, the covered-range edges one ms inside and outside, agents known only
 * from their rows, statuses the endpoints API leaves empty, and rows without a process name.
 * Agent statuses: Get Endpoint's endpoint_status
 * (https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR-REST-API/Get-Endpoint);
 * event fields as xdr_data carries them (action_process_image_name may be empty for a start whose
 * image could not be read).
 */
import { describe, expect, it } from 'vitest';
import { judge, judgePair, type ConfirmPair, type ManagedAgent, type TargetEvent, type TargetEvidence } from '../../lambda/confirm/index.js';

const T = Date.UTC(2026, 10, 28, 10, 0, 0);
const MIN = 60_000;
const CMD = 'net user bob *** /add';
const PAIR: ConfirmPair = { fingerprint: 'fp-1', targetHost: 'fs01', remoteCommand: CMD, firstSeen: T, lastSeen: T };
// The pair's window with the default timing: [T − 1 min skew, T + 5 min follow].
const WINDOW = { from: T - MIN, to: T + 5 * MIN };

const agent = (status: string | null, over: Partial<ManagedAgent> = {}): ManagedAgent => ({ agentId: 'a1', hostname: 'FS01', ips: ['10.1.1.21'], status, ...over });
const event = (over: Partial<TargetEvent> = {}): TargetEvent => ({
  eventId: 't1', time: T + 2_000, agentId: 'a1', agentHostname: 'FS01', agentIps: ['10.1.1.21'],
  process: 'net.exe', processPath: 'C:\\Windows\\System32\\net.exe', commandLine: 'net user bob S3cret /add', user: 'CORP\\admin', ...over,
});
const evidence = (events: TargetEvent[] | null, agents: ManagedAgent[] | null, over: Partial<TargetEvidence> = {}): TargetEvidence => ({
  range: WINDOW, events, eventsComplete: true, agents, report: { httpCalls: 0, queryCost: 0, queries: 1, endpointRequests: 1 }, ...over,
});
const judged = (e: TargetEvidence, reason = 'XsiamAuthError: HTTP 403') => judgePair(PAIR, e, reason);

describe('judgePair: the sentence of each outcome', () => {
  it('confirmed: process, agent host name and the ISO time without milliseconds', () => {
    expect(judged(evidence([event()], [agent('CONNECTED')])).detail)
      .toBe('WmiPrvSE.exe started net.exe on FS01 at 2026-11-28T10:00:02Z (event t1).');
    // milliseconds are kept when there are some
    expect(judged(evidence([event({ time: T + 2_345 })], [agent('CONNECTED')])).detail)
      .toBe('WmiPrvSE.exe started net.exe on FS01 at 2026-11-28T10:00:02.345Z (event t1).');
  });

  it('confirmed from a row without process name or host name: the command line matches, the target stands in', () => {
    const c = judged(evidence([event({ process: null, agentHostname: null, agentIps: ['10.1.1.21'] })], null));
    // an IP target finds the agent by address alone
    const byIp = judgePair({ ...PAIR, targetHost: '10.1.1.21' }, evidence([event({ process: null, agentHostname: null })], null), 'x');
    expect(byIp).toMatchObject({ status: 'confirmed', process: null, agentHostname: null });
    expect(byIp.detail).toBe('WmiPrvSE.exe started the remote command on 10.1.1.21 at 2026-11-28T10:00:02Z (event t1).');
    // a host-name target cannot tie a row without host name to itself
    expect(c.status).toBe('unavailable');
  });

  it('confirms from the process name when the command line is missing, and not when both are', () => {
    const bare: ConfirmPair = { ...PAIR, remoteCommand: 'net.exe' };
    expect(judgePair(bare, evidence([event({ commandLine: null, process: 'NET.EXE' })], [agent('CONNECTED')]), 'x').status).toBe('confirmed');
    expect(judgePair(bare, evidence([event({ commandLine: null, process: null })], [agent('CONNECTED')]), 'x').status).toBe('not-seen');
    // a missing command line does not confirm a command with arguments from the process name
    expect(judged(evidence([event({ commandLine: null })], [agent('CONNECTED')])).status).toBe('not-seen');
  });

  it('not-seen: names the agent, its status and the checked time', () => {
    const c = judged(evidence([], [agent('CONNECTED')]));
    expect(c).toMatchObject({ status: 'not-seen', agentId: 'a1', agentHostname: 'FS01', eventId: null });
    expect(c.detail).toBe('FS01 reports to XSIAM (agent CONNECTED), but WmiPrvSE.exe started no such command there between '
      + '2026-11-28T09:59:00Z – 2026-11-28T10:05:00Z: the launch failed or was blocked.');
  });

  it('not-seen from the rows alone: an agent the endpoints API did not list, or listed without a status', () => {
    const other = event({ eventId: 't9', agentId: 'a7', agentHostname: 'fs01', commandLine: 'svchost.exe -k netsvcs', process: 'svchost.exe' });
    const c = judged(evidence([other], []));
    expect(c).toMatchObject({ status: 'not-seen', agentId: 'a7', agentHostname: 'fs01' });
    expect(c.detail).toMatch(/^fs01 reports to XSIAM, but WmiPrvSE\.exe started no such command/);
    const noStatus = judged(evidence([], [agent(null)]));
    expect(noStatus).toMatchObject({ status: 'not-seen', agentId: 'a1' });
    expect(noStatus.detail).toMatch(/^FS01 reports to XSIAM, but /);
  });

  it('unmanaged: the blind-spot sentence, no agent', () => {
    expect(judged(evidence([], [agent('CONNECTED', { hostname: 'APP01', ips: ['10.1.1.35'] })]))).toMatchObject({
      status: 'unmanaged', agentId: null, agentHostname: null,
      detail: 'No XSIAM agent has the name or address fs01: the target is a blind spot; check it by other means.',
    });
  });

  it('an UNINSTALLED agent (any case) is unmanaged, but its rows in the window still show a managed host', () => {
    for (const status of ['UNINSTALLED', 'Uninstalled']) expect(judged(evidence([], [agent(status)])).status).toBe('unmanaged');
    const other = event({ commandLine: 'svchost.exe -k netsvcs', process: 'svchost.exe' });
    expect(judged(evidence([other], [agent('UNINSTALLED')]))).toMatchObject({ status: 'not-seen', agentId: 'a1' });
    // an installed agent beside an uninstalled one of the same name is the one named
    const two = judged(evidence([], [agent('UNINSTALLED', { agentId: 'old' }), agent('CONNECTED', { agentId: 'new' })]));
    expect(two).toMatchObject({ status: 'not-seen', agentId: 'new' });
  });

  it('unavailable: each missing part says what is missing', () => {
    expect(judged(evidence(null, [agent('CONNECTED')]))).toMatchObject({
      status: 'unavailable', agentId: 'a1',
      detail: 'The target has an XSIAM agent, but its process events could not be read: XsiamAuthError: HTTP 403.',
    });
    expect(judged(evidence([], [agent('CONNECTED')], { eventsComplete: false }))).toMatchObject({
      status: 'unavailable', agentId: 'a1',
      detail: 'The target has an XSIAM agent, but the query returned its row limit: the absence of the command proves nothing.',
    });
    expect(judged(evidence([], null))).toMatchObject({
      status: 'unavailable', agentId: null,
      detail: 'No process start of the command was found, and whether the target has an XSIAM agent could not be checked: XsiamAuthError: HTTP 403.',
    });
    expect(judged(null as unknown as TargetEvidence)).toMatchObject({ status: 'unavailable', detail: 'Not checked: XsiamAuthError: HTTP 403.' });
    expect(judgePair({ ...PAIR, targetHost: '@hosts.txt' }, evidence([event()], [agent('CONNECTED')]), 'x')).toMatchObject({
      status: 'unavailable', detail: 'Not checked: the targets were read from a file (@list) on the source host.',
    });
  });
});

describe('judgePair: the queried range must cover the pair\'s window', () => {
  const at = (range: { from: number; to: number }) => judged(evidence([], [agent('CONNECTED')], { range }));

  it('is covered exactly at both ends, and not 1 ms short at either', () => {
    expect(at(WINDOW).status).toBe('not-seen');
    expect(at({ from: WINDOW.from - 1, to: WINDOW.to + 1 }).status).toBe('not-seen');
    expect(at({ from: WINDOW.from + 1, to: WINDOW.to }).status).toBe('unavailable');
    expect(at({ from: WINDOW.from, to: WINDOW.to - 1 }).status).toBe('unavailable');
  });

  it('names the part that was checked: the overlap of window and range', () => {
    expect(at({ from: WINDOW.from + MIN, to: WINDOW.to + 10 * MIN }).detail)
      .toBe('The target has an XSIAM agent, but only 2026-11-28T10:00:00Z – 2026-11-28T10:05:00Z could be checked, not the whole time after the launch.');
    expect(at({ from: WINDOW.from - 10 * MIN, to: WINDOW.to - MIN }).detail)
      .toContain('only 2026-11-28T09:59:00Z – 2026-11-28T10:04:00Z could be checked');
  });
});

describe('judgePair: DISCONNECTED and LOST agents', () => {
  it('waits only when every installed agent of the target is silent, and keeps the agent', () => {
    expect(judged(evidence([], [agent('LOST')]))).toMatchObject({
      status: 'unavailable', agentId: 'a1', agentHostname: 'FS01',
      detail: 'The target\'s XSIAM agent is LOST: it has probably not uploaded its events yet, so its silence proves nothing; the pair waits for a follow-up.',
    });
    // a connected agent of the same host has uploaded: its silence counts
    expect(judged(evidence([], [agent('DISCONNECTED', { agentId: 'a0' }), agent('CONNECTED')])).status).toBe('not-seen');
    // an uninstalled agent beside a lost one does not make the silence count
    expect(judged(evidence([], [agent('UNINSTALLED', { agentId: 'a0' }), agent('LOST')])).status).toBe('unavailable');
    // an agent without a status is not silent
    expect(judged(evidence([], [agent(null), agent('LOST', { agentId: 'a2' })])).status).toBe('not-seen');
  });
});

describe('judgePair: the earliest start wins', () => {
  it('keeps the first row of two starts at the same millisecond, and an earlier one from later in the list', () => {
    const rows = [event({ eventId: 'first' }), event({ eventId: 'second' }), event({ eventId: 'later', time: T + 9_000 })];
    expect(judged(evidence(rows, [agent('CONNECTED')])).eventId).toBe('first');
    expect(judged(evidence([rows[2]!, rows[1]!], [agent('CONNECTED')])).eventId).toBe('second');
  });
});

describe('judge: nothing collected', () => {
  it('says the confirmation query did not run when no reason is given', () => {
    expect([...judge([PAIR], null).values()]).toEqual([expect.objectContaining({ status: 'unavailable', detail: 'Not checked: the confirmation query did not run.' })]);
  });
});
