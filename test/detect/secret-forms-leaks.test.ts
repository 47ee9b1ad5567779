/**
 * Credential leaks an audit found (issue 21): each line is typed as the real tool takes it, and the
 * password must not reach the redactor's output (so no notification, log or JSON shows it).
 */
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../lambda/detect/index.js';

describe('mysql -pPASS: the password glued to a lower-case -p', () => {
  // MySQL 8.4 Reference Manual, "Command Options for Connecting to the Server"
  // (https://dev.mysql.com/doc/refman/8.4/en/connection-options.html): "--password[=password],
  // -p[password] ... If you use the short option form (-p), you cannot have a space between the
  // option and the password"; "--port=port_num, -P port_num" (upper case: the port).
  it('hides the glued password of mysql, mysqldump and MariaDB clients', () => {
    expect(redactSecrets('mysql -pS3cret!x')).toBe('mysql -p***');
    expect(redactSecrets('mysql -u root -pS3cret!x crm')).toBe('mysql -u root -p*** crm');
    expect(redactSecrets('mysqldump.exe -h 10.20.1.15 -u backup -pS3cret!x --single-transaction crm > C:\\ProgramData\\crm.sql'))
      .toBe('mysqldump.exe -h 10.20.1.15 -u backup -p*** --single-transaction crm > C:\\ProgramData\\crm.sql');
    expect(redactSecrets('"C:\\Program Files\\MySQL\\MySQL Server 8.0\\bin\\mysql.exe" -uroot -pS3cret!x -e "show databases"'))
      .toBe('"C:\\Program Files\\MySQL\\MySQL Server 8.0\\bin\\mysql.exe" -uroot -p*** -e "show databases"');
    expect(redactSecrets('mariadb-dump -u root "-pS3cret x" crm')).toBe('mariadb-dump -u root *** crm');
    expect(redactSecrets('cmd /c mysql -u root -pS3cret!x crm & echo done')).toBe('cmd /c mysql -u root -p*** crm & echo done');
  });

  it('keeps the port of -P, the prompt of -p alone and -p outside a MySQL client', () => {
    expect(redactSecrets('mysql -h db01 -P 3306 -u app -pS3cret!x crm')).toBe('mysql -h db01 -P 3306 -u app -p*** crm');
    expect(redactSecrets('mysqladmin -h 10.0.0.7 -P 3307 -u root -p')).toBe('mysqladmin -h 10.0.0.7 -P 3307 -u root -p');
    expect(redactSecrets('C:\\mysql\\bin\\mysql.exe -h db01 -P 3306 -uroot -pS3cret!x')).toBe('C:\\mysql\\bin\\mysql.exe -h db01 -P 3306 -uroot -p***');
    // sqlcmd's -P is its password (learn.microsoft.com, "sqlcmd utility"): still hidden
    expect(redactSecrets('sqlcmd -S db01 -U sa -P S3cret!x -Q "select 1"')).toBe('sqlcmd -S db01 -U sa -P *** -Q "select 1"');
    expect(redactSecrets('mysql -u root -pS3cret!x crm; sqlcmd -S db01 -U sa -P Other!Pw9')).toBe('mysql -u root -p*** crm; sqlcmd -S db01 -U sa -P ***');
    expect(redactSecrets('tool.exe -pid 4242 -pS1')).toBe('tool.exe -pid 4242 -pS1');
    // short options take a glued value too (-P3306, -uroot): the port stays
    expect(redactSecrets('mysql -h db01 -P3306 -uroot -pS3cret!x crm')).toBe('mysql -h db01 -P3306 -uroot -p*** crm');
  });

  it('reads 1 MB of MySQL client words once (the hostile-line rule of lambda/detect/README.md)', () => {
    for (const unit of ['mysql ', 'mysql -P ', 'mysql -p"', 'mysql -pA"b']) {
      const line = unit.repeat(1_000_000 / unit.length);
      expect(typeof redactSecrets(line)).toBe('string');
    }
  });
});

