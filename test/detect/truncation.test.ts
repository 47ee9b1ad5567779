import { describe, expect, it } from 'vitest';
import { createDetector, DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { shell, wmic } from './helpers.js';

const HOSTS = Array.from({ length: 5000 }, (_, i) => `wks${String(i + 1).padStart(4, '0')}`);
/** A long fan-out line as the attacker typed it; collectors keep only its first `size` characters. */
const FULL = `wmic /node:${HOSTS.join(',')} process call create "C:\\Windows\\Temp\\s.exe"`;

/** The hosts whose names are wholly inside the first `size` characters of FULL. */
function wholeHosts(size: number): string[] {
  const value = FULL.slice('wmic /node:'.length, size);
  const parts = value.split(',');
  return parts.slice(0, -1);
}

describe('lines cut by a collector at a fixed size', () => {
  it.each([512, 1024, 2048, 4096, 8192, 32767])('reports every whole target and never the one the cut went through (%i chars)', (size) => {
    const line = FULL.slice(0, size);
    const cutOff = line.slice(line.lastIndexOf(',') + 1);
    const a = wmic(line);
    expect(a.remoteExec).toBe(true);
    expect(a.truncated).toBe(true);
    expect(a.targets).toEqual(wholeHosts(size).map((h) => h.toLowerCase()));
    expect(a.targets).not.toContain(cutOff);
    expect(a.cutTarget).toBe(cutOff);
    expect(a.remoteCommand).toBeNull();
    expect(a.verdict).toMatch(/^likely remote process creation on \d+ node\(s\): the line was cut by a collector/);
  });

  it('produces findings for the whole targets with the note.truncated reason, and none for the cut one', () => {
    const line = FULL.slice(0, 512);
    const detect = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST });
    const { findings, dismissed } = detect([{ event_id: 'e1', agent_hostname: 'WKS-SRC-01', action_process_image_name: 'wmic.exe', action_process_image_command_line: line, _time: 1 }], 1);
    expect(dismissed).toBe(0);
    expect(findings.map((f) => f.targetHost)).toEqual(wholeHosts(512));
    expect(findings[0]!.reasons.map((r) => r.code)).toContain('note.truncated');
    expect(findings.map((f) => f.targetHost)).not.toContain(line.slice(line.lastIndexOf(',') + 1));
  });

  it('judges a cut line whose verb was lost as likely remote execution, wherever the cut fell before the command', () => {
    const head = 'wmic /node:FS01 /user:corp\\adm ';
    for (const tail of ['', 'pro', 'process', 'process ca', 'process call', 'process call cr', 'process call create', 'path win32_pro', 'process where "name=\'x', '/failfast:o', '/implevel:imper']) {
      const line = (head + tail).padStart(512, ' ');
      const a = wmic(line);
      expect({ tail, remoteExec: a.remoteExec, targets: a.targets, truncated: a.truncated }).toEqual({ tail, remoteExec: true, targets: ['fs01'], truncated: true });
    }
  });

  it('reads an unclosed quote at the end of the /node list as a cut, even at an unknown length', () => {
    const a = wmic('wmic /node:"FS01","FS02","FS0');
    expect(a).toMatchObject({ remoteExec: true, targets: ['fs01', 'fs02'], cutTarget: 'fs0', truncated: true });
  });

  it('keeps a quoted last target whose closing quote survived the cut', () => {
    const a = wmic('wmic /node:"FS01","DB01"'.padStart(512, ' '));
    expect(a).toMatchObject({ remoteExec: true, targets: ['fs01', 'db01'], cutTarget: null, truncated: true });
  });

  it('still dismisses a cut line whose visible command is not process call create', () => {
    expect(wmic('wmic /node:FS01 process get name,processid'.padStart(512, ' ')).remoteExec).toBe(false);
    expect(wmic('wmic /node:FS01 os get caption'.padStart(1024, ' ')).remoteExec).toBe(false);
    // the only target is the one the cut went through: nothing whole to report
    const only = wmic('wmic /node:FS0'.padStart(512, ' '));
    expect(only.remoteExec).toBe(false);
    expect(only.targets).toEqual([]);
    // a local target is still local
    expect(wmic('wmic /node:localhost,FS'.padStart(512, ' ')).remoteExec).toBe(false);
  });

  it('keeps the same line complete when it is not at a collector size', () => {
    const a = wmic('wmic /node:FS01,FS02');
    expect(a).toMatchObject({ remoteExec: false, targets: ['fs01', 'fs02'], truncated: false, cutTarget: null });
    expect(wmic('wmic /node:FS01 process call cre').remoteExec).toBe(false);
  });

  it('counts a byte-sized cut of a line with non-ASCII characters', () => {
    // 'é' is two UTF-8 bytes: 511 characters, 512 bytes
    const line = ('wmic /node:FS01,FSé2,FS0').padStart(511, ' ');
    const a = wmic(line);
    expect(Buffer.byteLength(line, 'utf8')).toBe(512);
    expect(a).toMatchObject({ remoteExec: true, targets: ['fs01', 'fsé2'], cutTarget: 'fs0' });
  });

  it('follows the cut into a cmd.exe parent line that launches wmic', () => {
    const line = `cmd.exe /c ${FULL}`.slice(0, 2048);
    const a = shell('cmd.exe', line);
    expect(a.remoteExec).toBe(true);
    expect(a.targets).not.toContain(line.slice(line.lastIndexOf(',') + 1));
    expect(a.targets.length).toBeGreaterThan(100);
  });
});
