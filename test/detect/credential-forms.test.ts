import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../lambda/detect/index.js';
import { findSecrets } from '../../lambda/detect/redact.js';
import { CREDENTIAL_FORMS } from '../fixtures/detect/credential-forms.js';
import { encodePs, shell, wmic } from './helpers.js';

const SECRET = 'S3cret!x';

describe('one redactor for every credential form', () => {
  it.each(CREDENTIAL_FORMS.map((f) => [f.name, f] as const))('redacts %s', (_name, form) => {
    expect(redactSecrets(form.plant(SECRET))).toBe(form.redacted);
  });

  it.each(CREDENTIAL_FORMS.map((f) => [f.name, f] as const))('keeps %s out of every analysis field, wherever it is typed', (_name, form) => {
    const planted = [
      wmic(`wmic /node:FS01 process call create "cmd /c ${form.plant(SECRET)}"`),
      wmic('wmic /node:FS01 process call create calc.exe', { actor_process_command_line: `cmd.exe /c ${form.plant(SECRET)}` }),
      wmic(`wmic /node:FS01 process call create "powershell -nop -w hidden -enc ${encodePs(form.plant(SECRET))}"`),
      wmic('wmic /node:FS01 process call create calc.exe', { actor_process_image_name: 'powershell.exe', actor_process_command_line: `powershell -noP -sta -w 1 -enc ${encodePs(form.plant(SECRET))}` }),
      shell('cmd.exe', `cmd /c ${form.plant(SECRET)} & wmic /node:FS01 process call create calc.exe`),
    ];
    for (const a of planted) {
      expect(a.remoteExec).toBe(true);
      expect(JSON.stringify(a)).not.toContain('S3cret');
      // the base64 of a script that typed a password would give it away too
      expect(JSON.stringify(a)).not.toContain(encodePs(form.plant(SECRET)).slice(0, 40));
    }
    expect(planted[3]!.parentDecodedScript).toBe(form.redacted);
  });

  it('hides a one-letter password after a look-alike /ᴘassword in a shell\'s wmic line (too short to hunt by its value)', () => {
    // wmic folds small capitals in switch names (ArgFuscator's wmic model), so this line passes "x" as the password
    const a = shell('cmd.exe', 'cmd /c wmic /node:FS01 /user:adm /\u1D18assword:x process call create calc.exe');
    expect(a.remoteExec).toBe(true);
    expect(a.commandLine).toBe('cmd /c wmic /node:FS01 /user:adm /\u1D18assword:*** process call create calc.exe');
    expect(a.wmicCommandLine).toContain('/\u1D18assword:***');
    expect(a.wmicCommandLine).not.toContain(':x');
  });

  it('reads a look-alike switch\'s value once and resumes after it: a value that looks like another switch is not read again', () => {
    const text = 'tool /\u1D18assword:/\u1D18:y /s:fs01';
    expect(findSecrets(text)).toEqual([{ start: 15, end: 19, value: '/\u1D18:y' }]);
    expect(redactSecrets(text)).toBe('tool /\u1D18assword:*** /s:fs01');
  });

  it('leaves a look-alike switch that is not a password switch, and ASCII-only text, to the other forms', () => {
    expect(redactSecrets('wmic /node:fs02 /\u1D18rocess:abc os get caption')).toBe('wmic /node:fs02 /\u1D18rocess:abc os get caption');
    expect(redactSecrets('deploy.exe /\u1D18:yes /\u1D18ass = S3cret!x')).toBe('deploy.exe /\u1D18:*** /\u1D18ass = ***');
  });

  it('removes two overlapping secrets whole, whichever is shorter', () => {
    expect(redactSecrets('xxabcdefyy', ['abcde', 'defyy'])).toBe('xx***');
    expect(redactSecrets('user Summer2025 then Summer', ['Summer', 'Summer2025'])).toBe('user *** then ***');
    expect(redactSecrets('a Winter2026!b', ['Winter', 'ter2026!'])).toBe('a ***b');
  });

  it('hunts the 32 longest known values when there are more: the longest is never the one left out', () => {
    // 33 known values of 4 to 36 characters, none inside another: one is left out, and it must be the shortest.
    const known = Array.from({ length: 33 }, (_, i) => `K${'x'.repeat(i + 2)}${i}`);
    const longest = known[32]!;
    expect(redactSecrets(`echo ${longest} done`, known)).toBe('echo *** done');
  });

  it('hides a password typed once wherever it appears again in the same text', () => {
    expect(redactSecrets('net use \\\\h\\c$ /user:a Autumn77 & echo Autumn77 > x')).toBe('net use \\\\h\\c$ /user:a *** & echo *** > x');
  });

  it('leaves prompts, variables, sub-expressions and short known values alone', () => {
    expect(redactSecrets('net use \\\\h\\c$ * /user:a')).toBe('net use \\\\h\\c$ * /user:a');
    expect(redactSecrets('net user bob /domain')).toBe('net user bob /domain');
    // the next statement is not net's argument: its first word is evidence, not a password
    expect(redactSecrets('net user backdoor /add; wmic /node:FS01 process call create x')).toBe('net user backdoor /add; wmic /node:FS01 process call create x');
    expect(redactSecrets('net user backdoor /add & whoami')).toBe('net user backdoor /add & whoami');
    expect(redactSecrets('net user backdoor Winter2024!; whoami')).toBe('net user backdoor *** whoami');
    expect(redactSecrets('New-Thing -Password $pw -p (Get-Pw)')).toBe('New-Thing -Password $pw -p (Get-Pw)');
    expect(redactSecrets('net use x: \\\\h\\s /p:no /node:x')).toBe('net use x: \\\\h\\s /p:*** /node:x');
    expect(redactSecrets('mkdir -p C:\\x')).toBe('mkdir -p C:\\x');
  });
});
