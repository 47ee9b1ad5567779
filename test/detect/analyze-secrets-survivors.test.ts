/**
 * analyzeCommandLine, first half: which wmic line of a shell is judged, whether a collector's cut
 * reaches it, and where an encoded command that typed a password is withheld.
 */
import { describe, expect, it } from 'vitest';
import type { WmicAnalysis } from '../../lambda/detect/index.js';
import { encodePs, shell, wmic } from './helpers.js';

/** A collector size (lambda/detect/analyze.ts COLLECTOR_LIMITS): a row this long reads as cut. */
const CUT = 2048;
/** What the detector says when the cut took the command of a wmic line with remote targets. */
const CUT_REMOTE = (n: number): string => `likely remote process creation on ${n} node(s): the line was cut by a collector before its command could be read`;
/** What the detector says about a whole `wmic /node:...` line without a command. */
const NO_COMMAND = 'no command: wmic reads commands from stdin';

/**
 * A shell line exactly `size` characters long: `head`, a logged echo padded to length, then `tail`.
 * Deployment scripts echo long progress lines before their wmic step; the collector keeps the first
 * `size` characters, so whatever `tail` is ends the row.
 */
function shellLineOf(head: string, tail: string, size = CUT): string {
  const line = `${head}${'deploy-step '.repeat(size)}`.slice(0, size - tail.length) + tail;
  expect(line).toHaveLength(size);
  return line;
}

/** The fields a cut changes: verdict, the whole targets, the one the cut went through. */
function cutView(a: WmicAnalysis): Pick<WmicAnalysis, 'verdict' | 'remoteExec' | 'targets' | 'cutTarget' | 'wmicCommandLine'> {
  return { verdict: a.verdict, remoteExec: a.remoteExec, targets: a.targets, cutTarget: a.cutTarget, wmicCommandLine: a.wmicCommandLine };
}

describe('a collector cut reaches the wmic line a shell runs last only when that line ends the row', () => {
  it('reads the last /node element as cut when the wmic line ends the cut row, and as whole one unit shorter', () => {
    const line = shellLineOf('cmd.exe /c echo ', ' & wmic /node:fs01,fs02');
    expect(cutView(shell('cmd.exe', line))).toEqual({ verdict: CUT_REMOTE(1), remoteExec: true, targets: ['fs01'], cutTarget: 'fs02', wmicCommandLine: 'wmic /node:fs01,fs02' });
    // one character shorter: not a collector size, so the same wmic line is whole
    const whole = shell('cmd.exe', line.replace('deploy-step ', 'deploy-step'));
    expect(cutView(whole)).toEqual({ verdict: NO_COMMAND, remoteExec: false, targets: ['fs01', 'fs02'], cutTarget: null, wmicCommandLine: 'wmic /node:fs01,fs02' });
  });

  it('does not carry the cut into a wmic line that other commands follow', () => {
    const a = shell('cmd.exe', shellLineOf('cmd.exe /c wmic /node:fs01,fs02 & echo ', ' done'));
    expect(cutView(a)).toEqual({ verdict: NO_COMMAND, remoteExec: false, targets: ['fs01', 'fs02'], cutTarget: null, wmicCommandLine: 'wmic /node:fs01,fs02' });
    expect(a.truncated).toBe(true);
  });

  it('does not carry the cut into an earlier wmic line even when it ends in the same word', () => {
    // a retry: the first attempt fails fast, the second waits; only the second ends the cut row
    const a = shell('cmd.exe', shellLineOf('cmd.exe /c echo ', ' & wmic /failfast:on /node:fs01,fs02 & wmic /node:fs01,fs02'));
    expect(cutView(a)).toEqual({ verdict: CUT_REMOTE(1), remoteExec: true, targets: ['fs01'], cutTarget: 'fs02', wmicCommandLine: 'wmic /node:fs01,fs02' });
    expect(a.failfast).toBe(false);
  });

  // the closing double quote survived, so the quoted target is whole; only the command was lost
  it.each([
    ['a closing double quote', 'cmd.exe', ' & wmic /node:"fs01","fs02"', ['fs01', 'fs02'], null, 'wmic /node:"fs01","fs02"'],
    ['single quotes PowerShell removes', 'powershell.exe', " ; wmic /node:'fs01','fs02'", ['fs01'], 'fs02', 'wmic /node:fs01,fs02'],
    ['blanks the collector kept after the last word', 'cmd.exe', ' & wmic /node:fs01,fs02   ', ['fs01'], 'fs02', 'wmic /node:fs01,fs02'],
    ['a cmd caret escape the wmic line no longer has', 'cmd.exe', ' & wmic /node:fs01,f^s02', ['fs01'], 'fs02', 'wmic /node:fs01,fs02'],
    ['a literal caret (cmd ^^) the wmic line keeps', 'cmd.exe', ' & wmic /node:fs01,fs^^02', ['fs01'], 'fs^02', 'wmic /node:fs01,fs^02'],
  ] as const)('matches the end of the cut row against the wmic line through %s', (_what, image, tail, targets, cutTarget, wmicLine) => {
    const head = image === 'cmd.exe' ? 'cmd.exe /c echo ' : 'powershell.exe -c echo ';
    const a = shell(image, shellLineOf(head, tail));
    expect(cutView(a)).toEqual({ verdict: CUT_REMOTE(targets.length), remoteExec: true, targets, cutTarget, wmicCommandLine: wmicLine });
  });

  it('reads a short shell line as whole', () => {
    const a = shell('cmd.exe', 'cmd.exe /c wmic /node:fs01,fs02');
    expect(cutView(a)).toEqual({ verdict: NO_COMMAND, remoteExec: false, targets: ['fs01', 'fs02'], cutTarget: null, wmicCommandLine: 'wmic /node:fs01,fs02' });
    expect(a.truncated).toBe(false);
  });
});

