/**
 * The target-side WMI hunt's module: its detector over the card's own test rows (each modelled on
 * a tool and cited in hunts/HuntQuery-Windows-WMI-RemoteExec-TargetSide.test.jsonl), wmic-pair
 * correlation, redaction and the allowlist. The rows' verdicts through the local XSIAM and the real
 * run are checked by test/hunts/cards.test.ts (checkHunts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWLIST, loadAllowlist } from '../../lambda/detect/index.js';
import type { Finding } from '../../lambda/finding.js';
import { huntById } from '../../lambda/modules/index.js';
import { childReasonCodes, createWmiTargetDetector } from '../../lambda/modules/wmi-target/index.js';
import { localHunts, parseTestRows } from '../../local/hunts/index.js';

const ID = 'HuntQuery-Windows-WMI-RemoteExec-TargetSide';
const hunt = huntById(localHunts(), ID).card;
const { rows, failures } = parseTestRows(readFileSync(resolve(import.meta.dirname, '../../hunts', `${ID}.test.jsonl`), 'utf8'));
const NOW = Date.parse('2026-11-29T00:00:00Z');
const detect = (allowlist = DEFAULT_ALLOWLIST) => createWmiTargetDetector({ hunt, allowlist })(rows.map((r) => r.row), NOW);
const on = (findings: readonly Finding[], host: string, needle = ''): Finding => {
  const found = findings.find((f) => f.host === host && f.commandLine.includes(needle));
  if (!found) throw new Error(`no finding on ${host} with ${needle}`);
  return found;
};
const codes = (f: Finding): string[] => f.reasons.map((r) => r.code);

describe('the target-side WMI hunt', () => {
  const { findings, dismissed, problems } = detect();

  it('reads every test row', () => {
    expect(failures).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('finds each tool on the target, the host being the target', () => {
    const ps = on(findings, 'FS02', '-Enc');
    expect(codes(ps)).toContain('child.encoded-powershell');
    expect(ps.severity).toBe('critical');
    expect(codes(on(findings, 'APP03'))).toEqual(expect.arrayContaining(['child.shell', 'child.staging-path']));
    expect(codes(on(findings, 'DB01'))).toEqual(['child.staging-path']);
    const impacket = on(findings, 'DC01', 'whoami');
    expect(codes(impacket)).toContain('child.impacket-wmiexec');
    expect(on(findings, 'DC01', 'cd \\').fingerprint).not.toBe(impacket.fingerprint);
    const unmanaged = on(findings, 'HR05');
    expect(codes(unmanaged)).toEqual(expect.arrayContaining(['child.lolbin', 'child.staging-path']));
    for (const f of [ps, impacket, unmanaged, on(findings, 'APP03'), on(findings, 'DB01')]) {
      expect(f.suppressed).toBeNull();
      expect(['high', 'critical']).toContain(f.severity);
      expect(f.huntId).toBe(ID);
      expect(f.keyFields).toEqual({ agent_hostname: f.host, action_process_image_command_line: f.commandLine });
    }
  });

  it('scores SCCM, SCOM and WerFault children low', () => {
    for (const host of ['WS10', 'WS11', 'APP04']) {
      const f = on(findings, host);
      expect(codes(f)).toEqual(expect.arrayContaining(['child.service-account', 'child.management']));
      expect(f.severity).toBe('low');
    }
  });

  it('leaves a child a wmic pair explains as that pair\'s evidence (suppressed, counted), and notifies the others', () => {
    const explained = on(findings, 'FS03');
    expect(explained.suppressed).toMatchObject({ entryId: 'wmic-pair', owner: 'HuntQuery-Windows-WMIC-RemoteExec' });
    expect(explained.suppressed?.reason).toContain('WS01 → FS03');
    // the wmic launch 20 minutes earlier is outside the confirmation range; FS05 has none at all
    expect(on(findings, 'FS04').suppressed).toBeNull();
    expect(on(findings, 'FS05').suppressed).toBeNull();
    // the wmic rows and the source's PowerShell are not findings of this hunt
    expect(dismissed).toBe(3);
    expect(findings.some((f) => f.host === 'WS01')).toBe(false);
  });

  it('does not let a launch explain a different command or host', () => {
    const wmicRow = rows.find((r) => String(r.row['action_process_image_command_line']).includes('/node:FS03'))!.row;
    const child = rows.find((r) => r.row['agent_hostname'] === 'FS03')!.row;
    const other = { ...child, event_id: 'x-1', action_process_image_command_line: 'cmd.exe /c C:\\ProgramData\\other.bat' };
    const elsewhere = { ...child, event_id: 'x-2', agent_hostname: 'FS09' };
    const out = createWmiTargetDetector({ hunt, allowlist: DEFAULT_ALLOWLIST })([wmicRow, other, elsewhere], NOW).findings;
    expect(out.map((f) => f.suppressed)).toEqual([null, null]);
  });

  it('redacts credentials on the child\'s command line everywhere the finding carries it', () => {
    const child = { ...rows.find((r) => r.row['agent_hostname'] === 'FS05')!.row, event_id: 'x-3', action_process_image_command_line: 'cmd.exe /c wmic /node:FS09 /user:admin /password:Hunter2! process call create "C:\\ProgramData\\a.exe"' };
    const [f] = createWmiTargetDetector({ hunt, allowlist: DEFAULT_ALLOWLIST })([child], NOW).findings;
    expect(JSON.stringify(f)).not.toContain('Hunter2!');
    expect(f!.commandLine).toContain('/password:***');
  });

  it('applies the allowlist (matched on the target host and the child\'s command)', () => {
    const allowlist = loadAllowlist({
      schemaVersion: 1,
      entries: [{ id: 'hr05-agent', owner: 'soc@example.invalid', reason: 'test', expires: '2099-01-01', sourceHost: 'HR05', commandGlob: 'rundll32.exe *' }],
    }, NOW);
    expect(on(detect(allowlist).findings, 'HR05').suppressed).toMatchObject({ entryId: 'hr05-agent' });
  });

  it('reasons read plain substrings (no wmiexec without the admin share redirection)', () => {
    expect(childReasonCodes({ imageName: 'cmd.exe', imagePath: null, commandLine: 'cmd.exe /Q /c dir', user: 'CORP\\a' })).toEqual(['child.shell']);
  });
});
