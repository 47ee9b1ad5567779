/**
 * The edges of the word reader (secret-words.ts) and secret-forms.ts's switch scanner (issue 21 survivors, lines 1–80):
 * quoted values (`"…"`, `'…'`, and `\"…\"` as cmd and PowerShell pass a quote inside a quoted
 * command line), unclosed quotes, words at the end of the text, and the space-separated values
 * that are not typed secrets (another switch, a prompt, a variable, a path).
 *
 * Sources of the syntax:
 * - wmic `/password:` (learn.microsoft.com, "wmic"); a wmic line nested in `process call create "…"`
 *   escapes its inner quotes as `\"` (learn.microsoft.com, "Parsing C command-line arguments":
 *   `\"` is a literal quote inside a quoted argument).
 * - The same page: "If the command line ends before a closing double quotation mark is found, then
 *   all the characters read so far are output as the last argument": an unclosed `"` runs to the end.
 * - PsExec `-u`/`-p` (learn.microsoft.com, "PsExec": "-p Specifies optional password for user name").
 * - schtasks `/rp` (learn.microsoft.com, "schtasks create": "To prompt for the password, the value
 *   must be either * or none").
 * - xcopy `/p` (learn.microsoft.com, "xcopy": "Prompts you to confirm whether you want to create each
 *   destination file").
 * - dir `/p` (learn.microsoft.com, "dir": "Displays one screen of the listing at a time"), often the
 *   last switch of a quoted `cmd /c "…"`; `*.kdbx` is KeePass databases (ATT&CK T1555.005).
 * - 7-Zip `-p` alone asks for the password (7-zip.org, "-p (set Password) switch"); `-mhe=on`
 *   encrypts the headers (ATT&CK T1560.001 archive-before-exfiltration procedures).
 * - ConvertTo-SecureString's `-String` is positional 0 and may follow the named switches
 *   (learn.microsoft.com, "ConvertTo-SecureString"; about_Parameters: named parameters in any order).
 */
import { describe, expect, it } from 'vitest';
import { redactSecrets, secretsIn } from '../../lambda/detect/redact.js';
import { wordAt } from '../../lambda/detect/secret-words.js';
import { wmic } from './helpers.js';

describe('a password in escaped quotes (\\"…\\") inside a quoted command line', () => {
  const nested = (pw: string): string =>
    `wmic /node:srv1 process call create "cmd /c wmic /node:srv2 /user:corp\\adm /password:\\"${pw}\\" process call create calc.exe"`;

  it('hides the escaped quotes and the password whole, and nothing after the closing \\"', () => {
    expect(redactSecrets(nested('Summer 2025'))).toBe(
      'wmic /node:srv1 process call create "cmd /c wmic /node:srv2 /user:corp\\adm /password:*** process call create calc.exe"',
    );
    expect(secretsIn(nested('Summer 2025'))).toEqual(['Summer 2025']);
  });

  it('hides a short escaped password (too short to be hunted elsewhere) by its span alone', () => {
    // 3 characters: below the 4 a value needs to be hunted again, so only the form's own span hides it
    expect(redactSecrets(nested('Q7!'))).toBe(
      'wmic /node:srv1 process call create "cmd /c wmic /node:srv2 /user:corp\\adm /password:*** process call create calc.exe"',
    );
  });

  it('an unclosed \\" runs to the end of the text: all of it hidden, the value is the rest', () => {
    const line = 'cmd /c echo Summer2025>C:\\t\\p.txt & wmic /node:srv2 /user:corp\\adm /password:\\"Summer2025';
    expect(redactSecrets(line)).toBe('cmd /c echo ***>C:\\t\\p.txt & wmic /node:srv2 /user:corp\\adm /password:***');
    expect(secretsIn(line)).toEqual(['Summer2025']);
    // a value too short to be hunted again is hidden by the span alone, its opening \" included
    expect(redactSecrets('wmic /node:srv2 /password:\\"Q7!')).toBe('wmic /node:srv2 /password:***');
  });
});

describe('a password in plain quotes left open', () => {
  it('an unclosed " runs to the end of the text: quote and password hidden together', () => {
    const line = 'psexec.exe \\\\fs01 -accepteula -u corp\\admin -p "Autumn 2025';
    expect(redactSecrets(line)).toBe('psexec.exe \\\\fs01 -accepteula -u corp\\admin -p ***');
    expect(secretsIn(line)).toEqual(['Autumn 2025']);
    expect(redactSecrets('psexec.exe \\\\fs01 -u corp\\admin -p "Q7!')).toBe('psexec.exe \\\\fs01 -u corp\\admin -p ***');
  });

  it('the password echoed earlier in the line is hidden there too, to its last character', () => {
    const line = 'cmd /c echo Autumn2025>C:\\t\\p.txt & psexec.exe \\\\fs01 -u corp\\admin -p "Autumn2025';
    expect(redactSecrets(line)).toBe('cmd /c echo ***>C:\\t\\p.txt & psexec.exe \\\\fs01 -u corp\\admin -p ***');
  });
});

