/**
 * The confirmation in each medium, with hostile text from the target's event: the email's ON THE
 * TARGET section, the Slack line (within one section), the `default` JSON object, and the
 * follow-up's UPDATE marks. What the event says is data, never markup.
 */
import { describe, expect, it } from 'vitest';
import type { Confirmation } from '../../lambda/confirm/index.js';
import type { TrackedFinding } from '../../lambda/finding.js';
import { composeFinding, renderChatbot, renderDefault, renderEmail } from '../../lambda/notify/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';

const ctx = makeContext();
const HOSTILE = 'cmd.exe /c echo <!channel> `x` *bold* \u202Eexe.txt\r\nSubject: forged';

const confirmed: Confirmation = {
  status: 'confirmed', target: 'srv-file-01', eventId: 'evt-<@U123>', time: Date.UTC(2026, 2, 14, 9, 41, 57),
  process: 'cmd.exe', commandLine: HOSTILE, user: 'CORP\\svc\u200B', agentId: 'a1', agentHostname: 'SRV-FILE-01',
  detail: 'WmiPrvSE.exe started cmd.exe on SRV-FILE-01.',
};
const withConfirmation = (c: Confirmation, extra: Partial<TrackedFinding> = {}): TrackedFinding => ({ ...makeFinding(), confirmation: c, ...extra });

describe('rendering a confirmation', () => {
  it('gives the email an ON THE TARGET section with the evidence, made visible and on one line each', () => {
    const { body } = renderEmail(withConfirmation(confirmed), ctx);
    const section = body.slice(body.indexOf('ON THE TARGET'));
    expect(section).toContain('Confirmed: the remote command started on the target');
    expect(section).toMatch(/Target event id:\s+evt-<@U123>/);
    expect(section).toMatch(/Started \(UTC\):\s+2026-03-14T09:41:57/);
    expect(section).not.toMatch(/[\u202E\u200B\r]/);
    expect(body).not.toContain('\nSubject: forged');
  });

  it('puts one escaped line in the Slack description, and no live mention', () => {
    const { description } = renderChatbot(withConfirmation(confirmed), ctx).content;
    const line = description.split('\n').find((l) => l.startsWith('*On the target:*'));
    expect(line).toContain('Confirmed');
    expect(line).toContain('&lt;@U123&gt;');
    expect(description).not.toContain('<@U123>');
    expect(description.length).toBeLessThanOrEqual(3_000);
  });

  it('keeps the Slack description within one section when every other field is at its longest', () => {
    const long = withConfirmation({ ...confirmed, process: 'x'.repeat(5_000) }, { commandLine: 'y'.repeat(20_000), remoteCommand: 'z'.repeat(20_000) });
    const { description } = renderChatbot(long, ctx).content;
    expect(description.length).toBeLessThanOrEqual(3_000);
    expect(description).toContain('*On the target:*');
  });

  it('adds the confirmation object to the default JSON, exact text, and null when no check ran', () => {
    const doc = renderDefault(withConfirmation(confirmed), ctx) as Record<string, unknown>;
    expect(doc.confirmation).toEqual({
      status: 'confirmed', target: 'srv-file-01', eventId: 'evt-<@U123>', time: '2026-03-14T09:41:57.000Z', process: 'cmd.exe',
      commandLine: HOSTILE, user: 'CORP\\svc\u200B', agentId: 'a1', agentHostname: 'SRV-FILE-01', detail: confirmed.detail,
    });
    expect(doc.followUp).toBe(false);
    expect((renderDefault(makeFinding(), ctx) as Record<string, unknown>).confirmation).toBeNull();
  });

  it('marks the follow-up: an ASCII UPDATE subject under 100 characters, the same thread, followUp true', () => {
    const pair = makeFinding();
    const first = composeFinding({ ...pair, confirmation: { ...confirmed, status: 'unavailable', eventId: null } }, ctx);
    const update = composeFinding({ ...pair, confirmation: confirmed, followUp: true }, ctx);
    expect(update.subject).toMatch(/^UPDATE: confirmed on target - \[CRITICAL\] WMIC remote exec/);
    expect(update.subject.length).toBeLessThanOrEqual(99);
    expect(update.subject).toMatch(/^[\x20-\x7E]+$/);
    const chatbot = (m: typeof first) => JSON.parse((JSON.parse(m.message) as { https: string }).https) as { metadata: { threadId: string }; content: { title: string } };
    expect(chatbot(update).metadata.threadId).toBe(chatbot(first).metadata.threadId);
    expect(chatbot(update).content.title).toMatch(/^UPDATE: confirmed on target/);
    expect((JSON.parse((JSON.parse(update.message) as { default: string }).default) as { followUp: boolean }).followUp).toBe(true);
  });

  it('renders a record whose confirmation is malformed without it, rather than failing the notification', () => {
    const odd = { ...makeFinding(), confirmation: { status: 'perhaps' } as unknown as Confirmation };
    expect(() => composeFinding(odd, ctx)).not.toThrow();
    expect((renderDefault(odd, ctx) as Record<string, unknown>).confirmation).toBeNull();
  });
});
