import { describe, expect, it } from 'vitest';
import { wmic } from './helpers.js';

describe('wmic global switches', () => {
  it.each([
    ['wmic /node:FS01 process call create calc.exe'],
    ['wmic -node:FS01 process call create calc.exe'],
    ['WMIC -NODE:FS01 PROCESS CALL CREATE calc.exe'],
    ['wmic /NoDe:FS01 pRoCeSs CaLl CrEaTe calc.exe'],
    ['wmic /node: "FS01" process call create calc.exe'],
    ["wmic /node:'FS01' process call create calc.exe"],
    ['wmic\t/node:FS01\t\tprocess  call\tcreate   calc.exe  '],
    ['/node:FS01 process call create calc.exe'],
  ])('reads the target of %j', (line) => {
    const a = wmic(line);
    expect(a.remoteExec).toBe(true);
    expect(a.targets).toEqual(['fs01']);
    expect(a.remoteCommand).toBe('calc.exe');
  });

  it('splits node lists with or without quotes and keeps @file references', () => {
    expect(wmic('wmic /node:"a","b",c process call create x').targets).toEqual(['a', 'b', 'c']);
    expect(wmic('wmic /node:a, b process call create x').targets).toEqual(['a', 'b']);
    expect(wmic('wmic /node:@"C:\\it list\\hosts.txt" process call create x').targets).toEqual(['@c:\\it list\\hosts.txt']);
    expect(wmic('wmic /node:"@C:\\it list\\hosts.txt",FS09 process call create x').targets).toEqual(['@c:\\it list\\hosts.txt', 'fs09']);
  });

  it('reads IPv4, IPv6, FQDN and NetBIOS names', () => {
    expect(wmic('wmic /node:"fe80::1%12" process call create x').remoteTargets).toEqual(['fe80::1%12']);
    expect(wmic('wmic /node:10.1.2.3,App01.Corp.Example process call create x').remoteTargets).toEqual(['10.1.2.3', 'app01.corp.example']);
  });

  it('rejects unquoted /node, /user and /password values holding - or / (wmic requires quotes)', () => {
    for (const line of [
      'wmic /node:SRV-APP01 process call create x',
      'wmic /node:"FS01",SRV-APP01 process call create x',
      'wmic /node:FS01 /user:CORP\\adm-x /password:"p" process call create x',
      'wmic /node:FS01 /user:adm /password:Summer-2025 process call create x',
    ]) {
      const a = wmic(line);
      expect(a.remoteExec, line).toBe(false);
      expect(a.parseError, line).toMatch(/quotes/);
    }
    expect(wmic('wmic /node:"SRV-APP01" /user:"CORP\\adm-x" /password:"Summer-2025" process call create x').remoteExec).toBe(true);
  });

  it('rejects unknown, abbreviated and non-ASCII-dash switches', () => {
    expect(wmic('wmic /nod:FS01 process call create x').parseError).toMatch(/invalid global switch/);
    expect(wmic('wmic \u2013node:FS01 process call create x').remoteExec).toBe(false);
    expect(wmic('wmic /node FS01 process call create x').parseError).toMatch(/needs a value/);
    expect(wmic('wmic /node:FS01 /implevel:bogus process call create x').parseError).toMatch(/implevel/);
  });

  it('prints help instead of running anything for /?', () => {
    expect(wmic('wmic /?').remoteExec).toBe(false);
    expect(wmic('wmic /node:FS01 process call create /?').help).toBe(true);
    expect(wmic('wmic /node:FS01 process call /?').remoteExec).toBe(false);
  });

  it('reads /user, /failfast and credentials', () => {
    const a = wmic('wmic /failfast:on /node:FS01 /user:adm@corp.example /password:"x" process call create x');
    expect(a).toMatchObject({ remoteExec: true, failfast: true, lineUser: 'adm@corp.example', credentialsOnLine: true, targets: ['fs01'] });
  });

  it('accepts global switches between the alias and the verb', () => {
    const a = wmic('wmic process /node:FS01 call create calc.exe');
    expect(a).toMatchObject({ remoteExec: true, targets: ['fs01'], switchAfterAlias: true });
  });
});

