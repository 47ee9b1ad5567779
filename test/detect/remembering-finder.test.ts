import { describe, expect, it } from 'vitest';
import { findSecrets, redactSecrets, rememberingFinder, secretsIn } from '../../lambda/detect/redact.js';

// a wmic line with its credentials on it, as Impacket-era operators type it (MITRE T1047 procedure examples)
const LINE = 'wmic /node:10.0.0.5 /user:CORP\\svc-admin /password:Winter2026! process call create "cmd.exe /c whoami"';
const PARENT = 'cmd.exe /c net use \\\\10.0.0.5\\c$ /user:CORP\\svc-admin Winter2026!';

describe('rememberingFinder', () => {
  it('scans a text once: the second ask for the same text gets the same spans back', () => {
    const find = rememberingFinder();
    const first = find(LINE);
    expect(find(LINE)).toBe(first);
    expect(first).toEqual(findSecrets(LINE));
  });

  it('keeps texts apart: another text gets its own spans, and a text with none gets none', () => {
    const find = rememberingFinder();
    expect(find(LINE).map((s) => s.value)).toEqual(findSecrets(LINE).map((s) => s.value));
    expect(find('wmic /node:fs01 process call create notepad.exe')).toEqual([]);
    expect(find(PARENT)).toEqual(findSecrets(PARENT));
    expect(find(PARENT)).not.toBe(find(LINE));
  });

  it('hides the same credentials as a fresh scan, in every field an analysis shows', () => {
    const find = rememberingFinder();
    const secrets = [...secretsIn(LINE, find), ...secretsIn(PARENT, find)];
    expect(secrets).toContain('Winter2026!');
    for (const text of [LINE, PARENT, 'echo Winter2026! > c:\\temp\\p.txt']) {
      const shown = redactSecrets(text, secrets, find);
      expect(shown).toBe(redactSecrets(text, secrets));
      expect(shown).not.toContain('Winter2026!');
    }
  });
});
