/**
 * Edges of the positional and value scanners of lambda/detect/secret-forms.ts (net use / net user,
 * ConvertTo-SecureString, Password= / $password =, URL user information), seen through the one
 * redactor every notification field passes through.
 */
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../lambda/detect/index.js';

describe('net use / net user: the statement ends at an unquoted & or |', () => {
  // cmd.exe runs what follows an unquoted `&` (or pipes into what follows `|`) as the next command,
  // with or without blanks around it ("Using command redirection operators",
  // https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-xp/bb490982(v=technet.10)).
  // Dropping a stale IPC$ session and reconnecting with a password in one line is a common lateral-movement
  // step (net use syntax: https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2012-r2-and-2012/gg651155(v=ws.11)).
  it('hides the password of a net command glued to the previous one with &', () => {
    expect(redactSecrets('cmd.exe /c net use \\\\10.0.0.5\\IPC$ /delete&net use \\\\10.0.0.5\\IPC$ Autumn2026! /user:corp\\svc'))
      .toBe('cmd.exe /c net use \\\\10.0.0.5\\IPC$ /delete&net use \\\\10.0.0.5\\IPC$ *** /user:corp\\svc');
    expect(redactSecrets('net user bob&net user eve Pw123456')).toBe('net user bob&net user eve ***');
    expect(redactSecrets('net use x: \\\\h\\s&net user bob Winter2024!')).toBe('net use x: \\\\h\\s&net user bob ***');
    expect(redactSecrets('net user bob /add|net user eve Pw123456')).toBe('net user bob /add|net user eve ***');
    expect(redactSecrets('net user bob &net user eve Pw123456')).toBe('net user bob &net user eve ***');
  });

  it('still hides a password word holding & whole (more than the password rather than its tail)', () => {
    expect(redactSecrets('net user bob Pw99&echo done')).toBe('net user bob *** done');
    expect(redactSecrets('net user bob "Pw&99" /add')).toBe('net user bob *** /add');
  });
});

describe('net use / net user: switches do not hide the password', () => {
  // net user's documented switches: /active, /expires, /passwordchg, /passwordreq, /times, /fullname:"<name>", …
  // https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2012-r2-and-2012/cc771865(v=ws.11)
  it('finds the password after any number of switches', () => {
    const switches = '/add /domain /active:yes /expires:never /passwordchg:no /passwordreq:yes /times:all /y';
    expect(redactSecrets(`net user ${switches} svc_bak Spring2026!`)).toBe(`net user ${switches} svc_bak ***`);
    // SMB over QUIC (Windows 11 / Server 2022 net use switches) before the password
    const quic = 'net use \\\\fs\\share /transport:quic /skipcertcheck /requireintegrity /requireprivacy /persistent:no /savecred /y /user:corp\\a';
    expect(redactSecrets(`${quic} Pw77`)).toBe(`${quic} ***`);
  });

  it('takes a quoted switch value glued to its switch as part of it', () => {
    expect(redactSecrets('net user /add /fullname:"Svc Backup" svc_bak Spring2026!')).toBe('net user /add /fullname:"Svc Backup" svc_bak ***');
    expect(redactSecrets('net user /add /comment="x y" svc_bak Spring2026!')).toBe('net user /add /comment="x y" svc_bak ***');
    expect(redactSecrets('wmic /node:FS01 process call create "cmd /c net user /add /fullname:\\"Svc Backup\\" svc_bak Spring2026!"'))
      .toBe('wmic /node:FS01 process call create "cmd /c net user /add /fullname:\\"Svc Backup\\" svc_bak ***"');
  });

  it('reads a dash word before the name as a switch too (the reading that leaves no password visible)', () => {
    expect(redactSecrets('net user -add bob Pw1')).toBe('net user -add bob ***');
  });

  it('keeps a quoted user name holding & whole', () => {
    // cmd needs quotes around a name holding & (cmd /? : "&()[]{}^=;!'+,`~" need quoting)
    expect(redactSecrets('net user "Ann&Bob" Spring2026! /add')).toBe('net user "Ann&Bob" *** /add');
  });

  it('ends the statement at the closing quote of the string it sits in', () => {
    // the closing quote right after a /user:dom\name switch, or after a password ending in = (base64-like)
    expect(redactSecrets('cmd /c "net use \\\\h\\s Pw0 /user:corp\\a" & net user eve Pw2'))
      .toBe('cmd /c "net use \\\\h\\s *** /user:corp\\a" & net user eve ***');
    expect(redactSecrets('cmd /c "net user bob Pw123=" & net user eve Pw456')).toBe('cmd /c "net user bob ***" & net user eve ***');
    expect(redactSecrets('wmic /node:FS01 process call create "cmd /c net user bob /add" & net user eve Pw123456'))
      .toBe('wmic /node:FS01 process call create "cmd /c net user bob /add" & net user eve ***');
    expect(redactSecrets('cmd /c "net use \\\\h\\s /delete" & net use \\\\h\\s Pw123456 /user:a')).toBe('cmd /c "net use \\\\h\\s /delete" & net use \\\\h\\s *** /user:a');
    expect(redactSecrets('cmd /c "net user bob Pw1"&echo x')).toBe('cmd /c "net user bob ***"&echo x');
  });
});

