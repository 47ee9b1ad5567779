/**
 * The exact edges of fitting a Chatbot description into one Slack section (at most 3,000 characters,
 * https://api.slack.com/reference/block-kit/blocks#section): what fits is kept whole, a cut never
 * leaves half a character, half an entity or half a `[U+XXXX]` token, closes what it opened, and its
 * marker counts exactly the characters left out.
 */
import { describe, expect, it } from 'vitest';
import { capLines, cutMarker, fitDescription, slackCodeBlock, SLACK_SECTION_MAX } from '../../lambda/notify/slack-fit.js';

/** Where capLines cuts `text` (of this length) for `max`, before any line boundary or clean-up: the documented reserve. */
function cutAt(length: number, max: number): number {
  return max - '\n```'.length - 1 - cutMarker(length).length;
}

/** `kept` followed by the marker counting what of `text` was left out. */
function cutTo(text: string, kept: string, closer = ''): string {
  return `${kept}${closer}\n${cutMarker(text.length - kept.length)}`;
}

describe('capLines: the edges of a cut', () => {
  it('keeps a text of exactly 3,000 characters whole and cuts one of 3,001, counting what is left out', () => {
    expect(capLines('a'.repeat(SLACK_SECTION_MAX))).toBe('a'.repeat(SLACK_SECTION_MAX));
    const over = 'a'.repeat(SLACK_SECTION_MAX + 1);
    const kept = 'a'.repeat(cutAt(over.length, SLACK_SECTION_MAX));
    expect(capLines(over)).toBe(`${kept}\n… (cut: ${over.length - kept.length} more characters; full text in the email)`);
    expect(capLines(over).length).toBeLessThanOrEqual(SLACK_SECTION_MAX);
  });

  it('prefers the last line break past half the room, and cuts mid-line when the break is at half or earlier', () => {
    const end = cutAt(1_000, 200);
    expect(end % 2).toBe(0);
    const past = `${'a'.repeat(end / 2 + 1)}\n${'b'.repeat(1_000 - end / 2 - 2)}`;
    expect(capLines(past, 200)).toBe(cutTo(past, 'a'.repeat(end / 2 + 1)));
    const half = `${'a'.repeat(end / 2)}\n${'b'.repeat(1_000 - end / 2 - 1)}`;
    expect(capLines(half, 200)).toBe(cutTo(half, half.slice(0, end)));
  });

  // Emoji and other astral characters are two UTF-16 units; a cut between them leaves a lone surrogate.
  it.each([
    ['😀 (high surrogate D83D)', '😀'],
    ['U+10000 (high surrogate D800, the first)', '\u{10000}'],
    ['U+10FFFF (high surrogate DBFF, the last)', '\u{10FFFF}'],
  ])('drops the first half of %s when the cut splits it', (_, astral) => {
    const end = cutAt(1_000, 200);
    const text = `${'a'.repeat(end - 1)}${astral}${'a'.repeat(1_000 - end - 1)}`;
    expect(capLines(text, 200)).toBe(cutTo(text, 'a'.repeat(end - 1)));
  });

  it('keeps an astral character whole when the cut falls just after it', () => {
    const end = cutAt(1_000, 200);
    const text = `${'a'.repeat(end - 2)}\u{10000}${'a'.repeat(1_000 - end)}`;
    expect(capLines(text, 200)).toBe(cutTo(text, text.slice(0, end)));
  });

  it('drops half an entity at the cut but keeps whole entities before it', () => {
    const end = cutAt(1_000, 200);
    const head = `&amp;${'a'.repeat(end - 8)}`;
    const text = `${head}&amp;${'a'.repeat(1_000 - end - 2)}`;
    expect(text.slice(0, end).endsWith('&am')).toBe(true);
    expect(capLines(text, 200)).toBe(cutTo(text, head));
  });

  // sanitize.ts shows an invisible character as a `[U+202E]` token.
  it.each([1, 2, 3, 4, 5, 6, 7])('drops the first %i characters of a [U+202E] token at the cut', (k) => {
    const end = cutAt(1_000, 200);
    const head = 'a'.repeat(end - k);
    const text = `${head}[U+202E]${'a'.repeat(1_000 - end + k - 8)}`;
    expect(capLines(text, 200)).toBe(cutTo(text, head));
  });

  it('keeps a whole [U+202E] token that ends at the cut', () => {
    const end = cutAt(1_000, 200);
    const text = `${'a'.repeat(end - 8)}[U+202E]${'a'.repeat(1_000 - end)}`;
    expect(capLines(text, 200)).toBe(cutTo(text, text.slice(0, end)));
  });

  it('closes an inline span left open on the last line, and adds nothing when none is open', () => {
    const end = cutAt(2_000, 200);
    const span = `*Source:* \`${'x'.repeat(2_000 - 12)}\``;
    expect(capLines(span, 200)).toBe(cutTo(span, span.slice(0, end), '`'));
    const plain = 'x'.repeat(2_000);
    expect(capLines(plain, 200)).toBe(cutTo(plain, plain.slice(0, end)));
  });

  // PowerShell's escape and line-continuation character is the backtick
  // (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_special_characters).
  it('counts only the last line for an open span, not a backtick inside an earlier closed code block', () => {
    const end = cutAt(2_000, 200);
    const head = '```\nGet-Process `\n```\n*Source:* `';
    const text = `${head}${'x'.repeat(2_000 - head.length - 1)}\``;
    expect(capLines(text, 200)).toBe(cutTo(text, text.slice(0, end), '`'));
  });

  it('does not take a closed fence on the last line for an open span', () => {
    const end = cutAt(2_000, 200);
    const head = '```\ncode\n```\n*Cmd:* ```a``` ';
    const text = `${head}${'x'.repeat(2_000 - head.length)}`;
    expect(capLines(text, 200)).toBe(cutTo(text, text.slice(0, end)));
  });
});