describe('local targets', () => {
  it.each(['.', 'localhost', 'LOCALHOST', '127.0.0.1', '127.5.6.7', '127.1', '::1', '"0:0:0:0:0:0:0:1"', '"::ffff:127.0.0.1"', 'wks-src-01', 'WKS-SRC-01.corp.example', '%COMPUTERNAME%'])(
    'treats /node:%s as the local machine',
    (node) => {
      const quoted = node.includes('-') && !node.startsWith('"') ? `"${node}"` : node;
      const a = wmic(`wmic /node:${quoted} process call create calc.exe`);
      expect(a.remoteExec).toBe(false);
      expect(a.remoteTargets).toEqual([]);
      expect(a.verdict).toMatch(/local/);
    },
  );

  it('keeps the remote element of a mixed list and lists every element', () => {
    const a = wmic('wmic /node:localhost,10.0.0.8 process call create calc.exe');
    expect(a).toMatchObject({ remoteExec: true, targets: ['localhost', '10.0.0.8'], remoteTargets: ['10.0.0.8'] });
  });

  it('does not mistake names that merely contain localhost or the host name for local', () => {
    expect(wmic('wmic /node:"devlocalhost-app01" process call create x').remoteExec).toBe(true);
    expect(wmic('wmic /node:"wks-src-010" process call create x').remoteExec).toBe(true);
    expect(wmic('wmic /node:128.0.0.1 process call create x').remoteExec).toBe(true);
  });

  it('counts an @file list as remote (its contents are unknown)', () => {
    expect(wmic('wmic /node:@hosts.txt process call create x')).toMatchObject({ remoteExec: true, fileTargets: true });
  });

  it('treats a line without /node as local', () => {
    expect(wmic('wmic process call create calc.exe').verdict).toMatch(/no \/node/);
  });
});

describe('the command and the remote CommandLine', () => {
  it('takes the process alias, PATH and CLASS win32_process, with a WHERE clause', () => {
    for (const line of [
      'wmic /node:FS01 path win32_process call create calc.exe',
      'wmic /node:FS01 PATH Win32_Process call create calc.exe',
      'wmic /node:FS01 /namespace:\\\\root\\cimv2 path \\\\.\\root\\cimv2:Win32_Process call create calc.exe',
      'wmic /node:FS01 class win32_process call create calc.exe',
      'wmic /node:FS01 process where name="x.exe" call create calc.exe',
      'wmic /node:FS01 process where (name="x.exe" and handle > 4) call create calc.exe',
    ]) expect(wmic(line).remoteExec, line).toBe(true);
  });

  it('ignores other classes, verbs and methods', () => {
    for (const line of [
      'wmic /node:FS01 service call create "Svc","Svc","C:\\x.exe"',
      'wmic /node:FS01 process call terminate',
      'wmic /node:FS01 process create CommandLine="calc.exe"',
      'wmic /node:FS01 process get name',
      'wmic /node:FS01 process',
      'wmic /node:FS01',
      'wmic /node:FS01 process call create',
      'wmic /node:FS01 os get caption /format:list',
    ]) expect(wmic(line).remoteExec, line).toBe(false);
  });

  it('decodes the first positional parameter as wmic passes it on', () => {
    expect(wmic('wmic /node:FS01 process call create "a, b" ,"C:\\\\"').remoteCommand).toBe('a, b');
    expect(wmic('wmic /node:FS01 process call create "cmd /c \\"C:\\x y\\run.bat\\" & echo > c:\\o.txt"').remoteCommand).toBe('cmd /c "C:\\x y\\run.bat" & echo > c:\\o.txt');
    expect(wmic('wmic /node:FS01 process call create calc.exe,C:\\').remoteCommand).toBe('calc.exe');
    expect(wmic('wmic /node:FS01 process call create"calc.exe"').remoteCommand).toBe('calc.exe');
    expect(wmic('wmic /node:FS01 process call create "calc.exe" /nointeractive').remoteExec).toBe(true);
  });

  it('does not read /node: or call create inside the payload', () => {
    const a = wmic('wmic /node:srv1 process call create "cmd /c wmic /node:srv2 process call create x & ping localhost"');
    expect(a.targets).toEqual(['srv1']);
    expect(a.remoteCommand).toBe('cmd /c wmic /node:srv2 process call create x & ping localhost');
  });

  it('rejects an unquoted payload whose /c wmic reads as a verb switch', () => {
    const a = wmic('wmic /node:FS01 process call create cmd.exe /c calc.exe');
    expect(a.remoteExec).toBe(false);
    expect(a.parseError).toMatch(/invalid verb switch/);
  });

  it('keeps an unterminated quoted payload and flags the line as truncated', () => {
    const a = wmic('wmic /node:FS01 process call create "powershell -nop -w hidden -c IEX (New-Obj');
    expect(a).toMatchObject({ remoteExec: true, truncated: true, remoteCommand: 'powershell -nop -w hidden -c IEX (New-Obj' });
  });

  it('keeps carets that reach wmic literally, so the alias fails', () => {
    expect(wmic('wmic /node:FS01 p^rocess call create calc.exe').remoteExec).toBe(false);
  });
});

