/**
 * What a safe notification looks like, checked on the wire form of one PublishBatch entry: under
 * SNS's size limit, an ASCII one-line Subject, JSON that parses at every level, no invisible or
 * text-moving characters in what people read, no Slack mentions or links an attacker typed.
 */
import type { PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { expect } from 'vitest';

export const SNS_LIMIT = 262_144;

/** Controls (except \n and \t), DEL/C1, bidi and zero-width characters, BOM, Unicode tags. */
const HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF\u{E0000}-\u{E007F}]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Slack's own markup for mentions and links: `<!channel>`, `<@U123>`, `<https://x|text>`. */
const SLACK_MARKUP = /<(?:!|@|#|https?:|mailto:)/i;

export interface Parsed {
  readonly subject: string;
  readonly email: string;
  readonly chatbot: { version: string; source: string; content: { title: string; description: string; nextSteps?: string[]; keywords?: string[] } };
  readonly doc: Record<string, unknown>;
}

/** Bytes SNS counts for the entry: message, subject, attribute names, types and values. */
export function entryBytes(entry: PublishBatchRequestEntry): number {
  let bytes = Buffer.byteLength(entry.Message ?? '') + Buffer.byteLength(entry.Subject ?? '');
  for (const [name, v] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(v.DataType ?? '') + Buffer.byteLength(v.StringValue ?? '');
  }
  return bytes;
}

/** Asserts every safety property of one entry and returns its parsed renderings. */
export function assertSafeEntry(entry: PublishBatchRequestEntry): Parsed {
  expect(entryBytes(entry)).toBeLessThanOrEqual(SNS_LIMIT);
  const subject = entry.Subject ?? '';
  expect(subject).toMatch(/^[\x20-\x7e]{1,100}$/);
  const message = entry.Message ?? '';
  expect(LONE_SURROGATE.test(message)).toBe(false);
  const outer = JSON.parse(message) as { default: string; email: string; https: string };
  expect(Object.keys(outer).sort()).toEqual(['default', 'email', 'https']);
  const doc = JSON.parse(outer.default) as Record<string, unknown>;
  const chatbot = JSON.parse(outer.https) as Parsed['chatbot'];
  expect(chatbot).toMatchObject({ version: '1.0', source: 'custom' });
  expect(outer.email).not.toMatch(HIDDEN);
  const chatText = [chatbot.content.title, chatbot.content.description, ...(chatbot.content.nextSteps ?? []), ...(chatbot.content.keywords ?? [])].join('\n');
  expect(chatText).not.toMatch(HIDDEN);
  expect(chatText).not.toMatch(SLACK_MARKUP);
  for (const [name, v] of Object.entries(entry.MessageAttributes ?? {})) {
    expect(v.StringValue ?? '', name).not.toMatch(HIDDEN);
    expect((v.StringValue ?? '').length, name).toBeGreaterThan(0);
  }
  return { subject, email: outer.email, chatbot, doc };
}
