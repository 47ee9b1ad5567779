/**
 * "The same command", compared as Windows runs it: case-insensitive, quotes and spacing do not
 * matter, `cmd` and `cmd.exe` are alike, and so are `C:\Windows\System32\cmd.exe` and `cmd.exe`.
 * Win32_Process.Create hands its CommandLine to CreateProcess unchanged, so the child's command
 * line is the remote command as typed, give or take how the executable was written.
 */

/** `{exe, rest}`: the executable's bare name without `.exe`, and the arguments, both normalised. */
export function normaliseCommand(command: string): { readonly exe: string; readonly rest: string } {
  const text = command.trim();
  let exe: string;
  let restStart: number;
  if (text.startsWith('"')) {
    // A quoted executable ends at the closing quote (CreateProcess reads it the same way).
    const close = text.indexOf('"', 1);
    exe = close === -1 ? text.slice(1) : text.slice(1, close);
    restStart = close === -1 ? text.length : close + 1;
  } else {
    const space = text.search(/\s/);
    exe = space === -1 ? text : text.slice(0, space);
    restStart = space === -1 ? text.length : space;
  }
  const base = exe.replace(/"/g, '').slice(Math.max(exe.lastIndexOf('\\'), exe.lastIndexOf('/')) + 1).toLowerCase();
  const bare = base.endsWith('.exe') ? base.slice(0, -4) : base;
  const rest = text.slice(restStart).replace(/"/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
  return { exe: bare, rest };
}

/** What the detector puts where a /password value was (lambda/detect/redact.ts). */
const REDACTED = '***';

/**
 * True when the pair's `remoteCommand` and the target's `commandLine` start the same program with
 * the same arguments, as Windows would run them. A `***` in the remote command (a password the
 * detector redacted) stands for any run of non-space characters on the target's line.
 */
export function sameCommand(remoteCommand: string, commandLine: string): boolean {
  const x = normaliseCommand(remoteCommand);
  const y = normaliseCommand(commandLine);
  if (x.exe === '' || x.exe !== y.exe) return false;
  // Stryker disable next-line ConditionalExpression,BlockStatement: a shortcut; without *** the pattern below is the escaped text itself, an exact match
  if (!x.rest.includes(REDACTED)) {
    return x.rest === y.rest;
  }
  const pattern = x.rest.split(REDACTED).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\S*');
  return new RegExp(`^${pattern}$`).test(y.rest);
}
