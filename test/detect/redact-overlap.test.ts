/**
 * The redactor's merging and hunting edges (issue 21: "when two secrets overlap, replacing the
 * shorter one first leaves part of the longer"). Lines are modelled on the net use / wmic forms
 * of test/detect/redaction.test.ts (Microsoft's net use and wmic /password documentation).
 */
import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, redactSpans, secretsIn } from '../../lambda/detect/redact.js';

describe('overlapping secrets are removed whole', () => {
  it('a known secret inside a longer one: the longer goes whole, whichever is listed first', () => {
    const line = 'cmd /c net use \\\\fs02\\c$ /user:adm Winter2025!Sales';
    for (const known of [['Winter2025', 'Winter2025!Sales'], ['Winter2025!Sales', 'Winter2025']]) {
      expect(redactSecrets(line, known)).toBe('cmd /c net use \\\\fs02\\c$ /user:adm ***');
    }
  });

  it('two known secrets that overlap partly leave neither tail', () => {
    expect(redactSecrets('x abcdefgh y', ['abcdef', 'defgh'])).toBe('x *** y');
    expect(redactSecrets('x abcdefgh y', ['defgh', 'abcdef'])).toBe('x *** y');
  });

  it('spans in any order: nested, overlapping, touching and apart', () => {
    const text = '0123456789abcdef';
    expect(redactSpans(text, [[2, 4], [0, 10]])).toBe('***abcdef');
    expect(redactSpans(text, [[0, 4], [0, 10]])).toBe('***abcdef');
    expect(redactSpans(text, [[0, 10], [0, 4]])).toBe('***abcdef');
    expect(redactSpans(text, [[5, 12], [2, 8]])).toBe('01***cdef');
    // touching spans stay two markers: each hides a whole secret
    expect(redactSpans(text, [[3, 6], [0, 3]])).toBe('******6789abcdef');
    expect(redactSpans(text, [[12, 14], [1, 2]])).toBe('0***23456789ab***ef');
    expect(redactSpans(text, [])).toBe(text);
    // an empty span at the start of a secret adds no second marker, in either order
    expect(redactSpans('abcdef', [[2, 2], [2, 4]])).toBe('ab***ef');
    expect(redactSpans('abcdef', [[2, 4], [2, 2]])).toBe('ab***ef');
  });
});

describe('which values are hunted elsewhere in a text', () => {
  it('a known secret at the very start and at the very end', () => {
    expect(redactSecrets('Pa55 echo x Pa55', ['Pa55'])).toBe('*** echo x ***');
  });

  it('known secrets of two characters are hunted, of one are not', () => {
    expect(redactSecrets('echo x 7q', ['7q'])).toBe('echo x ***');
    expect(redactSecrets('echo x 7', ['7'])).toBe('echo x 7');
  });

  it('a typed password of four characters is hunted elsewhere on the line, of three is not', () => {
    expect(redactSecrets('wmic /password:abcd process call create "x abcd"')).toBe('wmic /password:*** process call create "x ***"');
    expect(redactSecrets('wmic /password:abc process call create "x abc"')).toBe('wmic /password:*** process call create "x abc"');
  });

  it('the marker itself is never hunted as a value', () => {
    expect(secretsIn('wmic /password:*** process call create x')).toEqual([]);
    expect(redactSecrets('a ***b', [REDACTED])).toBe('a ***b');
  });

  it('the marker never takes a hunted value\'s place: with 32 known values after it, each is still hidden', () => {
    // the marker reaches the known values when a field is redacted twice (a line's `/password:***` parsed again)
    const known = [REDACTED, ...Array.from({ length: 32 }, (_, i) => `q${String(i).padStart(2, '0')}`)];
    expect(redactSecrets('cmd /c echo q00 > C:\\temp\\p.txt & echo q31 >> C:\\temp\\p.txt', known)).toBe('cmd /c echo *** > C:\\temp\\p.txt & echo *** >> C:\\temp\\p.txt');
  });

  it('at most 32 known values, the longest kept', () => {
    const known = Array.from({ length: 33 }, (_, i) => `k${String(i).padStart(2, '0')}${'x'.repeat(i)}`);
    const shortest = known[0]!;
    const next = known[1]!;
    expect(redactSecrets(`a ${shortest} b ${next} c`, known)).toBe(`a ${shortest} b *** c`);
  });

  it('secretsIn: nothing for no text; the typed values of four or more characters, longest first, each once', () => {
    expect(secretsIn(null)).toEqual([]);
    expect(secretsIn(undefined)).toEqual([]);
    expect(secretsIn('')).toEqual([]);
    expect(secretsIn('wmic /user:adm /password:Abcd process call create "net use \\\\h /user:x LongerPass1"')).toEqual(['LongerPass1', 'Abcd']);
    expect(secretsIn('wmic /password:Abc process call create "x Abc"')).toEqual([]);
    expect(secretsIn('wmic /password:Abcd process call create "net use \\\\h Abcd"')).toEqual(['Abcd']);
    expect(secretsIn('net use \\\\h Abcdef /user:x & wmic /password:Xyz12345678 process call create x')).toEqual(['Xyz12345678', 'Abcdef']);
  });
});
