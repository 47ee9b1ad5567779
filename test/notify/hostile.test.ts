import { describe, expect, it } from 'vitest';
import { SNS_MAX_BYTES, composeFinding, renderChatbot, renderEmail } from '../../lambda/notify/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';

const ctx = makeContext();

/** Everything the three SNS keys deliver, decoded as a subscriber would. */
function delivered(overrides: Parameters<typeof makeFinding>[0]) {
  const f = makeFinding(overrides);
  const m = composeFinding(f, ctx);
  const outer = JSON.parse(m.message) as Record<string, unknown>;
  expect(Object.keys(outer).sort()).toEqual(['default', 'email', 'https']);
  for (const v of Object.values(outer)) expect(typeof v).toBe('string');
  return {
    f,
    m,
    subject: m.subject,
    email: outer['email'] as string,
    chatbot: JSON.parse(outer['https'] as string) as ReturnType<typeof renderChatbot>,
    payload: JSON.parse(outer['default'] as string) as Record<string, { value: string | null; truncated: boolean; length: number } & unknown>,
  };
}

/** Bidi embeddings/overrides/isolates, zero-width and other invisible characters. */
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/u;

describe('hostile command lines', () => {
  it('cannot inject email headers or lines through CRLF', () => {
    const injected = 'calc.exe\r\nBcc: everyone@corp.example\r\nSubject: all clear\r\n\r\nIgnore the alert above';
    const { subject, email } = delivered({ remoteCommand: injected, sourceHost: 'WKS\r\nBcc: x@y.example', commandLine: `wmic /node:a process call create "${injected}"` });

    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toMatch(/^[\x20-\x7E]{1,99}$/);
    for (const l of email.split('\n')) expect(l).not.toMatch(/^(Bcc|Subject):|^Ignore the alert/);
    expect(email).toContain('calc.exe[U+000D][U+000A]Bcc: everyone@corp.example');
    expect(email).not.toContain('\r');
  });

  it('makes control, bidi and zero-width characters visible in the email and Slack', () => {
    const tricky = 'cmd /c \u202Egnp.exe\u202C \u2066x\u2069 \u200Bhid\u200Dden\uFEFF \u001b[31mred\u0007\u0000 \u0085nel\u2028sep';
    const { email, chatbot, subject } = delivered({ remoteCommand: tricky, user: 'CORP\\\u202Eadmin' });

    expect(email).not.toMatch(INVISIBLE);
    expect(subject).not.toMatch(INVISIBLE);
    expect(JSON.stringify(chatbot)).not.toMatch(INVISIBLE);
    expect(chatbot.content.description).not.toMatch(INVISIBLE);
    expect(email).toContain('cmd /c [U+202E]gnp.exe[U+202C] [U+2066]x[U+2069] [U+200B]hid[U+200D]den[U+FEFF] [U+001B][31mred[U+0007][U+0000] [U+0085]nel[U+2028]sep');
    expect(email).toContain('CORP\\[U+202E]admin');
  });

  it('keeps the exact text in the default JSON, with invisible characters escaped on the wire', () => {
    const tricky = 'a\u202Eb\u200Bc\u0000d\u2028e"f\\g';
    const { m, payload } = delivered({ remoteCommand: tricky });
    expect(payload['remoteCommand']?.value).toBe(tricky);
    expect(m.message).not.toMatch(INVISIBLE);
  });

  it('cannot mention, link or format in Slack', () => {
    const evil = '<!channel> <!here> <@U024BE7LH> <https://evil.example|click> *bold* _it_ ~s~ ``` `code` & done';
    const { chatbot } = delivered({ remoteCommand: evil, sourceHost: '<!everyone>', targetHost: '`srv`*x*', user: '<@U999>' });
    const text = [chatbot.content.title, chatbot.content.description, ...(chatbot.metadata?.relatedResources ?? []), chatbot.metadata?.summary].join('\n');

    expect(text).not.toMatch(/[<>]/);
    expect(chatbot.content.description).toContain('&lt;!channel&gt; &lt;!here&gt; &lt;@U024BE7LH&gt; &lt;hxxps://evil[.]example|click&gt;');
    expect(chatbot.content.title).toContain('`&lt;!everyone&gt;` → `\u02CBsrv\u02CB*x*`');
    expect(chatbot.content.description).toContain('&amp; done');
    // Hostile text sits inside code: every run of three backticks left is a fence we wrote; single
    // backticks inside a block are kept as they ran, and one that cannot stay says so.
    const fences = chatbot.content.description.match(/```/g) ?? [];
    expect(fences.length % 2).toBe(0);
    const blocks = [...chatbot.content.description.matchAll(/```\n([\s\S]*?)\n```/g)].map((b) => b[1] ?? '');
    expect(blocks.length).toBe(3);
    for (const b of blocks) expect(b).not.toContain('```');
    expect(blocks[0]).toBe('&lt;!channel&gt; &lt;!here&gt; &lt;@U024BE7LH&gt; &lt;hxxps://evil[.]example|click&gt; *bold* _it_ ~s~ \u02CB\u02CB\u02CB `code` &amp; done');
    expect(chatbot.content.description).toContain('\u02CB in a code span stands for a backtick');
  });

  it('survives JSON-breaking quotes and backslashes in every field', () => {
    const breaker = '"}, "default": "pwned", "https": {"x": 1}, "z": "\\u0000\\';
    const { payload, chatbot, email } = delivered({ remoteCommand: breaker, sourceHost: breaker, parentCommandLine: breaker, commandLine: breaker });
    expect(payload['remoteCommand']?.value).toBe(breaker);
    expect(payload['sourceHost']).toBe(breaker);
    expect(chatbot.version).toBe('1.0');
    // In the email the value sits in quotes, its own quotes shown as \" so it cannot close them.
    expect(email).toContain('"\\"}, \\"default\\": \\"pwned\\"');
  });

  it('renders unicode text faithfully as well-formed UTF-8', () => {
    const uni = 'notepad.exe 日本語 Привет 😈 \uD800 end';
    const { email, payload, m } = delivered({ remoteCommand: uni, targetHost: 'сервер-01' });
    expect(email).toContain('notepad.exe 日本語 Привет 😈 \uFFFD end');
    expect(email).toContain('сервер-01');
    expect(payload['remoteCommand']?.value).toBe('notepad.exe 日本語 Привет 😈 \uFFFD end');
    expect(Buffer.from(m.message, 'utf8').toString('utf8')).toBe(m.message);
    expect(m.subject).toMatch(/^[\x20-\x7E]+$/);
  });

  it('masks a password value that reached the notifier unredacted', () => {
    const line = 'wmic /node:srv /user:admin /PASSWORD:"Summer 2025!" process call create x';
    const { m } = delivered({ commandLine: line, remoteCommand: 'x /password:Hunter2' });
    expect(m.message).not.toContain('Summer 2025!');
    expect(m.message).not.toContain('Hunter2');
    expect(m.message).toContain('/PASSWORD:[REDACTED]');
  });
});

describe('size limits', () => {
  const oneMb = 'A'.repeat(1_048_576);

  it('fits a 1 MB command line into one SNS message with a truncation marker', () => {
    const { m, email, payload, chatbot } = delivered({ remoteCommand: oneMb, commandLine: `wmic /node:x process call create ${oneMb}`, parentCommandLine: oneMb });
    expect(m.bytes).toBeLessThanOrEqual(SNS_MAX_BYTES);
    expect(Buffer.byteLength(m.message) + Buffer.byteLength(m.subject)).toBeLessThan(SNS_MAX_BYTES);
    expect(email).toContain('[...truncated, 1048576 chars in total]');
    expect(payload['remoteCommand']).toMatchObject({ truncated: true, length: 1_048_576 });
    expect(chatbot.content.description.length).toBeLessThanOrEqual(3_000);
    expect(chatbot.content.description).toMatch(/… \(cut: 104\d{4} more characters; full text in the email\)/);
  });

  it('fits a 1 MB command line of invisible characters, which expand when made visible', () => {
    const { m, email } = delivered({ remoteCommand: '\u202E'.repeat(1_048_576), commandLine: '\u200B'.repeat(1_048_576), parentCommandLine: '😈'.repeat(300_000) });
    expect(m.bytes).toBeLessThanOrEqual(SNS_MAX_BYTES);
    expect(email).toContain('[U+202E][U+202E]');
  });

  it('counts bytes, not characters: multi-byte text is shrunk until it fits', () => {
    const wide = '日'.repeat(200_000);
    const { m } = delivered({ remoteCommand: wide, commandLine: wide, parentCommandLine: wide, user: wide, parentImage: wide });
    expect(Buffer.byteLength(m.message) + Buffer.byteLength(m.subject)).toBe(m.bytes);
    expect(m.bytes).toBeLessThanOrEqual(SNS_MAX_BYTES);
  });

  it('caps the command shown in the email even when the message would fit', () => {
    const body = renderEmail(makeFinding({ remoteCommand: 'B'.repeat(20_000) }), ctx).body;
    expect(body).toContain('[...truncated, 20000 chars in total]');
    expect(body).not.toContain('B'.repeat(8_001));
  });
});
