/**
 * The forwarder re-creates records from the SNS `default` JSON and renders them with the Chatbot
 * renderer: what the analyst reads in Slack must be what Chatbot shows for the same record, also
 * when the payload lacks a field (the JSON is a public interface: other publishers' or older
 * messages may carry less) and when a capped field arrives cut.
 */
import { describe, expect, it } from 'vitest';
import type { TrackedFinding } from '../../lambda/finding.js';
import { composeDigest, composeFinding, renderChatbot } from '../../lambda/notify/index.js';
import { renderSnsMessage, toBlockKit } from '../../lambda/slack-forwarder/index.js';
import { makeContext, makeFinding, T0 } from '../fixtures/notify/findings.js';

type Json = Record<string, unknown>;
type Posted = { text: string; blocks: { type: string; text?: { text: string }; elements?: { text: string }[] }[] };

/** The `default` JSON a Lambda subscriber receives for a message. */
const defaultJson = (m: { message: string }): Json => JSON.parse((JSON.parse(m.message) as { default: string }).default) as Json;
const findingPayload = (f: TrackedFinding = makeFinding()): Json => defaultJson(composeFinding(f, makeContext()));
const slack = (payload: Json): Posted => renderSnsMessage('msg-0', JSON.stringify(payload)).message as unknown as Posted;
/** The first section: the finding's description, as the analyst reads it. */
const description = (m: Posted): string => m.blocks.find((b) => b.type === 'section')?.text?.text ?? '';
const line = (m: Posted, label: string): string | undefined => description(m).split('\n').find((l) => l.startsWith(label));
const allText = (m: Posted): string => [m.text, ...m.blocks.flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text)])].join('\n');

describe('the Slack message of a finding is the Chatbot notification of the same finding', () => {
  it.each([
    ['a first notification', {}],
    ['a follow-up after confirmation on the target', { followUp: true }],
  ])('%s', (_label, extra) => {
    const f = makeFinding({
      ...extra,
      arrivedLateMs: 30 * 3_600_000,
      confirmation: {
        status: 'confirmed', target: 'srv-file-01', eventId: 'evt-9', time: T0 + 60_000, process: 'powershell.exe',
        commandLine: 'powershell.exe -nop', user: 'CORP\\svc_backup', agentId: 'agent-9', agentHostname: 'srv-file-01', detail: 'process start found',
      },
    });
    expect(slack(findingPayload(f))).toEqual(toBlockKit(renderChatbot(f, makeContext())));
  });

  it('has no UPDATE mark in the header of a first notification', () => {
    expect(slack(findingPayload()).blocks[0]?.text?.text).toMatch(/^:fire: CRITICAL WMIC remote execution/);
  });
});

describe('fields the payload lacks', () => {
  it('names the hunt unknown-hunt when the payload has no hunt', () => {
    const { hunt: _hunt, ...payload } = findingPayload();
    const text = allText(slack(payload));
    expect(text).toContain('unknown-hunt');
    expect(text).not.toContain('HuntQuery-Windows-WMIC-RemoteExec');
  });

  it('shows an ATT&CK entry with a missing id or name as empty, as Chatbot would', () => {
    const payload = { ...findingPayload(), attack: [{ tacticId: 'TA0002', tactic: 'Execution' }, { techniqueId: 'T1047' }] };
    expect(line(slack(payload), '*ATT&amp;CK:*')).toBe('*ATT&amp;CK:* , T1047 (TA0002 Execution,  )');
  });

  it('shows a reason without a code as Chatbot shows an empty code', () => {
    const payload = { ...findingPayload(), reasons: [{ points: 5, detail: 'remote command starts PowerShell' }] };
    const chatbot = toBlockKit(renderChatbot(makeFinding({ reasons: [{ code: '', points: 5, detail: '' }] }), makeContext()));
    expect(line(slack(payload), '*Why:*')).toBe(line(chatbot as unknown as Posted, '*Why:*'));
  });

  it('lists only the response actions that are text, and none when there are none', () => {
    const steps = (m: Posted): string[] => allText(m).split('\n').filter((l) => /^\d+\. /.test(l));
    expect(steps(slack({ ...findingPayload(), responseActions: ['Isolate Both Hosts', 42, null, { a: 1 }] }))).toEqual(['1. Isolate Both Hosts']);
    const { responseActions: _r, ...none } = findingPayload();
    expect(allText(slack(none))).not.toContain('Next steps');
    expect(steps(slack(none))).toEqual([]);
  });

  it('ranks a digest pair without a fingerprint as the renderer ranks an empty one: first among equals', () => {
    const digest = defaultJson(composeDigest([makeFinding({ targetHost: 'srv-a' }), makeFinding({ targetHost: 'srv-b' })], makeContext(), 1));
    const [a, b] = digest.topPairs as Json[];
    const { fingerprint: _fp, ...unnamed } = b as Json;
    const text = allText(slack({ ...digest, topPairs: [a, unnamed] }));
    expect(text.indexOf('`srv-b`')).toBeGreaterThan(-1);
    expect(text.indexOf('`srv-b`')).toBeLessThan(text.indexOf('`srv-a`'));
  });
});

describe('a capped field that arrived cut', () => {
  const remote = (m: Posted): string => {
    const d = description(m);
    return d.slice(d.indexOf('*Remote command:*'), d.indexOf('*wmic command line:*'));
  };
  const delivered = `powershell.exe -enc ${'JABzAD0ATgBlAHcALQBPAGIAagBlAGMAdAAg'.repeat(8)}`.slice(0, 300);

  it('shows the delivered text whole and says exactly how much of the original is missing', () => {
    const m = slack({ ...findingPayload(), remoteCommand: { value: delivered, truncated: true, length: 5_000 } });
    const shown = remote(m);
    expect(shown.startsWith(`*Remote command:*\n\`\`\`\n${delivered}\n\`\`\`\n… (cut: `)).toBe(true);
    // 4,700 characters are missing, and the marker says so exactly (it said 4,445 when the stand-in
    // for the missing text was spaces, which the renderer collapses to one before counting)
    expect(shown).toMatch(/… \(cut: 4700 more characters; full text in the email\)\n$/);
  });

  it('still says it was cut when the payload gives no longer length', () => {
    for (const length of [undefined, delivered.length]) {
      const m = slack({ ...findingPayload(), remoteCommand: { value: delivered, truncated: true, length } });
      expect(remote(m)).toContain('… (cut: 1 more characters; full text in the email)');
    }
  });
});
