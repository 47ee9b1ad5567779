/**
 * Edges of lambda/notify/sanitize.ts that an analyst reads: how a non-string record value is
 * printed, where a long value is cut (never inside a surrogate pair or a `[U+XXXX]` token), when
 * the truncation marker appears, the SNS Subject line, and the Slack helpers.
 */
import { describe, expect, it } from 'vitest';
import {
  asText,
  display,
  displayText,
  isoTime,
  machineText,
  slackBlock,
  slackProse,
  subjectText,
  truncationMarker,
} from '../../lambda/notify/sanitize.js';

describe('asText: a malformed record value still prints as what it is', () => {
  it('prints numbers, booleans and bigints as their digits and words, and objects as JSON', () => {
    // DynamoDB's document client returns numbers; a hand-edited item may hold a map or a list.
    expect(asText(4624)).toBe('4624');
    expect(asText(Number.NaN)).toBe('NaN');
    expect(asText(-Infinity)).toBe('-Infinity');
    expect(asText(false)).toBe('false');
    expect(asText(12345678901234567890n)).toBe('12345678901234567890');
    expect(asText({ host: 'WKS-FIN-042' })).toBe('{"host":"WKS-FIN-042"}');
    expect(asText(['evt-1', 'evt-2'])).toBe('["evt-1","evt-2"]');
  });

  it('prints nothing for null, undefined and values JSON cannot hold, and a placeholder for what it cannot print', () => {
    expect(asText(null)).toBe('');
    expect(asText(undefined)).toBe('');
    expect(asText(() => 0)).toBe('');
    expect(asText({ id: 1n })).toBe('[unprintable]');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(asText(loop)).toBe('[unprintable]');
  });

  it('shows an empty or blank value as the fallback, and a number as itself', () => {
    expect(display('', 40)).toBe('(unknown)');
    expect(display(undefined, 40)).toBe('(unknown)');
    expect(display('   ', 40)).toBe('(unknown)');
    expect(display(' \t ', 40, '(none)')).toBe('(none)');
    expect(display(4624, 40)).toBe('4624');
  });
});

describe('whitespace in plain ASCII', () => {
  it('collapses a run of spaces that would push text into another section of the message', () => {
    expect(display(`wmic${' '.repeat(300)}/node:"srv-file-01"`, 100)).toBe('wmic /node:"srv-file-01"');
    expect(display('a  b', 100)).toBe('a b');
  });
});

describe('cutting a value at its cap', () => {
  it('keeps a value of exactly the cap whole, even when it ends in a bracket', () => {
    expect(displayText('items[', 6)).toEqual({ text: 'items[', truncated: false, originalLength: 6 });
    expect(machineText('items[', 6)).toEqual({ text: 'items[', truncated: false, originalLength: 6 });
    // one unit over: cut, and the dangling bracket goes with the cut
    expect(displayText('items[0', 6).text).toBe(`items ${truncationMarker(7)}`);
  });

  it('never leaves half of a surrogate pair at the cut', () => {
    // U+1F600 is \uD83D\uDE00; U+10000 (\uD800\uDC00) and U+10FC00 (\uDBFF\uDC00) are the ends of the high-surrogate range
    for (const pair of ['\u{1F600}', '\u{10000}', '\u{10FC00}']) {
      const clipped = machineText(`ab${pair}c`, 3);
      expect(clipped.text).toBe('ab');
      expect(clipped.truncated).toBe(true);
      expect(displayText(`ab${pair}c`, 3).text).toBe(`ab ${truncationMarker(5)}`);
    }
    // a whole pair that fits is kept
    expect(machineText('ab\u{1F600}c', 4).text).toBe('ab\u{1F600}');
  });

  it('keeps a character from outside the surrogate range that ends exactly at the cap', () => {
    // full-width letters (U+FF21..) sit above the surrogates and are one UTF-16 unit each
    expect(machineText('\uFF21\uFF22\uFF23', 2).text).toBe('\uFF21\uFF22');
    expect(machineText('a\uFFFDb', 2).text).toBe('a\uFFFD');
  });

  it('never leaves a piece of a [U+XXXX] token at the cut', () => {
    // makeVisible turns a NUL into [U+0000]; a cut inside the token drops the whole token
    expect(displayText('ab\u0000cd', 3).text).toBe(`ab ${truncationMarker(5)}`);
    expect(displayText('ab\u0000cd', 4).text).toBe(`ab ${truncationMarker(5)}`);
    expect(displayText('ab\u0000cd', 5).text).toBe(`ab ${truncationMarker(5)}`);
    expect(displayText('ab\u0000cd', 9).text).toBe(`ab ${truncationMarker(5)}`);
    expect(displayText('ab\u0000cd', 10).text).toBe(`ab[U+0000] ${truncationMarker(5)}`);
    expect(displayText('ab\u0000cd', 12).text).toBe('ab[U+0000]cd');
  });
});