describe('net use / net user: which word is the password', () => {
  it('skips switches typed before the name and password (Atomic Red Team T1136.001: net user /add NAME PASSWORD)', () => {
    // https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1136.001/T1136.001.md
    expect(redactSecrets('net user /add "art-user" "Atom!cRedT3am"')).toBe('net user /add "art-user" ***');
    expect(redactSecrets('net user /add backdoor P@ss4')).toBe('net user /add backdoor ***');
  });

  it('knows the printer and serial devices LPT1: and COM1: are devices, not passwords', () => {
    // net use LPT1: \\printserver\printer (devicename may be a printer port: gg651155 above)
    expect(redactSecrets('net use LPT1: \\\\prn01\\hp4050 /persistent:yes')).toBe('net use LPT1: \\\\prn01\\hp4050 /persistent:yes');
    expect(redactSecrets('net use COM2: \\\\srv\\modem')).toBe('net use COM2: \\\\srv\\modem');
    expect(redactSecrets('net use LPT1: \\\\prn01\\hp4050 Pr1nt3r! /user:corp\\svc')).toBe('net use LPT1: \\\\prn01\\hp4050 *** /user:corp\\svc');
    expect(redactSecrets('net use com1 \\\\srv\\modem Pa55 /user:corp\\svc')).toBe('net use com1 \\\\srv\\modem *** /user:corp\\svc');
  });

  it.each(['*Hunter2026', 'lpt1Pass', 'com1Pass', 'Q:uart3r'])('hides a password that only begins like a device name: %s', (pw) => {
    expect(redactSecrets(`net use \\\\fs01\\c$ ${pw} /user:corp\\a`)).toBe('net use \\\\fs01\\c$ *** /user:corp\\a');
  });

  it('leaves a blanked password ("") readable: it is evidence, not a secret', () => {
    // net user Guest "" clears the account's password
    expect(redactSecrets('net user Guest "" /active:yes')).toBe('net user Guest "" /active:yes');
  });

  it('reads at most 8 words after net, switches not counted: a net command at the 9th word is scanned afresh', () => {
    expect(redactSecrets('net use x: \\\\h\\s Pw0 /user:a b c d /y e f net user eve Pw1'))
      .toBe('net use x: \\\\h\\s *** /user:a b c d /y e f net user eve ***');
  });

  it('ends the statement at a word ending in ; only when unquoted', () => {
    // PowerShell: net user backdoor /add; ... (the quoted 'x;' is the password itself)
    expect(redactSecrets("net user bob 'Pw;' /add")).toBe('net user bob *** /add');
    expect(redactSecrets('net user bob /add; net user eve Pw1')).toBe('net user bob /add; net user eve ***');
  });
});

