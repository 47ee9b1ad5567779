/**
 * The exact edges of the Block Kit shaping: where a section is cut (Slack refuses a section text over
 * 3,000 characters: https://api.slack.com/reference/block-kit/blocks#section), where a header is cut
 * (150 characters), what the header shows of a hostile title, and when a message counts as too big.
 * Each expectation is what the analyst reads in the channel, character for character.
 */
import { describe, expect, it } from 'vitest';
import type { ChatbotNotification } from '../../lambda/notify/index.js';
import { type SlackMessage, fits, splitMrkdwn, toBlockKit } from '../../lambda/slack-forwarder/index.js';
import { checkPayload } from './webhook-stand-in.js';

const x = (n: number): string => 'x'.repeat(n);

/** A Chatbot notification as the notify renderers build it; override the content. */
function notification(content: Partial<ChatbotNotification['content']> = {}, summary?: string): ChatbotNotification {
  return {
    version: '1.0',
    source: 'custom',
    content: { textType: 'client-markdown', title: ':red_circle: CRITICAL WMIC remote execution', description: '*Severity:* CRITICAL', ...content },
    ...(summary === undefined ? {} : { metadata: { summary } }),
  };
}

/** The header text the channel shows for a title. */
const header = (title: string): string => {
  const b = toBlockKit(notification({ title })).blocks[0];
  return b?.type === 'header' ? b.text.text : '';
};

describe('splitMrkdwn: a section holds exactly 3,000 characters', () => {
  it('keeps a 3,000-character line whole and cuts a 3,001-character one', () => {
    expect(splitMrkdwn(x(3_000))).toEqual([x(3_000)]);
    expect(splitMrkdwn(x(3_001))).toEqual([x(2_999), 'xx']);
  });

  it('counts one line break between lines, none before the first', () => {
    const lines = (last: number): string => [x(1_000), x(1_000), x(900), x(last)].join('\n');
    // 1,000 + 1,000 + 900 + 97 + 3 line breaks = 3,000: one section.
    expect(splitMrkdwn(lines(97))).toEqual([lines(97)]);
    // One more: the last line is cut where the section is full, and the cut keeps the line breaks.
    expect(splitMrkdwn(lines(98))).toEqual([[x(1_000), x(1_000), x(900), x(96)].join('\n'), 'xx']);
  });

  it('starts a code block in a new section when fewer than 40 characters are left, where no useful piece of code fits', () => {
    const text = (first: number): string => [x(first), '```', 'whoami', '```'].join('\n');
    // 2,959 characters and a line break leave 40: the code block stays.
    expect(splitMrkdwn(text(2_959))).toEqual([text(2_959)]);
    // 2,960 leave 39: the code block moves to the next section.
    expect(splitMrkdwn(text(2_960))).toEqual([x(2_960), '```\nwhoami\n```']);
  });

  it('cuts a long line into the rest of a section only when at least 32 characters are left, else starts a new section', () => {
    const long = `*Remote command:* ${'y'.repeat(100)}`;
    // 2,967 + a line break leave 32: 31 characters of the line (one kept for closing a code span) fill the section.
    expect(splitMrkdwn(`${x(2_967)}\n${long}`)).toEqual([`${x(2_967)}\n${long.slice(0, 31)}`, long.slice(31)]);
    // 2,968 leave 31: the line starts the next section whole.
    expect(splitMrkdwn(`${x(2_968)}\n${long}`)).toEqual([x(2_968), long]);
  });

  it('closes a code span at the cut and reopens it with the rest of the host name', () => {
    const line = `*Source:* \`${'h'.repeat(5_000)}\``;
    const chunks = splitMrkdwn(line);
    expect(chunks).toEqual([`${line.slice(0, 2_999)}\``, `\`${line.slice(2_999)}`]);
  });

  it('closes a code block the description leaves open', () => {
    expect(splitMrkdwn('*Remote command:*\n```\ncmd.exe /c whoami')).toEqual(['*Remote command:*\n```\ncmd.exe /c whoami\n```']);
  });

  it('cuts after an entity that ends at the cut, and before one the cut would split', () => {
    // `&lt;` in the last four characters of the section, complete: it stays.
    expect(splitMrkdwn(`${x(2_995)}&lt;${'y'.repeat(10)}`)).toEqual([`${x(2_995)}&lt;`, 'y'.repeat(10)]);
    // One character later the cut would fall inside it: it moves whole to the next section.
    expect(splitMrkdwn(`${x(2_996)}&lt;${'y'.repeat(10)}`)).toEqual([x(2_996), `&lt;${'y'.repeat(10)}`]);
  });
});

