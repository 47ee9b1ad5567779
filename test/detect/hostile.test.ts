import { describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { analyzeCommandLine, createDetector, loadAllowlist } from '../../lambda/detect/index.js';
import { shell, wmic } from './helpers.js';

const noAllowlist = loadAllowlist({ schemaVersion: 1, entries: [] });

describe('hostile command lines', () => {
  it('handles a 100 KB payload and caps stored text with a visible marker', () => {
    const payload = 'A'.repeat(100_000);
    const a = wmic(`wmic /node:FS01 process call create "powershell -enc ${payload}"`);
    expect(a.remoteExec).toBe(true);
    expect(a.remoteCommand).toHaveLength(100_000 + 'powershell -enc '.length);
    expect(a.commandLine.length).toBeLessThan(8_300);
    expect(a.commandLine).toMatch(/…\[truncated \d+ chars\]$/);
    const [finding] = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: noAllowlist })([{ event_id: 'e', agent_hostname: 'h', action_process_image_name: 'wmic.exe', action_process_image_command_line: `wmic /node:FS01 process call create "powershell -enc ${payload}"` }], 0).findings;
    expect(finding?.remoteCommand?.length).toBeLessThan(8_300);
    expect(finding?.remoteCommand).toContain('…[truncated');
  });

  it('handles 1 MB lines of every shape without throwing', () => {
    const mb = 1_000_000;
    const shapes = [
      'x'.repeat(mb),
      `wmic /node:${'a,'.repeat(mb / 2)} process call create x`,
      `wmic /node:FS01 process call create ${'"'.repeat(mb)}`,
      `wmic ${'/node:x '.repeat(mb / 8)}`,
      `wmic /node:FS01 process call create "${'\\"'.repeat(mb / 2)}`,
      `wmic /node:FS01 process where ${'('.repeat(mb)} call create x`,
      `wmic /node:FS01 process call create ${'a,'.repeat(mb / 2)}`,
      `wmic /node:FS01 process call create "${'/password:'.repeat(mb / 10)}`,
      `${'a'.repeat(mb)}"${'"'.repeat(100)} /node:x`,
      ' \t'.repeat(mb / 2) + 'wmic',
    ];
    for (const line of shapes) {
      const a = wmic(line);
      expect(typeof a.remoteExec).toBe('boolean');
      expect(a.commandLine.length).toBeLessThan(8_300);
    }
    expect(shell('cmd.exe', `cmd /c ${'^'.repeat(mb)}wmic /node:x process call create y`).remoteExec).toBe(false);
    expect(shell('cmd.exe', `cmd /c ${'& '.repeat(mb / 2)}wmic /node:x process call create y`).remoteExec).toBe(true);
    expect(shell('powershell.exe', `powershell -c ${"'".repeat(mb)}`).remoteExec).toBe(false);
    expect(shell('powershell.exe', `powershell -enc ${'QQB'.repeat(mb / 3)}`).remoteExec).toBe(false);
  });

  it('handles control characters, NULs, lone surrogates and unbalanced quotes', () => {
    const lines = [
      'wmic /node:FS01\u0000 process call create x',
      'wmic /node:"FS01 process call create x',
      "wmic /node:'FS01 process call create x",
      'wmic /node:FS01 process call create "\u001b[31mred\u0007',
      'wmic /node:\uD800FS01 process call create x\uDFFF',
      'wmic\r\n/node:FS01\r\nprocess\r\ncall\r\ncreate\r\nx',
      '"',
      '"""',
      '\\',
    ];
    for (const line of lines) expect(() => wmic(line), JSON.stringify(line)).not.toThrow();
    expect(wmic('wmic\r\n/node:FS01\r\nprocess\r\ncall\r\ncreate\r\nx').remoteExec).toBe(true);
  });

  it('does not read Unicode look-alike dashes or Cyrillic letters as wmic keywords', () => {
    expect(wmic('wmic \u2014node:FS01 process call create x').remoteExec).toBe(false);
    expect(wmic('wmic /node:FS01 pr\u043Ecess call create x').remoteExec).toBe(false);
    expect(wmic('wmic \uFF0Fnode:FS01 process call create x').remoteExec).toBe(false);
  });

  it('turns rows of the wrong shape into a RowShapeError naming the field', () => {
    expect(() => analyzeCommandLine({ event_id: 'e9' })).toThrow(/action_process_image_command_line/);
    expect(() => analyzeCommandLine({ action_process_image_command_line: 42 })).toThrow(/action_process_image_command_line/);
    expect(() => analyzeCommandLine({ action_process_image_command_line: 'wmic', agent_hostname: ['a'] })).toThrow(/agent_hostname must be a string, got array/);
    expect(() => analyzeCommandLine(null as unknown as Record<string, unknown>)).toThrow(/not an object/);
  });
});