describe('7-Zip -p with a quoted part inside the password', () => {
  // 7-Zip reads its arguments as the C runtime splits them: a quoted run glued to a word is part of that
  // one argument, quotes dropped ("Parsing C command-line arguments",
  // https://learn.microsoft.com/en-us/cpp/c-language/parsing-c-command-line-arguments), so
  // `-pSum"mer 20"25` sets the password `Summer 2025` (7-zip.org, "-p (set Password) switch").
  it('hides the whole argument, the quoted part and what follows it', () => {
    expect(redactSecrets('7z.exe a -pSum"mer 20"25 -mhe=on C:\\ProgramData\\q4.7z C:\\fin')).toBe('7z.exe a -p*** -mhe=on C:\\ProgramData\\q4.7z C:\\fin');
    expect(redactSecrets('rar a -hpAu"tumn 20"25"!" x.rar D:\\share')).toBe('rar a -hp*** x.rar D:\\share');
    expect(redactSecrets('7z a "-pSum mer"2025 x.7z C:\\fin')).toBe('7z a *** x.7z C:\\fin');
    // the value is the password as 7-Zip reads it (quotes dropped): typed again later in the line, it is hidden there too
    expect(redactSecrets('wmic /node:FS01 process call create "cmd /c 7z a -p\\"Winter 2026\\" p.7z C:\\fin & echo Winter 2026> C:\\fin\\pw.txt"'))
      .toBe('wmic /node:FS01 process call create "cmd /c 7z a -p*** p.7z C:\\fin & echo ***> C:\\fin\\pw.txt"');
    // inside wmic's quoted CommandLine the inner quotes are \"
    expect(redactSecrets('wmic /node:FS01 process call create "cmd /c 7z a -pSum\\"mer 20\\"25 p.7z C:\\fin"'))
      .toBe('wmic /node:FS01 process call create "cmd /c 7z a -p*** p.7z C:\\fin"');
  });
});

describe('$password = a PowerShell here-string', () => {
  // about_Quoting_Rules, "Here-strings" (https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_quoting_rules):
  // `@'` or `@"` ends its line, the value is the lines that follow, and `'@` / `"@` at a line's start closes it.
  // A script typed this way reaches the detector decoded from -EncodedCommand, line breaks kept.
  it('hides the lines between the markers, single- or double-quoted', () => {
    expect(redactSecrets("$password = @'\nS3cret!x\n'@\n$cred = New-Object PSCredential('corp\\admin', (ConvertTo-SecureString $password -AsPlainText -Force))"))
      .toBe("$password = ***\n$cred = New-Object PSCredential('corp\\admin', (ConvertTo-SecureString $password -AsPlainText -Force))");
    expect(redactSecrets('$pass = @"\r\nS3cret!x\r\n"@\r\nInvoke-Sqlcmd -ServerInstance db01 -Username sa -Password $pass')).toBe('$pass = ***\r\nInvoke-Sqlcmd -ServerInstance db01 -Username sa -Password $pass');
    // the value is the line without its CR: written again later, it is hidden there too
    expect(redactSecrets('$pass = @"\r\nS3cret!x\r\n"@\r\nWrite-Output S3cret!x')).toBe('$pass = ***\r\nWrite-Output ***');
    // a value that starts like a variable or a switch is still the literal text
    expect(redactSecrets("$pw = @'\n$ummer-2025\n'@; whoami")).toBe('$pw = ***; whoami');
    // on one line it is no here-string (PowerShell rejects it), yet what is typed is the password
    expect(redactSecrets("$password = @'S3cret!x'@; whoami")).toBe('$password = ***; whoami');
    expect(redactSecrets('$pw = @"S3cret!x"@')).toBe('$pw = ***');
    // cut before the closing marker (a collector's limit): hidden to the end
    expect(redactSecrets("$password = @'\nS3cret!x")).toBe('$password = ***');
  });

  it('keeps a here-string that is not assigned to a password, and @ that opens no here-string', () => {
    expect(redactSecrets("$body = @'\nhello\n'@")).toBe("$body = @'\nhello\n'@");
    expect(redactSecrets('$password = @(Get-Secret)')).toBe('$password = @(Get-Secret)');
  });

  it('reads 1 MB of unclosed here-strings once', () => {
    for (const unit of ["$password = @'\n", '$pw = @"\n"@\n']) {
      const line = unit.repeat(1_000_000 / unit.length);
      expect(typeof redactSecrets(line)).toBe('string');
    }
  });
});

