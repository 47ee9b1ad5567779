import { describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { createDetector, loadAllowlist, redactSecrets } from '../../lambda/detect/index.js';
import { explainJsonLine, DEFAULT_EXPLAIN_DEPS } from '../../local/cli/explain.js';
import { encodePs, shell, wmic } from './helpers.js';

const SECRET = 'Tr0ub4dor&3xyz';
const SECRET_DASH = 'Summer-2025!';

const lines = [
  `wmic /node:FS01 /user:CORP\\adm /password:"${SECRET}" process call create "cmd /c net use \\\\fs02\\c$ /user:adm ${SECRET}"`,
  `wmic /node:FS01 /user:adm -PASSWORD:"${SECRET}" process call create calc.exe`,
  `wmic /node:FS01 /user:adm /password: "${SECRET}" process call create calc.exe`,
  `wmic /node:FS01 /password:${SECRET_DASH} process call create calc.exe`,
  `wmic /node:srv1 process call create "cmd /c wmic /node:srv2 /user:a /password:\\"${SECRET}\\" process call create x"`,
  `wmic /node:srv1 process call create "cmd /c wmic /node:srv2 /user:a /password:${SECRET} process call create x"`,
  `wmic /node:FS01 /p\uFF41ssword:"${SECRET}" process call create calc.exe`,
];

describe('password redaction', () => {
  it.each(lines)('keeps the password out of every analysis field: %s', (line) => {
    const a = wmic(line, { actor_process_command_line: `cmd.exe /c ${line}` });
    expect(JSON.stringify(a)).not.toContain(SECRET.slice(0, 8));
    expect(JSON.stringify(a)).not.toContain(SECRET_DASH.slice(0, 8));
  });

  it('keeps the password out of explain answers and findings', () => {
    const detect = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: loadAllowlist({ schemaVersion: 1, entries: [] }) });
    for (const line of lines) {
      const row = { event_id: 'e', agent_hostname: 'WKS1', action_process_image_name: 'wmic.exe', action_process_image_command_line: line, actor_process_command_line: line };
      expect(explainJsonLine(JSON.stringify(row), 1, DEFAULT_EXPLAIN_DEPS)).not.toContain(SECRET.slice(0, 8));
      expect(JSON.stringify(detect([row], Date.now()))).not.toContain(SECRET.slice(0, 8));
    }
  });

  it('withholds an encoded PowerShell command whose script types a password', () => {
    const enc = encodePs(`wmic /node:FS01 /user:adm /password:'${SECRET}' process call create calc.exe`);
    const a = shell('powershell.exe', `powershell -enc ${enc}`);
    expect(a.remoteExec).toBe(true);
    expect(JSON.stringify(a)).not.toContain(SECRET);
    expect(JSON.stringify(a)).not.toContain(enc);
    expect(a.commandLine).toContain('withheld');
  });

  it('redacts cmd parent lines and keeps the rest readable', () => {
    const a = shell('cmd.exe', `cmd /c wmic /node:FS01 /user:adm /password:${SECRET} process call create calc.exe`);
    expect(a.commandLine).toBe('cmd /c wmic /node:FS01 /user:adm /password:*** process call create calc.exe');
    expect(a.remoteTargets).toEqual(['fs01']);
  });

  it('redacts a quoted password typed after a space, on the wmic line and in a cmd parent line', () => {
    const line = 'wmic /node:FS01 /user:adm /password: "Autumn 2025!" process call create calc.exe';
    expect(wmic(line).commandLine).toBe('wmic /node:FS01 /user:adm /password: *** process call create calc.exe');
    const a = shell('cmd.exe', `cmd /c ${line}`);
    expect(a.commandLine).toBe('cmd /c wmic /node:FS01 /user:adm /password: *** process call create calc.exe');
    expect(JSON.stringify(a)).not.toMatch(/Autumn|2025!/);
  });

  it('redacts a password only the parent command line carries, with a space after the colon', () => {
    // The wmic line has no password, so nothing learnt from it can hide this one: only the
    // /password pattern over the parent line does.
    const parent = 'cmd.exe /c deploy.cmd /user:adm /password: "Winter 2024?" /log:"C:\\logs\\a b.txt"';
    const a = wmic('wmic /node:FS01 process call create calc.exe', { actor_process_command_line: parent });
    expect(a.parentCommandLine).toBe('cmd.exe /c deploy.cmd /user:adm /password: *** /log:"C:\\logs\\a b.txt"');
    expect(JSON.stringify(a)).not.toMatch(/Winter|2024\?/);
    const b = wmic('wmic /node:FS01 process call create calc.exe', { actor_process_command_line: "run.cmd -pwd = 'c d e' -tab:\t'x'" });
    expect(b.parentCommandLine).toBe("run.cmd -pwd = *** -tab:\t'x'");
  });

  it('redacts /password values by itself, for text from elsewhere', () => {
    expect(redactSecrets('x /password: "a b" y /pass:\t"c d" z')).toBe('x /password: *** y /pass:\t*** z');
    expect(redactSecrets('x /password:"a b" y -pwd=secret1 z')).toBe('x /password:*** y -pwd=*** z');
    expect(redactSecrets('no secrets here')).toBe('no secrets here');
  });
});