describe('toBlockKit: blocks', () => {
  it('posts no section for a blank description (Slack refuses an empty section)', () => {
    for (const description of ['', '  \n ']) {
      const m = toBlockKit(notification({ description }));
      expect(m.blocks.map((b) => b.type)).toEqual(['header']);
      expect(checkPayload('application/json', JSON.stringify(m))).toBeUndefined();
    }
  });

  it('shows next steps and keywords only when the notification has them', () => {
    expect(toBlockKit(notification()).blocks.map((b) => b.type)).toEqual(['header', 'section']);
    expect(toBlockKit(notification({ nextSteps: [], keywords: [] })).blocks.map((b) => b.type)).toEqual(['header', 'section']);
    expect(toBlockKit(notification({ nextSteps: ['Isolate both hosts.'], keywords: ['T1047'] })).blocks).toEqual([
      expect.objectContaining({ type: 'header' }),
      expect.objectContaining({ type: 'section' }),
      { type: 'divider' },
      { type: 'section', text: { type: 'mrkdwn', text: '*Next steps:*\n1. Isolate both hosts.', verbatim: true } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'T1047', verbatim: true }] },
    ]);
  });

  it('escapes &, < and > in keywords, so no mention or link forms', () => {
    const m = toBlockKit(notification({ keywords: ['<!here>', 'R&D'] }));
    expect(m.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '&lt;!here&gt;  ·  R&amp;D', verbatim: true }] });
  });

  it('falls back to the header, escaped, when the notification has no summary', () => {
    expect(toBlockKit(notification({ title: 'Storm: `R&D-01` → `srv`' })).text).toBe('Storm: "R&amp;D-01" → "srv"');
    expect(toBlockKit(notification({}, 'CRITICAL WMIC remote execution')).text).toBe('CRITICAL WMIC remote execution');
  });
});

describe('the header: plain text of the title, at most 150 characters', () => {
  it('keeps 150 characters whole and cuts 151 to 149 and an ellipsis', () => {
    expect(header(x(150))).toBe(x(150));
    expect(header(x(151))).toBe(`${x(149)}…`);
  });

  it('shows a code span as a quoted span, its quotes escaped; drops a stray backtick', () => {
    expect(header('Source `WS-"FIN"` → `srv`')).toBe('Source "WS-\\"FIN\\"" → "srv"');
    expect(header('odd ` backtick')).toBe('odd backtick');
  });

  it('turns angle brackets, raw or escaped, into ‹ ›, decodes &amp; and puts the title on one line', () => {
    expect(header('&lt;!here&gt; <!channel> R&amp;D')).toBe('‹!here› ‹!channel› R&D');
    expect(header('a  b\n\tc')).toBe('a b c');
  });

  it('names the hunt when the title is blank', () => {
    expect(header('')).toBe('WMIC remote execution');
    expect(header(' \n ')).toBe('WMIC remote execution');
  });

  it('cuts before a bare & in the last four characters, and not before one further back', () => {
    // A decoded `&amp;` from a hostile host name is a bare & in plain text; the cut is at 149.
    expect(header(`${x(145)}&${'y'.repeat(10)}`)).toBe(`${x(145)}…`);
    expect(header(`${x(144)}&${'y'.repeat(10)}`)).toBe(`${x(144)}&yyyy…`);
  });

  it('never splits a surrogate pair at the cut, nor drops a whole one', () => {
    // 😀 (U+1F600), 𐀀 (U+10000, high surrogate D800) and U+10FFFD (high surrogate DBFF) straddling the cut.
    for (const c of ['😀', '\u{10000}', '\u{10FFFD}']) expect(header(`${x(148)}${c}${'y'.repeat(10)}`)).toBe(`${x(148)}…`);
    // A pair that ends exactly at the cut stays.
    expect(header(`${x(147)}😀${'y'.repeat(10)}`)).toBe(`${x(147)}😀…`);
  });
});

describe('fits: inside 50 blocks and 12,000 characters of text', () => {
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } }) as const;
  const message = (fallback: number, blocks = 0): SlackMessage => ({
    text: x(fallback),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: x(150), emoji: true } },
      section(x(3_000)), section(x(3_000)), section(x(3_000)),
      { type: 'context', elements: [{ type: 'mrkdwn', text: x(1_850), verbatim: true }] },
      ...Array.from({ length: blocks }, () => ({ type: 'divider' }) as const),
    ],
  });

  it('counts the fallback, header, section and context text', () => {
    // 1,000 + 150 + 9,000 + 1,850 = 12,000.
    expect(fits(message(1_000))).toBe(true);
    expect(fits(message(1_001))).toBe(false);
  });

  it('allows 50 blocks, not 51', () => {
    expect(fits(message(0, 45))).toBe(true);
    expect(fits(message(0, 46))).toBe(false);
  });
});