describe("Start-Process -ArgumentList '-p','PASS': the password is the next array element", () => {
  // Start-Process -ArgumentList takes "an array of strings separated by commas", each one argument
  // (https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.management/start-process);
  // PsExec's -u/-p (learn.microsoft.com, "PsExec") and plink's -pw (PuTTY manual, "plink") passed that way.
  it('hides the element after -p or -pw, quoted either way, blanks or not', () => {
    expect(redactSecrets("Start-Process -FilePath C:\\Tools\\PsExec.exe -ArgumentList '\\\\fs01','-accepteula','-u','corp\\admin','-p','S3cret!x','cmd.exe' -Wait"))
      .toBe("Start-Process -FilePath C:\\Tools\\PsExec.exe -ArgumentList '\\\\fs01','-accepteula','-u','corp\\admin','-p',***,'cmd.exe' -Wait");
    expect(redactSecrets('Start-Process plink.exe -ArgumentList "-ssh", "root@10.0.0.9", "-pw", "S3cret!x" -NoNewWindow'))
      .toBe('Start-Process plink.exe -ArgumentList "-ssh", "root@10.0.0.9", "-pw", *** -NoNewWindow');
    expect(redactSecrets('wmic /node:FS01 process call create "powershell -c Start-Process psexec.exe -ArgumentList \\"-p\\",\\"S3cret!x\\""'))
      .toBe('wmic /node:FS01 process call create "powershell -c Start-Process psexec.exe -ArgumentList \\"-p\\",***"');
  });

  it('hides a bare next element too (in argument mode a bare word is a string, about_Parsing)', () => {
    expect(redactSecrets("Start-Process psexec.exe -ArgumentList '-u','corp\\admin','-p',S3cret!x")).toBe("Start-Process psexec.exe -ArgumentList '-u','corp\\admin','-p',***");
    expect(redactSecrets('Start-Process psexec.exe -ArgumentList \\\\fs01,-accepteula,-u,corp\\admin,-p,S3cret!x -Wait')).toBe('Start-Process psexec.exe -ArgumentList \\\\fs01,-accepteula,-u,corp\\admin,-p,*** -Wait');
  });

  it('keeps a variable, another switch, and a -p element with no element after it', () => {
    expect(redactSecrets("Start-Process psexec.exe -ArgumentList '-p', $pw")).toBe("Start-Process psexec.exe -ArgumentList '-p', $pw");
    expect(redactSecrets("Start-Process psexec.exe -ArgumentList '-p','-s'")).toBe("Start-Process psexec.exe -ArgumentList '-p','-s'");
    expect(redactSecrets("Start-Process 7z.exe -ArgumentList 'x','-p'")).toBe("Start-Process 7z.exe -ArgumentList 'x','-p'");
    expect(redactSecrets("Start-Process x.exe -ArgumentList '-p' 'S3cret'")).toBe("Start-Process x.exe -ArgumentList '-p' 'S3cret'");
  });

  it("reads 1 MB of '-p', elements once", () => {
    for (const unit of ["'-p',", '"-p" , ', '\\"-p\\",', '-p,', '-p,\\\\a,']) {
      const line = `Start-Process x -ArgumentList ${unit.repeat(1_000_000 / unit.length)}`;
      expect(typeof redactSecrets(line)).toBe('string');
    }
  });
});

describe('no more than the secret: the analyst keeps the commands around it', () => {
  // Read-Host -AsSecureString and Get-Credential prompt for the password (learn.microsoft.com, "Read-Host",
  // "Get-Credential"): nothing is typed on the line. ConvertTo-SecureString's own value is its form's.
  it('keeps Read-Host, Get-Credential and ConvertTo-SecureString assigned to $password', () => {
    expect(redactSecrets("$password = Read-Host -Prompt 'Password' -AsSecureString")).toBe("$password = Read-Host -Prompt 'Password' -AsSecureString");
    expect(redactSecrets('$pw = get-credential corp\\admin')).toBe('$pw = get-credential corp\\admin');
    expect(redactSecrets("$password = ConvertTo-SecureString 'S3cret!x' -AsPlainText -Force")).toBe('$password = ConvertTo-SecureString *** -AsPlainText -Force');
    // a password that only starts like one is still hidden
    expect(redactSecrets('$password = Read-Hostile1')).toBe('$password = ***');
  });

  // a `;` ends a PowerShell statement (about_Parsing): it is not ConvertTo-SecureString's value
  it('keeps the ; after ConvertTo-SecureString -Force', () => {
    expect(redactSecrets('$s = ConvertTo-SecureString -AsPlainText -Force ; $c = Get-Credential')).toBe('$s = ConvertTo-SecureString -AsPlainText -Force ; $c = Get-Credential');
    expect(redactSecrets('$s = $raw | ConvertTo-SecureString -AsPlainText -Force | Set-Content x')).toBe('$s = $raw | ConvertTo-SecureString -AsPlainText -Force | Set-Content x');
  });
});