describe('Unicode in keywords', () => {
  it('folds look-alike letters the newer wmic model accepts (low confidence) and flags them', () => {
    for (const line of ['wmic /\u207Fode:FS01 process call create x', 'wmic /node:FS01 \uFF50rocess call create x', 'wmic /node:FS01 pr\u1D52cess call create x', 'wmic /node:FS01 \u1D18rocess call create x']) {
      const a = wmic(line);
      expect(a.remoteExec, line).toBe(true);
      expect(a.lookalike, line).toBe(true);
    }
  });

  it('rejects invisible insertions, inserted quotes and a no-break space between tokens', () => {
    for (const line of ['wmic /node:FS01 pro\u200Bcess call create x', 'wmic /node:FS01 pro\u00ADcess call create x', 'wmic /node:FS01 pro""cess call create x', 'wmic /node:FS01 process\u00A0call create x']) {
      expect(wmic(line).remoteExec, JSON.stringify(line)).toBe(false);
    }
  });
});

describe('program name and record kind', () => {
  it('strips a quoted full path as the program name', () => {
    expect(wmic('"C:\\Windows\\SysWOW64\\wbem\\WMIC.exe" /node:FS01 process call create x').targets).toEqual(['fs01']);
  });

  it('analyses a renamed copy when the row carries the original name', () => {
    const row = { action_process_image_name: 'winupd.exe' };
    expect(wmic('winupd.exe /node:FS01 process call create x', row)).toMatchObject({ record: 'not-wmic', remoteExec: false });
    expect(wmic('winupd.exe /node:FS01 process call create x', { ...row, action_process_file_info: '{"original_name":"wmic.exe"}' })).toMatchObject({ record: 'renamed-wmic', remoteExec: true });
    expect(wmic('winupd.exe /node:FS01 process call create x', { ...row, action_process_file_info: { original_name: 'WMIC.EXE' } }).record).toBe('renamed-wmic');
    expect(wmic('winupd.exe /node:FS01 process call create x', { ...row, action_process_original_name: 'wmic.exe' }).remoteExec).toBe(true);
    expect(wmic('winupd.exe /node:FS01 process call create x', { ...row, action_process_file_info: 'not json' }).record).toBe('not-wmic');
  });

  it('infers the record kind from the program name when the row has no image', () => {
    expect(wmic('wmic /node:FS01 process call create x', { action_process_image_name: undefined }).record).toBe('wmic');
    expect(wmic('cmd /c wmic /node:FS01 process call create x', { action_process_image_name: undefined }).record).toBe('parent-shell');
  });
});