describe('ConvertTo-SecureString', () => {
  // Parameter sets: [-String] <String> [[-SecureKey] <SecureString>] | -AsPlainText [-Force] | -Key <Byte[]>
  // https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.security/convertto-securestring
  const ENCRYPTED = '76492d1116743f0423413b16050a5345MgB8AEkAaQBmAHUAZgB3AA==';

  it('skips the value of -Key and -SecureKey and hides the string after it', () => {
    expect(redactSecrets(`ConvertTo-SecureString -Key (1..16) '${ENCRYPTED}'`)).toBe('ConvertTo-SecureString -Key (1..16) ***');
    expect(redactSecrets(`ConvertTo-SecureString -Key $aesKey ${ENCRYPTED}`)).toBe('ConvertTo-SecureString -Key $aesKey ***');
    expect(redactSecrets(`ConvertTo-SecureString -SecureKey $sk '${ENCRYPTED}'`)).toBe('ConvertTo-SecureString -SecureKey $sk ***');
    expect(redactSecrets(`convertto-securestring -SECUREKEY $sk '${ENCRYPTED}'`)).toBe('convertto-securestring -SECUREKEY $sk ***');
  });

  it('hides an unquoted argument closing a sub-expression without its parentheses', () => {
    // New-Object PSCredential('user', (ConvertTo-SecureString pw -AsPlainText -Force)) written with the string last
    expect(redactSecrets("New-Object PSCredential('corp\\a', (ConvertTo-SecureString -AsPlainText -Force Winter2026))"))
      .toBe("New-Object PSCredential('corp\\a', (ConvertTo-SecureString -AsPlainText -Force ***))");
    expect(redactSecrets('(ConvertTo-SecureString Xy1) ; echo Xy1)')).toBe('(ConvertTo-SecureString ***) ; echo Xy1)');
    // a quoted string cut by the end of the line keeps its last character hidden too
    expect(redactSecrets("(ConvertTo-SecureString 'ab)")).toBe('(ConvertTo-SecureString ***');
  });

  it('reads at most 6 words after the command: a ConvertTo-SecureString at the 7th word is scanned afresh', () => {
    const six = 'ConvertTo-SecureString -AsPlainText -Force -Verbose -Debug -ErrorAction:Stop -WarningAction:Ignore';
    expect(redactSecrets(`${six} ConvertTo-SecureString 'Pw1' -AsPlainText`)).toBe(`${six} ConvertTo-SecureString *** -AsPlainText`);
  });
});

describe('Password= and $password =', () => {
  it('hides a connection-string password with blanks in it, up to the ;', () => {
    // SqlConnection.ConnectionString: values may hold blanks
    // https://learn.microsoft.com/en-us/dotnet/api/system.data.sqlclient.sqlconnection.connectionstring
    expect(redactSecrets('$cs = "Server=db01;User Id=sa;Password=Correct Horse 9;"')).toBe('$cs = "Server=db01;User Id=sa;Password=***;"');
  });

  it('takes a PowerShell assignment value up to a blank', () => {
    expect(redactSecrets('$pw = Ab1 ; Connect-Thing')).toBe('$pw = *** ; Connect-Thing');
  });

  it('leaves a variable or a sub-expression assigned to $password readable', () => {
    expect(redactSecrets('$password = $env:DB_PASSWORD')).toBe('$password = $env:DB_PASSWORD');
    expect(redactSecrets('$pass = (Get-Content .\\pw.txt)')).toBe('$pass = (Get-Content .\\pw.txt)');
  });
});

describe('URL user information', () => {
  it('hides a short password too (values under 4 characters are not hunted elsewhere)', () => {
    // curl/ftp style credentials in the URL (RFC 3986 3.2.1 userinfo)
    expect(redactSecrets('ftp://admin:pw1@10.0.0.9/drop.zip')).toBe('ftp://admin:***@10.0.0.9/drop.zip');
  });
});

describe('issue 21 survivors: net user *, and connection-string values that start like a variable', () => {
  // net user's syntax: `net user [<UserName> {<Password> | *} ...]`, `*` "produces a prompt for the
  // password" (https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2012-r2-and-2012/cc771865(v=ws.11)):
  // nothing is typed, and the analyst keeps the `*`.
  it('keeps the * of net user NAME * (a prompt), and an empty password the analyst must see', () => {
    expect(redactSecrets('net user svc-backup * /add /domain')).toBe('net user svc-backup * /add /domain');
    expect(redactSecrets('net user svc-backup "" /add')).toBe('net user svc-backup "" /add');
  });

  // SqlConnection.ConnectionString (learn.microsoft.com): a password is any text to the next `;`, so one
  // starting with `$`, `@`, `-`, `/`, `(` or `*` is a typed secret, not a variable (that rule is PowerShell's `$password =`).
  it('hides a connection-string password whatever its first character', () => {
    for (const pw of ['$ummer2026!', '@dm1n!2026', '-Xy9!pq', '/Qw3rty', '(Pw)9981', '*']) {
      expect(redactSecrets(`sqlcmd -S db01 -Q "exec x" -C "Server=db01;User Id=sa;Password=${pw};"`)).toBe('sqlcmd -S db01 -Q "exec x" -C "Server=db01;User Id=sa;Password=***;"');
    }
  });
});