describe('the raw value is read only up to cap + 256 characters', () => {
  // A mimikatz-style line with a long password value: redaction shrinks it to [REDACTED].
  const secret = (n: number): string => `/password:${'x'.repeat(n)}`;

  it('marks a value of exactly cap + 256 raw characters as whole when it fits after redaction', () => {
    const raw = secret(296); // 306 = 50 + 256
    expect(displayText(raw, 50)).toEqual({ text: '/password:[REDACTED]', truncated: false, originalLength: 306 });
    expect(machineText(raw, 50)).toEqual({ text: '/password:[REDACTED]', truncated: false, originalLength: 306 });
  });

  it('marks one character more as cut, with the full length in the marker', () => {
    const raw = secret(297);
    expect(displayText(raw, 50)).toEqual({ text: `/password:[REDACTED] ${truncationMarker(307)}`, truncated: true, originalLength: 307 });
    expect(machineText(raw, 50)).toEqual({ text: '/password:[REDACTED]', truncated: true, originalLength: 307 });
  });

  it('shows nothing from beyond the first cap + 256 characters, even when redaction left room', () => {
    const raw = `${secret(1_000)} process call create calc.exe`;
    expect(displayText(raw, 50).text).toBe(`/password:[REDACTED] ${truncationMarker(raw.length)}`);
    expect(machineText(raw, 50)).toEqual({ text: '/password:[REDACTED]', truncated: true, originalLength: raw.length });
  });

  it('does not flag a short value as cut', () => {
    expect(machineText('whoami', 50)).toEqual({ text: 'whoami', truncated: false, originalLength: 6 });
    expect(machineText('whoami', 6).truncated).toBe(false);
  });
});

describe('subjectText: the SNS Subject line', () => {
  it('trims the edges and replaces non-ASCII with a question mark', () => {
    expect(subjectText('  WMIC alert  ')).toBe('WMIC alert');
    expect(subjectText('WMIC on caf\u00E9-srv')).toBe('WMIC on caf?-srv');
  });

  it('prefixes a subject that does not start with a letter, digit or punctuation', () => {
    // `=` and `$` are symbols, not punctuation: some mail clients treat a leading `=` specially
    expect(subjectText('=cmd|calc')).toBe('[notice] =cmd|calc');
    expect(subjectText('$ wmic')).toBe('[notice] $ wmic');
    expect(subjectText('[WMIC] x')).toBe('[WMIC] x');
  });

  it('keeps 99 characters and cuts 100 to 96 plus an ellipsis, without a space before it', () => {
    const s99 = 'a'.repeat(99);
    expect(subjectText(s99)).toBe(s99);
    expect(subjectText(`${s99}b`)).toBe(`${'a'.repeat(96)}...`);
    expect(subjectText(`${'a'.repeat(95)} ${'b'.repeat(10)}`)).toBe(`${'a'.repeat(95)}...`);
  });
});

describe('Slack helpers and time', () => {
  it('fences a block on its own lines and escapes mrkdwn inside', () => {
    expect(slackBlock('cmd /c type a.txt > <b>', 100)).toBe('```\ncmd /c type a.txt &gt; &lt;b&gt;\n```');
  });

  it('defuses mention keywords in prose', () => {
    expect(slackProse('Notify @channel and @here')).toBe('Notify (at)channel and (at)here');
  });

  it('names a finite time outside the Date range as unknown', () => {
    expect(isoTime(8.64e15)).toBe('+275760-09-13T00:00:00.000Z');
    expect(isoTime(8.64e15 + 1)).toBe('unknown time');
  });
});