describe('an unquoted word that ends the text', () => {
  it('ConvertTo-SecureString with the value last: the closing ) of the sub-expression is kept', () => {
    const line = "$c = New-Object PSCredential('corp\\admin', (ConvertTo-SecureString -AsPlainText -Force Winter2026))";
    expect(redactSecrets(line)).toBe("$c = New-Object PSCredential('corp\\admin', (ConvertTo-SecureString -AsPlainText -Force ***))");
    expect(secretsIn(line)).toEqual(['Winter2026']);
  });

  it('wordAt reads nothing at a line break: null, not an empty word', () => {
    expect(wordAt('net user bob\nx', 12)).toBeNull();
    expect(wordAt('a\r\nb', 1)).toBeNull();
    expect(wordAt('abc', 3)).toBeNull();
    expect(wordAt('-p Q7!', 3)).toEqual({ start: 3, end: 6, value: 'Q7!' });
  });
});

describe('a space-separated switch value that is not a typed secret', () => {
  it('an empty quoted password is left as typed (nothing to hide)', () => {
    expect(redactSecrets('psexec.exe \\\\fs01 -u corp\\guest -p "" cmd.exe')).toBe('psexec.exe \\\\fs01 -u corp\\guest -p "" cmd.exe');
    expect(redactSecrets("Invoke-Deploy -ComputerName fs01 -Password '' -Verbose")).toBe("Invoke-Deploy -ComputerName fs01 -Password '' -Verbose");
  });

  it('a prompt (*) is left, a typed password beside it is not', () => {
    const prompt = 'schtasks /create /tn Upd /tr C:\\t\\u.exe /sc onlogon /ru corp\\admin /rp *';
    expect(redactSecrets(prompt)).toBe(prompt);
    expect(redactSecrets('schtasks /create /tn Upd /tr C:\\t\\u.exe /sc onlogon /ru corp\\admin /rp Q7!')).toBe(
      'schtasks /create /tn Upd /tr C:\\t\\u.exe /sc onlogon /ru corp\\admin /rp ***',
    );
  });

  it('another switch (- or /) after the switch is evidence, not a password', () => {
    const sevenZip = '7z.exe a -p -mhe=on C:\\ProgramData\\out.7z C:\\Users\\finance\\Documents';
    expect(redactSecrets(sevenZip)).toBe(sevenZip);
    const xcopy = 'xcopy /p /s \\\\fs01\\c$\\q4 C:\\stage';
    expect(redactSecrets(xcopy)).toBe(xcopy);
  });

  it('an array sub-expression (@…) assigned to $pw is not a typed password', () => {
    const line = '$pw = @(Get-Content C:\\Users\\adm\\pw.txt); Connect-Thing';
    expect(redactSecrets(line)).toBe(line);
  });

  it('a UNC or rooted path after the switch is a path; a password holding a backslash is still hidden', () => {
    const unc = 'xcopy /p \\\\fs01\\c$\\finance C:\\stage /s';
    expect(redactSecrets(unc)).toBe(unc);
    const rooted = 'mkdir -p \\ProgramData\\svc';
    expect(redactSecrets(rooted)).toBe(rooted);
    expect(redactSecrets('psexec.exe \\\\fs01 -u corp\\admin -p Tr0ub4dor\\3 cmd.exe')).toBe('psexec.exe \\\\fs01 -u corp\\admin -p *** cmd.exe');
  });
});

describe('a switch with no blank and no : or = after it has no value', () => {
  it('`/p"` closing a quoted cmd /c: the rest of the line is evidence, not a password', () => {
    const line = 'cmd.exe /c "dir \\\\fs01\\c$\\Users\\*.kdbx /s /p" & wmic /node:FS01 process call create calc.exe';
    expect(redactSecrets(line)).toBe(line);
    const last = 'cmd.exe /c "dir C:\\Users\\*.kdbx /s /p"';
    expect(redactSecrets(last)).toBe(last);
  });
});