describe('which wmic line of a shell is reported', () => {
  it('keeps the first of several wmic lines when none creates a remote process', () => {
    const a = shell('cmd.exe', 'cmd.exe /c wmic /node:fs01 process get name & wmic /node:db01 os get caption');
    expect(a).toMatchObject({ verdict: 'verb "get" is not call create', remoteExec: false, targets: ['fs01'], wmicCommandLine: 'wmic /node:fs01 process get name' });
  });

  it('does not look for wmic lines in a process that is neither wmic nor a shell', () => {
    const a = wmic('cmd.exe /c wmic /node:fs01 process call create calc.exe', { action_process_image_name: 'python.exe' });
    expect(a).toMatchObject({ record: 'not-wmic', verdict: 'not a wmic process (python.exe)', remoteExec: false, targets: [], remoteTargets: [], wmicCommandLine: null, remoteCommand: null });
  });

  it('reports no targets and shows the line as typed when the shell starts no wmic', () => {
    // any text of the line stays as typed: nothing on it is a credential
    const a = shell('cmd.exe', 'cmd.exe /c echo Stryker was here');
    expect(a).toMatchObject({ verdict: 'the shell starts no wmic', targets: [], commandLine: 'cmd.exe /c echo Stryker was here', wmicCommandLine: null });
  });
});

// A password without '-' or '/', so wmic accepts it unquoted; not a real credential.
const PASSWORD = 'Winter2024x';
const WITHHELD = '[encoded command withheld: it contains a password]';
/** A harmless second stage, as `powershell -enc` (UTF-16LE base64). */
const STAGE = encodePs('Get-Service | Out-File C:\\Windows\\Temp\\s.txt');

