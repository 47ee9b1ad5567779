/**
 * A cut that lands inside an open code block still leaves the text within Slack's 3,000 characters
 * of a section (https://api.slack.com/reference/block-kit/blocks#section): the closing fence is
 * part of the reserve (issue 21's survivor), in Chatbot's description and in the forwarder's split.
 */
import { describe, expect, it } from 'vitest';
import { capLines, SLACK_SECTION_MAX } from '../../lambda/notify/slack-fit.js';
import { splitMrkdwn } from '../../lambda/slack-forwarder/blocks.js';

describe('a cut inside an open code block', () => {
  it.each([4_000, 5_008, 20_000, 120_000])('keeps a %i-character code block within 3,000 characters, its fence closed', (size) => {
    const text = `*Remote command:*\n\`\`\`\n${'x'.repeat(size)}\n\`\`\``;
    const cut = capLines(text);
    expect(cut.length).toBeLessThanOrEqual(SLACK_SECTION_MAX);
    // Within a handful of the limit: the reserve is exactly what the closers and the marker take.
    expect(cut.length).toBeGreaterThan(SLACK_SECTION_MAX - 10);
    const close = cut.lastIndexOf('\n```\n');
    const body = cut.slice(0, close);
    const marker = cut.slice(close + 5);
    expect(body.startsWith('*Remote command:*\n```\nxxx')).toBe(true);
    expect(marker).toMatch(/^… \(cut: \d+ more characters; full text in the email\)$/);
    expect((cut.match(/```/g) ?? []).length).toBe(2);
  });

  it('splits a long code block into sections of at most 3,000 characters, each fence closed and reopened', () => {
    const text = `*wmic command line:*\n\`\`\`\n${'y'.repeat(9_000)}\n\`\`\`\n*Drill down*`;
    const chunks = splitMrkdwn(text);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(3_000);
      expect((c.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(chunks.join('').replace(/[^y]/g, '')).toHaveLength(9_000);
  });

  it('keeps a text of exactly 3,000 characters whole, and cuts one of 3,001 to at most 3,000 with the marker', () => {
    const whole = `*Remote command:*\n${'z'.repeat(3_000 - 18)}`;
    expect(whole).toHaveLength(3_000);
    expect(capLines(whole)).toBe(whole);
    const over = `${whole}z`;
    const cut = capLines(over);
    expect(cut.length).toBeLessThanOrEqual(3_000);
    expect(cut).toMatch(/\n… \(cut: \d+ more characters; full text in the email\)$/);
  });
});
