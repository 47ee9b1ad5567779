/**
 * The whole confirmation query for a mixed batch, line for line: host labels (deduplicated,
 * sorted, with their FQDN form), IPv4 and both spellings of an IPv6 target in their own columns,
 * agent ids (an id that is not one is left out), zero-padded times. Documented forms: see lambda/confirm/xql.ts.
 */
import { describe, expect, it } from 'vitest';
import { batches, buildConfirmationXql } from '../../lambda/confirm/index.js';

describe('buildConfirmationXql, exactly', () => {
  it('builds the documented query for host, IPv4, IPv6 and @file targets and the resolved agent ids', () => {
    const range = { from: Date.UTC(2026, 0, 2, 3, 4, 5), to: Date.UTC(2026, 11, 31, 23, 59, 59) };
    const xql = buildConfirmationXql(['FS01', 'fs01.corp.example', '10.1.1.5', 'FD00:0:0:0:0:0:0:26', '@x', 'app01'], ['b2', 'a1', 'bad id!', 'a1'], range);
    expect(xql?.split('\n')).toEqual([
      'config case_sensitive = false timeframe between "2026-01-02 03:04:05 +0000" and "2026-12-31 23:59:59 +0000"',
      '| dataset = xdr_data',
      '| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START',
      '    and actor_process_image_name = "wmiprvse.exe"',
      '    and (agent_hostname in ("app01", "app01.*", "fs01", "fs01.*") or agent_ip_addresses contains "10.1.1.5"'
        + ' or agent_ip_addresses_v6 contains "fd00:0:0:0:0:0:0:26" or agent_ip_addresses_v6 contains "fd00::26" or agent_id in ("a1", "b2"))',
      '| fields _time, event_id, agent_id, agent_hostname, agent_ip_addresses, action_process_image_name, action_process_image_path, '
        + 'action_process_image_command_line, action_process_username, actor_process_image_name, agent_ip_addresses_v6',
      '| sort asc _time',
      '| limit 10000',
      '',
    ]);
  });

  it('selects by agent id alone, asks an IPv6 target in RFC 5952 form once, and splits batches at the size', () => {
    const range = { from: 0, to: 1_000 };
    expect(buildConfirmationXql([], ['a1'], range)).toContain('    and (agent_id in ("a1"))');
    expect(buildConfirmationXql(['fd00::26'], [], range)).toContain('    and (agent_ip_addresses_v6 contains "fd00::26")');
    expect(buildConfirmationXql(['@x'], ['x'.repeat(65)], range)).toBeNull();
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([1, 2], 2)).toEqual([[1, 2]]);
    expect(batches(Array.from({ length: 101 }, (_, i) => i)).map((b) => b.length)).toEqual([100, 1]);
  });
});
