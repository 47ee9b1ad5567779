import { describe, expect, it } from 'vitest';
import { splitMrkdwn, toBlockKit } from '../../lambda/slack-forwarder/index.js';
import { checkPayload } from './webhook-stand-in.js';

const fences = (s: string): number => s.split('\n').filter((l) => l === '```').length;
const ticksOutsideFences = (s: string): number => {
  let n = 0;
  let inFence = false;
  for (const line of s.split('\n')) {
    if (line === '```') { inFence = !inFence; continue; }
    if (!inFence) n += (line.match(/`/g) ?? []).length;
  }
  return n;
};

describe('splitMrkdwn', () => {
  it('leaves a text under the limit whole', () => {
    expect(splitMrkdwn('*a*\n```\nb\n```', 3_000)).toEqual(['*a*\n```\nb\n```']);
  });

  it('cuts a long code block into sections that each open and close their fence', () => {
    const text = ['*Remote command:*', '```', '&lt;x&gt;'.repeat(1_000), '```', '*after*'].join('\n');
    const chunks = splitMrkdwn(text, 3_000);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(3_000);
      expect(fences(c) % 2).toBe(0);
      expect(c).not.toMatch(/&(l|lt|g|gt|a|am|amp)?(\n|$)/); // no entity cut in half
    }
    // Nothing lost or added but the fences and line breaks of the cuts.
    const bare = (t: string): string => t.replace(/```|\n/g, '');
    expect(bare(chunks.join('')) === bare(text)).toBe(true);
  });

  it('closes and reopens an inline code span cut inside a long line', () => {
    const line = `*Source:* \`${'h'.repeat(5_000)}\`  →  *Target:* \`${'t'.repeat(2_000)}\``;
    const chunks = splitMrkdwn(line, 3_000);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(3_000);
      expect(ticksOutsideFences(c) % 2).toBe(0);
    }
  });

  it('never splits a surrogate pair', () => {
    const chunks = splitMrkdwn('😀'.repeat(4_000), 3_000);
    for (const c of chunks) expect(c).not.toMatch(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/);
    expect(chunks.join('')).toBe('😀'.repeat(4_000));
  });
});

describe('toBlockKit', () => {
  it('keeps the header to 150 plain-text characters and the message inside the stand-in\'s rules', () => {
    const message = toBlockKit({
      version: '1.0', source: 'custom',
      content: { textType: 'client-markdown', title: `:fire: \`${'x'.repeat(400)}\``, description: 'd', nextSteps: ['a'], keywords: ['<k>'] },
    });
    const header = message.blocks[0];
    expect(header?.type).toBe('header');
    expect(header?.type === 'header' && header.text.text.length).toBeLessThanOrEqual(150);
    expect(checkPayload('application/json', JSON.stringify(message))).toBeUndefined();
  });
});

describe('the webhook stand-in refuses what Slack refuses', () => {
  const check = (body: unknown, type = 'application/json') => checkPayload(type, typeof body === 'string' ? body : JSON.stringify(body))?.code;
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

  it('names the error Slack gives', () => {
    expect(check({ text: 'x' }, 'application/x-www-form-urlencoded')).toBe('invalid_payload');
    expect(check('{not json')).toBe('invalid_payload');
    expect(check({})).toBe('no_text');
    expect(check({ text: 'x', blocks: Array.from({ length: 51 }, () => section('s')) })).toBe('invalid_blocks');
    expect(check({ text: 'x', blocks: [section('s'.repeat(3_001))] })).toBe('invalid_blocks');
    expect(check({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] })).toBe('invalid_blocks');
    expect(check({ text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] })).toBe('invalid_blocks');
    expect(check({ text: 'x', blocks: [section('')] })).toBe('invalid_blocks');
    expect(check({ text: 'x', blocks: Array.from({ length: 5 }, () => section('s'.repeat(2_900))) })).toBe('msg_blocks_too_long');
    expect(check({ text: 'x', blocks: [section('s'.repeat(3_000)), { type: 'divider' }] })).toBeUndefined();
  });
});