describe('fitDescription: the largest cap that fits', () => {
  it('renders once when the full text fits, exactly 3,000 characters included', () => {
    const caps: number[] = [];
    const render = (cap: number): string => {
      caps.push(cap);
      return 'a'.repeat(cap);
    };
    expect(fitDescription(render, SLACK_SECTION_MAX)).toBe('a'.repeat(SLACK_SECTION_MAX));
    expect(caps).toEqual([SLACK_SECTION_MAX]);
  });

  it('finds the cap whose text is exactly 3,000 characters when 3,001 does not fit', () => {
    const header = '*Remote execution:* FS01\n';
    const d = fitDescription((cap) => `${header}${'a'.repeat(cap)}`, 8_000);
    expect(d).toBe(`${header}${'a'.repeat(SLACK_SECTION_MAX - header.length)}`);
  });

  it.each(Array.from({ length: 61 }, (_, i) => 40 + i))('uses every character of a %i-character room', (max) => {
    expect(fitDescription((cap) => 'a'.repeat(cap), 100, max)).toBe('a'.repeat(max));
  });

  it('falls back to a cut with the marker when even the smallest cap does not fit', () => {
    const fixed = 'h'.repeat(400);
    const d = fitDescription((cap) => `${fixed}${'a'.repeat(cap)}`, 100, 300);
    expect(d).toBe(cutTo(`${fixed}${'a'.repeat(40)}`, 'h'.repeat(cutAt(440, 300))));
  });
});

describe('slackCodeBlock: empty and cut values', () => {
  it.each(['', '   '])('shows (unknown) for the empty value %j', (value) => {
    expect(slackCodeBlock(value, 100)).toEqual({ text: '```\n(unknown)\n```', hidden: 0 });
  });

  // A right-to-left override (U+202E) is shown as a `[U+202E]` token; a cap inside it leaves nothing visible.
  it('shows an empty block and the marker, not (unknown), when the cap hides everything', () => {
    const r = slackCodeBlock('\u202Ecmd.exe', 5);
    expect(r).toEqual({ text: `\`\`\`\n\n\`\`\`\n${cutMarker(15)}`, hidden: 15 });
  });
});
