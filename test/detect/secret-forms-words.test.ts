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
