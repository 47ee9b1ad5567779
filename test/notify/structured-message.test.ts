import { describe, expect, it } from 'vitest';
import type { RenderedMessage } from '../../lambda/notify/digest.js';
import { structuredMessage } from '../../lambda/notify/message.js';
import { safeJson } from '../../lambda/notify/sanitize.js';

// Text an attacker can put in a command line or host name: quotes, backslashes, controls, bidi
// overrides, zero-width and line separators, lone surrogates.
const HOSTILE = 'a"b\\c\n\u0000\u007F\u0085\u00AD\u061C\u200B\u202E\u2028\u2066\uFEFF\uFFF9\uD800 \uDC00é`<!channel>';

describe('structuredMessage', () => {
  it('is exactly safeJson of the three parts, each inner document escaped once', () => {
    const rendered = {
      email: { subject: 's', body: `line 1\n${HOSTILE}` },
      chatbot: { version: '1.0', content: { title: HOSTILE, description: [HOSTILE, { x: HOSTILE }] } },
      default: { sourceHost: HOSTILE, nested: { list: [HOSTILE, 1, null, true] } },
    } as unknown as RenderedMessage;
    const message = structuredMessage(rendered);
    expect(message).toBe(safeJson({ default: safeJson(rendered.default), email: rendered.email.body, https: safeJson(rendered.chatbot) }));
    const parsed = JSON.parse(message) as Record<string, string>;
    expect(JSON.parse(parsed['default'] as string)).toEqual(rendered.default);
    expect(parsed['email']).toBe(rendered.email.body);
    expect(JSON.parse(parsed['https'] as string)).toEqual(rendered.chatbot);
    expect(message).not.toMatch(/[\u007F-\u009F\u00AD\u061C\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB]/);
  });
});
