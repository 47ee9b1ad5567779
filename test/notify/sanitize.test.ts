import { describe, expect, it } from 'vitest';
import { makeVisible, wellFormed } from '../../lambda/notify/sanitize.js';

describe('makeVisible and wellFormed', () => {
  it('leave printable ASCII exactly as it is', () => {
    const text = 'wmic /node:"WS-ENG-0001" process call create "cmd /c whoami > C:\\\\Temp\\\\o.txt" ~!@#$%^&*()_+{}|:<>?';
    expect(makeVisible(text)).toBe(text);
    expect(wellFormed(text)).toBe(text);
  });

  it('still show what ASCII text next to a hidden character would hide', () => {
    expect(makeVisible('calc\t.exe\u202Egnp.\u0000\n')).toBe('calc .exe[U+202E]gnp.[U+0000][U+000A]');
    expect(makeVisible('\u007F~')).toBe('[U+007F]~');
    expect(wellFormed('a\uD800b')).toBe('a\uFFFDb');
    expect(makeVisible('é')).toBe('é');
  });
});
