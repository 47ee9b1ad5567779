import { describe, expect, it } from 'vitest';
import { encodePs, shell } from './helpers.js';

describe('cmd.exe parent records', () => {
  it('removes caret escapes outside quotes before reading the wmic line', () => {
    const a = shell('cmd.exe', 'cmd.exe /c w^m^i^c /n^ode:10.0.0.5 p^ro^cess ca^ll cr^eate "ca^lc.exe"');
    expect(a).toMatchObject({ record: 'parent-shell', remoteExec: true, targets: ['10.0.0.5'], remoteCommand: 'ca^lc.exe', obfuscated: true, via: ['cmd'] });
  });

  it('applies cmd\'s quote rule to /c "..."', () => {
    const a = shell('cmd.exe', 'cmd /q /c "wmic /node:"FS01" process call create "calc.exe""');
    expect(a).toMatchObject({ remoteExec: true, targets: ['fs01'], remoteCommand: 'calc.exe' });
  });

  it('finds wmic after operators, start, call, for ... do, and drops redirections', () => {
    expect(shell('cmd.exe', 'cmd /c cd C:\\ && start "" /b wmic /node:FS01 process call create x.exe > nul 2>&1').targets).toEqual(['fs01']);
    expect(shell('cmd.exe', 'cmd /c call wmic /node:FS02 process call create x.exe').targets).toEqual(['fs02']);
    const loop = shell('cmd.exe', 'cmd /c for /f %i in (hosts.txt) do wmic /node:%i process call create "C:\\x.exe"');
    expect(loop).toMatchObject({ remoteExec: true, targets: ['%i'], remoteCommand: 'C:\\x.exe' });
  });

  it('keeps operators inside quotes as part of the payload', () => {
    const a = shell('cmd.exe', 'cmd /c wmic /node:FS01 process call create "cmd /c whoami > C:\\o.txt & exit" & echo done');
    expect(a.remoteCommand).toBe('cmd /c whoami > C:\\o.txt & exit');
  });

  it('treats the host\'s own %COMPUTERNAME% as local and a piped stdin command as no command', () => {
    expect(shell('cmd.exe', 'cmd /c wmic /node:%COMPUTERNAME% process call create x').remoteExec).toBe(false);
    expect(shell('cmd.exe', 'cmd /c echo process call create "calc.exe" | wmic /node:FS01').remoteExec).toBe(false);
  });

  it('says when the shell starts no wmic', () => {
    expect(shell('cmd.exe', 'cmd /c dir C:\\').verdict).toMatch(/starts no wmic/);
    expect(shell('cmd.exe', 'cmd.exe').remoteExec).toBe(false);
  });
});

describe('PowerShell parent records', () => {
  it('decodes -EncodedCommand and passes arguments as PowerShell does (quotes dropped)', () => {
    const enc = encodePs("wmic /node:10.0.0.15 process call create 'C:\\ProgramData\\s.exe'");
    const a = shell('powershell.exe', `powershell.exe -nop -w hidden -enc ${enc}`);
    expect(a).toMatchObject({ remoteExec: true, targets: ['10.0.0.15'], remoteCommand: 'C:\\ProgramData\\s.exe', encoded: true, via: ['powershell'] });
  });

  it('reads -Command scripts, & "path\\WMIC.exe", quoted args with spaces, and later statements', () => {
    const a = shell('powershell.exe', `powershell -NoProfile -ExecutionPolicy Bypass -Command "$h='x'; & 'C:\\Windows\\System32\\wbem\\WMIC.exe' /node:'FS01' process call create 'cmd /c calc.exe'"`);
    expect(a).toMatchObject({ remoteExec: true, targets: ['fs01'], remoteCommand: 'cmd /c calc.exe' });
  });

  it('passes quoted hyphenated hosts on unquoted, which wmic then rejects', () => {
    const a = shell('powershell.exe', `powershell -c "wmic /node:'SRV-DC01' process call create calc.exe"`);
    expect(a.remoteExec).toBe(false);
  });

  it('reads Start-Process, Invoke-Expression and cmd /c launched from PowerShell', () => {
    expect(shell('pwsh.exe', `pwsh -c "Start-Process wmic -ArgumentList '/node:FS01 process call create calc.exe'"`).targets).toEqual(['fs01']);
    expect(shell('powershell.exe', `powershell -c "iex 'wmic /node:FS03 process call create calc.exe'"`).targets).toEqual(['fs03']);
    expect(shell('powershell.exe', `powershell -c "cmd /c wmic /node:FS04 process call create calc.exe"`)).toMatchObject({ targets: ['fs04'], via: ['powershell', 'cmd'] });
  });

  it('treats a caret as a literal character under PowerShell', () => {
    expect(shell('powershell.exe', 'powershell -c "wmic /node:FS01 p^rocess call create calc.exe"').remoteExec).toBe(false);
  });

  it('sees nothing in -File scripts or undecodable commands', () => {
    expect(shell('powershell.exe', 'powershell -File C:\\s.ps1').remoteExec).toBe(false);
    expect(shell('powershell.exe', 'powershell -enc !!!notbase64!!!').remoteExec).toBe(false);
  });
});

describe('unexpanded host variables', () => {
  it('treats $env:COMPUTERNAME from PowerShell as the local machine', () => {
    expect(shell('powershell.exe', 'powershell -c "wmic /node:$env:COMPUTERNAME process call create calc.exe"')).toMatchObject({ remoteExec: false, targets: ['$env:computername'] });
    expect(shell('powershell.exe', 'powershell -c "wmic /node:$h process call create calc.exe"')).toMatchObject({ remoteExec: true, targets: ['$h'] });
  });
});
