/**
 * sameCommand and confirmationRange at their edges. Command lines as Windows hands them to
 * CreateProcess: the executable may be quoted, end without its closing quote, use `/` or `\`, and
 * arguments may be separated by tabs (https://learn.microsoft.com/en-us/windows/win32/api/processthreadsapi/nf-processthreadsapi-createprocessw).
 */
import { describe, expect, it } from 'vitest';
import { confirmationRange, normaliseCommand, sameCommand } from '../../lambda/confirm/index.js';
import { DEFAULT_TIMING } from '../../lambda/confirm/range.js';

describe('normaliseCommand', () => {
  it('reads a quoted executable to its closing quote, and one without a closing quote to the end', () => {
    expect(normaliseCommand('  "C:\\Program Files\\Tools\\Tool.EXE"  -A  "x  y" ')).toEqual({ exe: 'tool', rest: '-a x y' });
    expect(normaliseCommand('"C:\\Program Files\\Tools\\tool.exe -a')).toEqual({ exe: 'tool.exe -a', rest: '' });
  });

  it('splits at the first whitespace of any kind, takes the name after the last \\ or /, and strips only a final .exe', () => {
    expect(normaliseCommand('cmd.exe\t/c whoami')).toEqual({ exe: 'cmd', rest: '/c whoami' });
    expect(normaliseCommand('C:/Windows/System32/cmd.exe /c whoami')).toEqual({ exe: 'cmd', rest: '/c whoami' });
    expect(normaliseCommand('\\\\fs01\\it$/deploy\\winupd.exe')).toEqual({ exe: 'winupd', rest: '' });
    expect(normaliseCommand('C:\\tools/x\\exec.exe.bat run')).toEqual({ exe: 'exec.exe.bat', rest: 'run' });
    expect(normaliseCommand('whoami')).toEqual({ exe: 'whoami', rest: '' });
    expect(normaliseCommand('C:\\x\\"cmd".exe /c')).toEqual({ exe: 'cmd', rest: '/c' });
  });
});

describe('sameCommand with a redacted password', () => {
  it('lets each *** stand for one run of non-space characters, nothing more', () => {
    expect(sameCommand('net user bob *** /add', 'net user bob S3cret! /add')).toBe(true);
    expect(sameCommand('net user bob *** /add', 'net user bob two words /add')).toBe(false);
    expect(sameCommand('net user bob *** /add', 'net extra user bob S3cret /add')).toBe(false);
    expect(sameCommand('net user bob *** /add', 'net user bob S3cret /add /domain')).toBe(false);
    expect(sameCommand('runas /user:a *** x ***', 'runas /user:a p1 x p2')).toBe(true);
  });

  it('reads the rest of the redacted command literally: a dot is a dot', () => {
    expect(sameCommand('net use \\\\fs01.corp /user:a.b ***', 'net use \\\\fs01.corp /user:a.b pw')).toBe(true);
    expect(sameCommand('net use \\\\fs01.corp /user:a.b ***', 'net use \\\\fs01xcorp /user:aXb pw')).toBe(false);
    expect(sameCommand('cmd /c (echo ***)+', 'cmd /c (echo pw)+')).toBe(true);
  });
});

describe('confirmationRange edges', () => {
  const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
  const LAG = 5 * 60_000;
  const { skewMs, followMs, maxSpanMs } = DEFAULT_TIMING;

  it('rounds the start down and the end up to whole seconds', () => {
    expect(confirmationRange([{ firstSeen: T0 + 400, lastSeen: T0 + 400 }], T0 + 3_600_000, LAG))
      .toEqual({ from: T0 - skewMs, to: T0 + followMs + 1_000 });
  });

  it('is null when the range would be empty, and one second long one second later', () => {
    const pairs = [{ firstSeen: T0, lastSeen: T0 }];
    expect(confirmationRange(pairs, T0 - skewMs + LAG, LAG)).toBeNull();
    expect(confirmationRange(pairs, T0 - skewMs + LAG + 1_000, LAG)).toEqual({ from: T0 - skewMs, to: T0 - skewMs + 1_000 });
  });

  it('keeps exactly maxSpanMs of the most recent time when the pairs span more, and all when they span exactly that', () => {
    const to = T0 + followMs;
    const exact = [{ firstSeen: to - maxSpanMs + skewMs, lastSeen: T0 }];
    expect(confirmationRange(exact, T0 + 3_600_000, LAG)).toEqual({ from: to - maxSpanMs, to });
    const longer = [{ firstSeen: to - maxSpanMs + skewMs - 1_000, lastSeen: T0 }];
    expect(confirmationRange(longer, T0 + 3_600_000, LAG)).toEqual({ from: to - maxSpanMs, to });
    // the earliest first-seen and the latest last-seen of all pairs bound it
    expect(confirmationRange([{ firstSeen: T0, lastSeen: T0 }, { firstSeen: T0 - 60_000, lastSeen: T0 - 60_000 }, { firstSeen: T0 + 1_000, lastSeen: T0 + 9_000 }], T0 + 3_600_000, LAG))
      .toEqual({ from: T0 - 60_000 - skewMs, to: T0 + 9_000 + followMs });
  });
});