// 7-Zip's `-p{Password}` and RAR's `-p[pwd]`/`-hp[pwd]` take the password joined to the switch
// (7-zip.org "-p (set Password) switch"; rar.txt in the RAR distribution). Lines from Atomic Red
// Team T1560.001 tests 2 and 4 (atomics/T1560.001/T1560.001.yaml), and from intrusions' archive
// staging (7zr.exe with -bso0 -bse2 -bsp2; rar a -hp… -ri10 -r -y -u -m2 -v30m, ESET on Turla Crutch).
describe('an archive password joined to 7-Zip\'s or RAR\'s -p / -hp switch', () => {
  it('hides the password, keeps the switch, the archive and the files', () => {
    const cases: [string, string][] = [
      ['"C:\\Program Files\\7-zip\\7z.exe" u archive.7z *txt -pblue', '"C:\\Program Files\\7-zip\\7z.exe" u archive.7z *txt -p***'],
      ['"C:\\Program Files/WinRAR/Rar.exe" a -hp"blue" hello.rar', '"C:\\Program Files/WinRAR/Rar.exe" a -hp*** hello.rar'],
      ['rar a -p"blue" hello.rar', 'rar a -p*** hello.rar'],
      [
        'C:\\Windows\\system32\\cmd.exe /c c:\\users\\public\\7zr.exe a -bso0 -bse2 -bsp2 -pK3y!2019 c:\\users\\public\\path.7z c:\\users\\public\\20190423\\',
        'C:\\Windows\\system32\\cmd.exe /c c:\\users\\public\\7zr.exe a -bso0 -bse2 -bsp2 -p*** c:\\users\\public\\path.7z c:\\users\\public\\20190423\\',
      ],
      ['rar.exe a -hpSummer2025 -ri10 -r -y -u -m2 -v30m "%temp%\\~res.dat" "d:\\fin\\*.*"', 'rar.exe a -hp*** -ri10 -r -y -u -m2 -v30m "%temp%\\~res.dat" "d:\\fin\\*.*"'],
      ['7z.exe a "-pAutumn 2025" -mhe=on out.7z C:\\Users\\fin', '7z.exe a *** -mhe=on out.7z C:\\Users\\fin'],
      ['UnRAR.exe x -pQ7! loot.rar C:\\t\\', 'UnRAR.exe x -p*** loot.rar C:\\t\\'],
      // 7-Zip: "a dash (-) or a forward slash (/)", "Switch names are not case sensitive"
      ['7za.exe a /PSummer2025 out.7z C:\\fin', '7za.exe a /P*** out.7z C:\\fin'],
      ['7z.exe a -p-x out.7z C:\\fin', '7z.exe a -p*** out.7z C:\\fin'],
      // the password after 70 file names: an archiver's arguments run to the statement end
      [`7z a out.7z ${'C:\\fin\\q.xlsx '.repeat(70)}-pWinter2026 & del C:\\fin\\q.xlsx`, `7z a out.7z ${'C:\\fin\\q.xlsx '.repeat(70)}-p*** & del C:\\fin\\q.xlsx`],
    ];
    for (const [line, redacted] of cases) expect(redactSecrets(line)).toBe(redacted);
  });

  it('keeps the prompt (-p alone), rar\'s -p- and the same switch outside an archiver', () => {
    for (const line of [
      '7z.exe a -mhe=on out.7z C:\\Users\\fin -p',
      'rar a -p- -r backup.rar D:\\share',
      'tool.exe -pretty -pid 4242',
      '7z.exe a out.7z C:\\x & tool.exe -pid 4242',
      '7z.exe a C:\\stage\\Q4-payroll.7z C:\\fin\\Q4-payroll.xlsx',
      // a statement end: PowerShell's -Path / -PassThru belong to the next command
      '7z.exe a C:\\stage\\q4.7z C:\\fin; Remove-Item -Path C:\\fin -Recurse',
      '7z.exe a C:\\stage\\q4.7z C:\\fin ; Move-Item C:\\stage\\q4.7z \\\\fs02\\drop$ -PassThru',
      'Move-Item C:\\stage\\q4.7z \\\\fs02\\drop$ -PassThru',
      '7z.exe a -p"" out.7z C:\\fin',
      '7z.exe a "-p" out.7z C:\\fin',
    ]) expect(redactSecrets(line)).toBe(line);
  });

  it('keeps the archive password out of every analysis field of a wmic remote launch', () => {
    const a = wmic('wmic /node:FS01 process call create "cmd /c c:\\users\\public\\7zr.exe a -p\\"Winter 2026\\" c:\\users\\public\\p.7z c:\\finance"');
    expect(a.remoteExec).toBe(true);
    expect(JSON.stringify(a)).not.toContain('Winter');
    expect(a.remoteCommand).toBe('cmd /c c:\\users\\public\\7zr.exe a -p*** c:\\users\\public\\p.7z c:\\finance');
  });
});
