/**
 * The exact `target.not-a-host` reason an analyst reads for /node targets at the edges of
 * targetNameProblem: the U+ code of a foreign character, the ASCII range edges (`~` is printable,
 * ESC is not), bracketed IPv6 with something outside the brackets, a URL scheme that does not start
 * the target, and the RFC 1123 §2.1 name length (1 to 253 characters,
 * https://www.rfc-editor.org/rfc/rfc1123#page-13), one unit inside and one outside.
 */
import { describe, expect, it } from 'vitest';
import { RISK_REASONS } from '../../lambda/detect/risk-reasons.js';
import { targetNameProblem, withTargetCheck } from '../../lambda/detect/target-name.js';

/** A valid FQDN of exactly `length` characters: 63-character labels, then a shorter last one. */
function fqdnOf(length: number): string {
  const labels: string[] = [];
  let left = length;
  while (left > 64) {
    labels.push(`n${labels.length}`.padEnd(63, 'x'));
    left -= 64; // the label and its dot
  }
  labels.push('c'.repeat(left));
  const name = labels.join('.');
  expect(name).toHaveLength(length);
  return name;
}

const HOLDS = (c: string): string => `it holds "${c}", which a host name cannot`;

describe('the character a host name cannot hold, as the analyst reads it', () => {
  it('names a look-alike letter by its upper-case, four-digit code point', () => {
    // Greek small omicron (U+03BF) in place of the Latin o: "dc-pr\u03bfd01" looks like dc-prod01
    expect(targetNameProblem('dc-pr\u03bfd01')).toBe('it holds a character a host name cannot (U+03BF, e.g. a look-alike letter)');
  });

  it('flags a control character (an ANSI escape pasted with the name) by its code point', () => {
    // ESC (0x1B) is below 0x20: not a space, yet no host name holds it
    expect(targetNameProblem('\u001b[31mdc01')).toBe('it holds a character a host name cannot (U+001B, e.g. a look-alike letter)');
  });

  it('treats "~" (0x7E, the last printable ASCII) as a plain bad character, DEL (0x7F) as foreign', () => {
    expect(targetNameProblem('srv~01')).toBe(HOLDS('~'));
    expect(targetNameProblem('srv\u007f01')).toBe('it holds a character a host name cannot (U+007F, e.g. a look-alike letter)');
  });
});

describe('brackets are stripped only when they enclose the whole target', () => {
  it('does not accept a bracketed IPv6 address followed by a port (wmic /node takes no port)', () => {
    // "[fe80::1]:135" is URL-style host:port; stripping only the leading bracket pair would leave
    // fe80::1:135, itself a valid IPv6 address
    expect(targetNameProblem('[fe80::1]:135')).toBe(HOLDS('['));
  });

  it('does not accept an IPv6 address with only its tail in brackets', () => {
    // stripping a trailing bracket pair anywhere would leave ::ffff:10.20.1.40, a valid address
    expect(targetNameProblem('::ffff:[10.20.1.40]')).toBe(HOLDS(':'));
  });

  it('still accepts a whole bracketed IPv6 address', () => {
    expect(targetNameProblem('[::ffff:10.20.1.40]')).toBeNull();
  });
});

describe('a URL is a URL only when the scheme starts the target', () => {
  it('reads a note with a link after the name as text with a space, not as a URL', () => {
    expect(targetNameProblem('fs01 (see http://wiki.corp.example/sccm)')).toBe('it holds a space');
  });

  it('reads a target starting with a scheme as a URL', () => {
    expect(targetNameProblem('http://wiki.corp.example/sccm')).toBe('it is a URL, not a host name');
  });
});

describe('a host name has 1 to 253 characters', () => {
  it('accepts a 253-character FQDN, with or without the root dot', () => {
    const name = fqdnOf(253);
    expect(targetNameProblem(name)).toBeNull();
    expect(targetNameProblem(`${name}.`)).toBeNull();
  });

  it('flags a 254-character FQDN of valid labels with its length', () => {
    expect(targetNameProblem(fqdnOf(254))).toBe('a host name has 1 to 253 characters, this has 254');
  });

  it('flags a bare root dot as a name of 0 characters', () => {
    expect(targetNameProblem('.')).toBe('a host name has 1 to 253 characters, this has 0');
  });

  it('puts the length in the reason a notification carries, with its points and severity', () => {
    const entry = RISK_REASONS['target.not-a-host'];
    const risk = withTargetCheck({ riskScore: 36, severity: 'low', reasons: [] }, fqdnOf(254));
    expect(risk).toEqual({
      riskScore: 41,
      severity: 'medium',
      reasons: [{ code: 'target.not-a-host', points: 5, detail: `${entry.detail}: a host name has 1 to 253 characters, this has 254` }],
    });
  });
});
