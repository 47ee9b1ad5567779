/**
 * assessRisk's edges (issue 21), one unit inside and one outside: fan-out counts, which parent
 * names match a list (exact for an .exe name, a substring for a product name), the payload tests
 * that must not fire on an ordinary line, and every reason's text. Payloads follow the public
 * forms the reasons cite (Microsoft's wmic and PowerShell documentation, the DFIR Report's
 * ntdsutil and comsvcs dumps).
 */
import { describe, expect, it } from 'vitest';
import { assessRisk, RISK_REASONS } from '../../lambda/detect/index.js';
import { encodePs, shell, wmic } from './helpers.js';

const codes = (line: string, extra: Record<string, unknown> = {}): string[] => assessRisk(wmic(line, extra), 85).reasons.map((r) => r.code);
const run = (payload: string): string[] => codes(`wmic /node:FS01 process call create "${payload}"`);
const parent = (image: string | null): string[] => codes('wmic /node:FS01 process call create x', { actor_process_image_name: image });
const targets = (n: number): string => Array.from({ length: n }, (_, i) => `h${i}`).join(',');

describe('fan-out edges', () => {
  it('20 targets are mass fan-out, 19 many; 5 are many, 4 none', () => {
    expect(codes(`wmic /node:${targets(20)} process call create x`)).toEqual(['fanout.mass']);
    expect(codes(`wmic /node:${targets(19)} process call create x`)).toEqual(['fanout.many-targets']);
    expect(codes(`wmic /node:${targets(5)} process call create x`)).toEqual(['fanout.many-targets']);
    expect(codes(`wmic /node:${targets(4)} process call create x`)).toEqual([]);
  });
});

describe('parent names', () => {
  it('an .exe name matches exactly, a product name anywhere in the image name', () => {
    expect(parent('client32.exe')).toEqual(['parent.remote-access']);
    expect(parent('myclient32.exe')).toEqual([]);
    expect(parent('AnyDesk.exe')).toEqual(['parent.remote-access']);
    expect(parent('PDQDeployRunner-1.exe')).toEqual(['parent.management-agent']);
    expect(parent('xccmexec.exe')).toEqual([]);
    expect(parent('C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE')).toEqual(['parent.office']);
    expect(parent('svchost.exe')).toEqual(['parent.service']);
    expect(parent('explorer.exe')).toEqual([]);
    expect(parent(null)).toEqual([]);
  });
});

describe('payload tests that must not fire', () => {
  it('PowerShell without an encoded command is not "encoded"; -e elsewhere is not PowerShell', () => {
    expect(run('powershell.exe -NoProfile -File C:\\scripts\\inventory.ps1')).toEqual(['payload.powershell']);
    expect(run('pwsh -c Get-Service')).toEqual(['payload.powershell']);
    expect(run('pwsh -ec SQBFAFgA')).toEqual(['payload.powershell', 'payload.encoded']);
    expect(run('setup.exe -e -encodedcommand x')).toEqual([]);
    expect(run('certutil -decode C:\\x.b64 C:\\x.exe')).toEqual(['payload.encoded', 'payload.lolbin']);
  });

  it('a share path with a single leading backslash (c$, admin$) still reads from a share; a plain path does not', () => {
    expect(run('copy dc01\\c$\\tools\\x.exe C:\\x.exe')).toEqual(['payload.unc-path']);
    expect(run('copy dc01\\admin$\\x.exe C:\\x.exe')).toEqual(['payload.unc-path']);
    expect(run('copy C:\\tools\\x.exe C:\\x.exe')).toEqual([]);
  });

  it('wmic in the payload is a nested pivot only with /node or -node', () => {
    expect(run('wmic -node:srv2 process call create x')).toEqual(['payload.nested-wmic']);
    expect(run('wmic process list brief')).toEqual([]);
    expect(run('notepad /node:x')).toEqual([]);
  });

  it('credential dumps are named from each of their tools', () => {
    for (const payload of ['ntdsutil "ac i ntds" ifm "create full C:\\x" q q', 'procdump -ma lsass.exe C:\\x\\l.dmp', 'reg save hklm\\sam C:\\x\\sam']) {
      expect(run(payload), payload).toContain('payload.credential-access');
    }
  });
});

describe("the remote command's own decoded script, not its parent's", () => {
  const addUser = encodePs('net user svc P4ssw0rd! /add');
  it('an encoded remote PowerShell that creates an account is named for it', () => {
    expect(codes(`wmic /node:FS01 process call create "powershell -enc ${addUser}"`)).toEqual(['payload.powershell', 'payload.encoded', 'payload.account-creation']);
  });

  it("a plain remote command launched from such a PowerShell is not: the script is the parent's", () => {
    const extra = { actor_process_image_name: 'powershell.exe', actor_process_command_line: `powershell -enc ${addUser}` };
    expect(codes('wmic /node:FS01 process call create calc.exe', extra)).toEqual(['parent.stager']);
  });

  it('caret escapes alone hide the wmic call', () => {
    expect(assessRisk(shell('cmd.exe', 'cmd.exe /c w^m^i^c /n^ode:10.0.0.5 p^ro^cess ca^ll cr^eate "ca^lc.exe"'), 85).reasons.map((r) => r.code))
      .toEqual(['evasion.obfuscated-shell', 'note.parent-shell']);
  });
});

describe('reason texts', () => {
  it('every reason explains itself to the analyst: a distinct, non-empty detail (and source and technique when cited)', () => {
    const details = Object.values(RISK_REASONS).map((r) => r.detail);
    for (const d of details) expect(d.length).toBeGreaterThan(20);
    expect(new Set(details).size).toBe(details.length);
    for (const r of Object.values(RISK_REASONS) as { source?: string; technique?: string }[]) {
      if ('source' in r) expect(r.source!.length).toBeGreaterThan(10);
      if ('technique' in r) expect(r.technique).toMatch(/^T\d{4}/);
    }
  });
});

describe('a row cut before its remote command', () => {
  // A collector keeps the first 1,024 characters of a long encoded PowerShell line (the same fixed
  // sizes test/detect/truncation.test.ts models); the decoded script still shows the /node list.
  const hosts = Array.from({ length: 400 }, (_, i) => `wks${String(i + 1).padStart(4, '0')}`).join(',');
  const script = `net user svc_bk Winter2024! /add; wmic /node:${hosts} process call create "C:\\Windows\\Temp\\s.exe"`;
  const line = `powershell.exe -NoProfile -EncodedCommand ${encodePs(script)}`.slice(0, 1024);

  it('names no payload reason: what runs remotely was cut off, and the shell\'s own script is not it', () => {
    const a = shell('powershell.exe', line);
    expect(a.remoteExec).toBe(true);
    expect(a.remoteCommand).toBeNull();
    expect(a.decodedScript).toContain('net user svc_bk');
    expect(assessRisk(a, 85).reasons.map((r) => r.code)).toEqual(['parent.stager', 'fanout.mass', 'evasion.obfuscated-shell', 'note.parent-shell', 'note.truncated']);
  });
});
