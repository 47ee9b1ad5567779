/**
 * toTargetEvents on the rows xdr_data really returns (ids and times as text or numbers, empty
 * fields as "", v4 and v6 address columns; https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM/Cortex-XSIAM-XQL-Schema-Reference/xdr_data)
 * and confirmationReason for each status.
 */
import { describe, expect, it } from 'vitest';
import { applyConfirmation, confirmationReason, toTargetEvents, type Confirmation } from '../../lambda/confirm/index.js';
import { RISK_REASONS } from '../../lambda/detect/index.js';
import type { Finding } from '../../lambda/finding.js';

describe('toTargetEvents', () => {
  it('reads ids and times given as text or numbers, empty text as missing, and both address columns', () => {
    const { events, problems } = toTargetEvents([{
      event_id: 4711, _time: '1764324000000', agent_id: '', agent_hostname: 'FS01', agent_ip_addresses: '10.1.1.21',
      agent_ip_addresses_v6: ['FE80::21'], action_process_image_name: 'net.exe', action_process_image_path: 'C:\\Windows\\System32\\net.exe',
      action_process_image_command_line: 'net user', action_process_username: 'CORP\\admin',
    }]);
    expect(problems).toEqual([]);
    expect(events).toEqual([{
      eventId: '4711', time: 1764324000000, agentId: null, agentHostname: 'FS01', agentIps: ['10.1.1.21', 'fe80::21'],
      process: 'net.exe', processPath: 'C:\\Windows\\System32\\net.exe', commandLine: 'net user', user: 'CORP\\admin',
    }]);
  });

  it('skips a row without id or readable time, naming the row and what is missing', () => {
    const { events, problems } = toTargetEvents([
      { event_id: '', _time: 1 },
      { event_id: 'e1', _time: '12:00' },
      { event_id: 'e2', _time: Number.NaN },
      { event_id: 'e3', _time: Number.POSITIVE_INFINITY },
      { event_id: 'e4', _time: '' },
      { event_id: 'e5', _time: '17x' },
      { event_id: 'e6', _time: 0 },
      { event_id: null, _time: null },
    ]);
    expect(events.map((e) => [e.eventId, e.time])).toEqual([['e6', 0]]);
    expect(problems).toEqual([
      'confirmation row 0: no event_id; skipped',
      'confirmation row 1: no readable _time; skipped',
      'confirmation row 2: no readable _time; skipped',
      'confirmation row 3: no readable _time; skipped',
      'confirmation row 4: no readable _time; skipped',
      'confirmation row 5: no readable _time; skipped',
      'confirmation row 7: no event_id; skipped',
    ]);
  });
});

describe('confirmationReason', () => {
  const c = (status: Confirmation['status']) => ({ status } as Confirmation);
  const routine = { reasons: [{ code: 'history.routine-source', points: -20, detail: 'x' }] };
  const other = { reasons: [{ code: 'payload.ransomware', points: 10, detail: 'x' }] };

  it('adds target.confirmed, or target.confirmed-routine for a routine source, and target.unmanaged for a blind spot', () => {
    expect(confirmationReason(c('confirmed'))).toEqual({ code: 'target.confirmed', ...RISK_REASONS['target.confirmed'] });
    expect(confirmationReason(c('confirmed'), other)?.code).toBe('target.confirmed');
    expect(confirmationReason(c('confirmed'), routine)).toEqual({ code: 'target.confirmed-routine', ...RISK_REASONS['target.confirmed-routine'] });
    expect(confirmationReason(c('unmanaged'), routine)).toEqual({ code: 'target.unmanaged', ...RISK_REASONS['target.unmanaged'] });
    expect(confirmationReason(c('not-seen'))).toBeNull();
    expect(confirmationReason(c('unavailable'))).toBeNull();
  });
});

describe('confirmation of a routine source among other reasons', () => {
  const c = (status: Confirmation['status']) => ({ status } as Confirmation);
  const reason = (code: keyof typeof RISK_REASONS) => ({ code, ...RISK_REASONS[code] });
  // A helpdesk `wmic /node:ws-.. process call create "cmd /c gpupdate /force"` from a routine
  // admin host: the card's 85 (hunts/HuntQuery-Windows-WMIC-RemoteExec.md), cmd /c +5, routine source −20: 70, high.
  const helpdesk = { riskScore: 70, severity: 'high', reasons: [reason('payload.cmd-chain'), reason('history.routine-source')] } as unknown as Finding;

  it('reads a source as routine when any of its reasons is history.routine-source, not only when all are', () => {
    expect(confirmationReason(c('confirmed'), helpdesk)?.code).toBe('target.confirmed-routine');
    const confirmed = applyConfirmation(helpdesk, c('confirmed'));
    // still 70: a confirmed routine launch earns no points
    expect(confirmed).toMatchObject({ riskScore: 70, severity: 'high' });
    expect(confirmed.reasons.map((r) => r.code)).toEqual(['payload.cmd-chain', 'history.routine-source', 'target.confirmed-routine']);
  });

  it('does not read a finding with no reasons as routine', () => {
    expect(confirmationReason(c('confirmed'), { reasons: [] })?.code).toBe('target.confirmed');
  });

  it('adds target.unmanaged once: a pending pair re-checked as unmanaged keeps its score', () => {
    const once = applyConfirmation(helpdesk, c('unmanaged'));
    expect(once.riskScore).toBe(70 + RISK_REASONS['target.unmanaged'].points);
    const twice = applyConfirmation(once, c('unmanaged'));
    expect(twice).toBe(once);
    expect(twice.reasons.filter((r) => r.code === 'target.unmanaged')).toHaveLength(1);
  });
});
