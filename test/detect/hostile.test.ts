import { describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { analyzeCommandLine, createDetector, loadAllowlist } from '../../lambda/detect/index.js';
import { HOSTILE_SHAPES } from './hostile-lines.js';
import { wmic } from './helpers.js';

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

  // How the time grows with the line (linear) is measured by `npm run bench` (P6), not here.
  it('handles 1 MB lines of every shape without throwing', () => {
    const analyses = new Map(HOSTILE_SHAPES.map((shape) => [shape.name, shape.analyse(shape.line(1_000_000))]));
    for (const [name, a] of analyses) {
      expect(typeof a.remoteExec, name).toBe('boolean');
      expect(a.commandLine.length, name).toBeLessThan(8_300);
    }
    expect(analyses.get('cmd carets')?.remoteExec).toBe(false);
    expect(analyses.get('cmd empty commands chained with &')?.remoteExec).toBe(true);
    expect(analyses.get('PowerShell single quotes')?.remoteExec).toBe(false);
    expect(analyses.get('PowerShell -enc of non-base64 text')?.remoteExec).toBe(false);
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
