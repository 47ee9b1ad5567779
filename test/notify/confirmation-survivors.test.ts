/**
 * The confirmation's text as an analyst reads it: the email's ON THE TARGET section row by row,
 * and the one Slack line. Records are shaped like the judge's outcomes (lambda/confirm/judge.ts):
 * a confirmed start carries the target's event; not-seen carries only the agent found; unmanaged
 * carries nothing from the target. Each row appears exactly when its value is known.
 */
import { describe, expect, it } from 'vitest';
import type { Confirmation } from '../../lambda/confirm/index.js';
import type { TrackedFinding } from '../../lambda/finding.js';
import { emailConfirmationLines, slackConfirmationLines } from '../../lambda/notify/confirmation.js';
import { DEFAULT_LIMITS } from '../../lambda/notify/limits.js';
import { makeFinding } from '../fixtures/notify/findings.js';

const confirmed: Confirmation = {
  status: 'confirmed', target: 'srv-file-01', eventId: 'evt-9f2c', time: Date.UTC(2026, 2, 14, 9, 41, 57),
  process: 'cmd.exe', commandLine: 'cmd.exe /c whoami', user: 'CORP\\svc_backup', agentId: 'a1b2', agentHostname: 'SRV-FILE-01',
  detail: 'WmiPrvSE.exe started cmd.exe on SRV-FILE-01 at 2026-03-14T09:41:57.000Z (event evt-9f2c).',
};
/** What the judge records when the target's agent reports but the command never started there. */
const notSeen: Confirmation = {
  status: 'not-seen', target: 'srv-file-01', eventId: null, time: null, process: null, commandLine: null, user: null,
  agentId: 'a1b2', agentHostname: 'SRV-FILE-01', detail: 'SRV-FILE-01 reports to XSIAM, but WmiPrvSE.exe started no such command there.',
};
const unmanaged: Confirmation = {
  ...notSeen, status: 'unmanaged', agentId: null, agentHostname: null,
  detail: 'No XSIAM agent has the name or address srv-file-01: the target is a blind spot; check it by other means.',
};
const pair = (c: Confirmation | undefined, extra: Partial<TrackedFinding> = {}): TrackedFinding => ({ ...makeFinding(), confirmation: c, ...extra });
const email = (f: TrackedFinding): string[] => emailConfirmationLines(f, DEFAULT_LIMITS);
/** The section's opening: a blank line, the heading, the outcome's headline. */
const opening = (headline: string): string[] => ['', 'ON THE TARGET', `  ${headline}`];

describe('the email ON THE TARGET section', () => {
  it('shows every piece of a confirmed start, one aligned row each', () => {
    expect(email(pair(confirmed))).toEqual([
      ...opening('Confirmed: the remote command started on the target'),
      '  Target event id:               evt-9f2c',
      '  Started (UTC):                 2026-03-14T09:41:57.000Z',
      '  Process:                       "cmd.exe"',
      '  Command line on the target:    "cmd.exe /c whoami"',
      '  User on the target:            "CORP\\svc_backup"',
      '  Target agent:                  "SRV-FILE-01" (agent id "a1b2")',
      '  Checked:                       WmiPrvSE.exe started cmd.exe on SRV-FILE-01 at 2026-03-14T09:41:57.000Z (event evt-9f2c).',
    ]);
  });

  it('says the follow-up is an update only on the follow-up', () => {
    const note = '  (update: the first notification went out before this evidence reached XSIAM)';
    expect(email(pair(confirmed, { followUp: true }))[3]).toBe(note);
    expect(email(pair(confirmed, { followUp: false }))).not.toContain(note);
    expect(email(pair(confirmed))).not.toContain(note);
  });

  it('shows no empty rows for what a not-seen check never had, only the agent and what was checked', () => {
    expect(email(pair(notSeen))).toEqual([
      ...opening('Not seen: the target reports to XSIAM, but the command did not start there'),
      '  Target agent:                  "SRV-FILE-01" (agent id "a1b2")',
      `  Checked:                       ${notSeen.detail}`,
    ]);
  });

  it('shows no agent row when no agent was found', () => {
    expect(email(pair(unmanaged))).toEqual([
      ...opening('Unmanaged: no XSIAM agent on the target (blind spot)'),
      `  Checked:                       ${unmanaged.detail}`,
    ]);
  });

  it('shows the agent row when only one of its name and id is known', () => {
    // A host row from XSIAM can carry agent_id with a null agent_hostname, and the reverse.
    const row = (c: Confirmation) => email(pair(c)).find((l) => l.startsWith('  Target agent:'));
    expect(row({ ...notSeen, agentHostname: null })).toBe('  Target agent:                  (unknown) (agent id "a1b2")');
    expect(row({ ...notSeen, agentId: null })).toBe('  Target agent:                  "SRV-FILE-01" (agent id (unknown))');
  });

  it('has no section when no check ran or the record is malformed', () => {
    expect(email(pair(undefined))).toEqual([]);
    expect(email(pair({ status: 'perhaps' } as unknown as Confirmation))).toEqual([]);
  });
});

describe('the Slack line', () => {
  it('gives the evidence of a confirmed start', () => {
    expect(slackConfirmationLines(pair(confirmed))).toEqual([
      '*On the target:* Confirmed: the remote command started on the target (event `evt-9f2c` at 2026-03-14T09:41:57.000Z, `cmd.exe`)',
    ]);
  });

  it('gives only the headline for any other outcome', () => {
    expect(slackConfirmationLines(pair(notSeen))).toEqual(['*On the target:* Not seen: the target reports to XSIAM, but the command did not start there']);
    expect(slackConfirmationLines(pair(unmanaged))).toEqual(['*On the target:* Unmanaged: no XSIAM agent on the target (blind spot)']);
  });

  it('is absent when no check ran', () => {
    expect(slackConfirmationLines(pair(undefined))).toEqual([]);
  });
});
