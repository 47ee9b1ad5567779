import { describe, expect, it } from 'vitest';
import { batches, buildConfirmationXql, confirmationRange, MAX_TARGETS_PER_QUERY } from '../../lambda/confirm/index.js';
import { parseXql, runXql } from '../../local/xql/index.js';
import { AGENTS, child, MIN, noise, pair, T0 } from './fixture.js';

const range = confirmationRange([pair('fs01', 'x', T0, T0 + 2 * MIN)], T0 + 60 * MIN, 5 * MIN)!;
const run = (xql: string, rows: Record<string, unknown>[]) => runXql(parseXql(xql), rows, { now: T0 + 60 * MIN });

describe('the confirmation XQL', () => {
  it('uses the documented forms: config timeframe first with "YYYY-MM-DD HH:MM:SS +0000", dataset xdr_data, enums', () => {
    const xql = buildConfirmationXql(['fs01'], [], range)!;
    expect(xql.split('\n')[0]).toBe('config case_sensitive = false timeframe between "2026-11-28 09:59:00 +0000" and "2026-11-28 10:07:00 +0000"');
    expect(xql).toContain('| dataset = xdr_data');
    expect(xql).toContain('filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START');
    expect(xql).toContain('actor_process_image_name = "wmiprvse.exe"');
    expect(xql).not.toMatch(/arrayindexof/);
  });

  it('selects WmiPrvSE.exe children on the target hosts, by host name and by agent id, and nothing else', () => {
    const rows = [
      child(AGENTS.fs01, T0 + 3_000, 'cmd.exe /c whoami'),
      child(AGENTS.sql01, T0 + 4_000, 'powershell.exe -Enc AAAA'),
      child(AGENTS.app01, T0 + 5_000, 'cmd.exe /c whoami'), // not a target
      child(AGENTS.fs01, T0 + 6_000, 'cmd.exe /c whoami', { actor_process_image_name: 'explorer.exe' }), // other parent
      child(AGENTS.fs01, T0 + 7_000, 'cmd.exe /c whoami', { actor_process_image_name: 'WMIPRVSE.EXE' }), // case differs: still the parent
      child(AGENTS.fs01, T0 + 8_000, 'cmd.exe /c whoami', { event_sub_type: 'PROCESS_STOP' }),
      noise(AGENTS.fs01, T0 + 9_000),
    ];
    const xql = buildConfirmationXql(['fs01.corp.example', '10.1.1.30'], [AGENTS.sql01.id], range)!;
    expect(xql).toContain('agent_hostname in ("fs01", "fs01.*")');
    expect(xql).toContain('agent_ip_addresses contains "10.1.1.30"');
    expect(xql).toContain(`agent_id in ("${AGENTS.sql01.id}")`);
    const out = run(xql, rows);
    expect(out.map((r) => r.event_id)).toEqual([rows[0]!.event_id, rows[1]!.event_id, rows[4]!.event_id]);
    expect(Object.keys(out[0]!)).toEqual(expect.arrayContaining(['event_id', 'agent_id', 'agent_hostname', 'agent_ip_addresses', 'action_process_image_command_line', 'action_process_username']));
  });

  it('ignores a target event outside the range', () => {
    const rows = [
      child(AGENTS.fs01, range.from - 1_000, 'cmd.exe /c whoami'),
      child(AGENTS.fs01, range.from + 1_000, 'cmd.exe /c whoami'),
      child(AGENTS.fs01, range.to + 1_000, 'cmd.exe /c whoami'),
    ];
    expect(run(buildConfirmationXql(['fs01'], [], range)!, rows).map((r) => r.event_id)).toEqual([rows[1]!.event_id]);
  });

  it('selects an agent reporting an FQDN, and IP targets by address, as a superset judge() narrows', () => {
    const fqdn = child({ ...AGENTS.fs01, name: 'FS01.corp.example' }, T0 + 1_000, 'cmd.exe /c whoami');
    const trap = child(AGENTS.trap, T0 + 2_000, 'cmd.exe /c whoami'); // 10.1.1.50: selected, not matched later
    const other = child(AGENTS.app01, T0 + 3_000, 'cmd.exe /c whoami');
    const out = run(buildConfirmationXql(['fs01', '10.1.1.5'], [], range)!, [fqdn, trap, other]);
    expect(out.map((r) => r.event_id)).toEqual([fqdn.event_id, trap.event_id]);
  });

  it('is not built when there is nothing to select', () => {
    expect(buildConfirmationXql(['@hosts.txt', 'a"b'], [], range)).toBeNull();
    expect(buildConfirmationXql([], ['not an id"'], range)).toBeNull();
  });

  it('splits target lists past the per-query cap', () => {
    const targets = Array.from({ length: 2 * MAX_TARGETS_PER_QUERY + 1 }, (_, i) => `host${i}`);
    expect(batches(targets).map((b) => b.length)).toEqual([MAX_TARGETS_PER_QUERY, MAX_TARGETS_PER_QUERY, 1]);
    for (const batch of batches(targets)) expect(() => parseXql(buildConfirmationXql(batch, [], range)!)).not.toThrow();
  });
});