describe('encoded commands that carry a password are withheld wherever they are shown', () => {
  it('withholds the outer encoded command whose wmic line typed a password, though the script decoded is the harmless inner one', () => {
    const outer = encodePs(`wmic /node:fs01 /user:adm /password:${PASSWORD} process call create "powershell -enc ${STAGE}"`);
    const a = shell('powershell.exe', `powershell -enc ${outer}`);
    expect(a.remoteExec).toBe(true);
    expect(a.commandLine).toBe(`powershell -enc ${WITHHELD}`);
    expect(a.decodedScript).toBe('Get-Service | Out-File C:\\Windows\\Temp\\s.txt');
    expect(JSON.stringify(a)).not.toContain(outer);
    expect(JSON.stringify(a)).not.toContain(PASSWORD);
  });

  it('shows the base64 of an encoded command whose lines typed no password', () => {
    const enc = encodePs('wmic /node:fs01 process call create calc.exe');
    const a = shell('powershell.exe', `powershell -enc ${enc}`);
    expect(a).toMatchObject({ remoteExec: true, commandLine: `powershell -enc ${enc}`, decodedScript: 'wmic /node:fs01 process call create calc.exe', encoded: true });
  });

  it('keeps a harmless encoded stage readable on a plain cmd line whose password is redacted', () => {
    const a = shell('cmd.exe', `cmd /c wmic /node:fs01 /user:adm /password:${PASSWORD} process call create "powershell -enc ${STAGE}"`);
    expect(a.commandLine).toBe(`cmd /c wmic /node:fs01 /user:adm /password:*** process call create "powershell -enc ${STAGE}"`);
    expect(a.remoteCommand).toBe(`powershell -enc ${STAGE}`);
  });

  it("decodes a wmic row's remote command, not a PowerShell line the parent put in the wmic process's argv[0]", () => {
    // Command-line spoofing: CreateProcess takes the image and the command line separately, so a
    // parent can start wmic.exe with a command line naming another program (MITRE ATT&CK T1564.010).
    const enc = encodePs('wmic /node:fs01 process call create calc.exe');
    const a = wmic(`powershell.exe -enc ${enc}`);
    expect(a).toMatchObject({ record: 'wmic', decodedScript: null, verdict: 'wmic would reject the line: invalid global switch "-enc"' });
  });

  it("shows a parent's harmless encoded command as typed", () => {
    const a = wmic('wmic /node:fs01 process call create calc.exe', { actor_process_command_line: `powershell.exe -enc ${STAGE}` });
    expect(a.parentCommandLine).toBe(`powershell.exe -enc ${STAGE}`);
    expect(a.parentDecodedScript).toBe('Get-Service | Out-File C:\\Windows\\Temp\\s.txt');
  });

  it('withholds the encoded command in a cmd parent line when only the child decoded the password', () => {
    // a batch file starts `powershell -enc`: the cmd parent line carries the same base64, and cmd is
    // not PowerShell, so only the child's decoded script shows the password
    const enc = encodePs(`wmic /node:fs01 /user:adm /password:${PASSWORD} process call create calc.exe`);
    const a = shell('powershell.exe', `powershell -enc ${enc}`, { actor_process_command_line: `cmd.exe /c powershell -enc ${enc}` });
    expect(a.parentCommandLine).toBe(`cmd.exe /c powershell -enc ${WITHHELD}`);
    expect(a.parentDecodedScript).toBeNull();
    expect(JSON.stringify(a)).not.toContain(enc);
  });

  it("withholds a parent stager's encoded command that typed a password, though the child's script is harmless", () => {
    const stager = encodePs(`wmic /node:fs01 /user:adm /password:${PASSWORD} process call create "powershell -enc ${STAGE}"`);
    const a = wmic(`wmic /node:fs01 process call create "powershell -enc ${STAGE}"`, { actor_process_command_line: `powershell.exe -enc ${stager}` });
    expect(a.decodedScript).toBe('Get-Service | Out-File C:\\Windows\\Temp\\s.txt');
    expect(a.parentCommandLine).toBe(`powershell.exe -enc ${WITHHELD}`);
    expect(JSON.stringify(a)).not.toContain(stager);
  });
});
