/**
 * One finding as the AWS Chatbot custom notification an analyst reads in Slack: the title, every
 * line of the description, the decoded PowerShell blocks, the late notice, and the metadata Chatbot
 * threads and summarises by. Custom notification schema:
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 */
import { describe, expect, it } from 'vitest';
import type { TrackedFinding } from '../../lambda/finding.js';
import { renderChatbot } from '../../lambda/notify/chatbot.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';

const HUNT = 'HuntQuery-Windows-WMIC-RemoteExec';
const FINGERPRINT = 'f'.repeat(64);

function chatbot(overrides: Partial<TrackedFinding> = {}): ReturnType<typeof renderChatbot> {
  return renderChatbot(makeFinding({ fingerprint: FINGERPRINT, ...overrides }), makeContext());
}

function lines(overrides: Partial<TrackedFinding> = {}): string[] {
  return chatbot(overrides).content.description.split('\n');
}

/** The code block (fences included) that follows `label` in the description. */
function blockAfter(description: string[], label: string): string[] {
  const at = description.indexOf(label);
  expect(at).toBeGreaterThanOrEqual(0);
  const end = description.indexOf('```', at + 2);
  return description.slice(at + 1, end + 1);
}

describe('the Chatbot notification of one pair', () => {
  it('heads the description with the pair as the analyst scans it', () => {
    expect(lines().slice(0, 8)).toEqual([
      '*Severity:* CRITICAL   *Risk score:* 95',
      '*Source:* `WKS-FIN-042`  →  *Target:* `srv-file-01`',
      '*User:* `CORP\\jdoe`   *Parent:* `C:\\Windows\\System32\\cmd.exe`',
      '*Events:* 3   *First seen:* 2026-03-14T09:26:53.000Z   *Last seen:* 2026-03-14T09:41:53.000Z',
      '*Why:* `payload.powershell` `line.credentials`',
      '*ATT&amp;CK:* T1047 (TA0008 Lateral Movement, TA0002 Execution)',
      '*Remote command:*',
      '```',
    ]);
  });

  it('carries the id, the summary, the event type and both hosts in its metadata', () => {
    const n = chatbot();
    expect(n.id).toBe(`${HUNT}:${FINGERPRINT}`);
    expect(n.metadata?.summary).toBe('CRITICAL WMIC remote execution "WKS-FIN-042" → "srv-file-01" (risk 95)');
    expect(n.metadata?.eventType).toBe('WmicRemoteExecution');
    expect(n.metadata?.relatedResources).toEqual(['WKS-FIN-042', 'srv-file-01']);
  });

  it('marks a severity it does not know with a question mark in the title', () => {
    expect(chatbot({ severity: 'bogus' as TrackedFinding['severity'] }).content.title).toBe(
      ':grey_question: UNKNOWN WMIC remote execution `WKS-FIN-042` → `srv-file-01`',
    );
  });

  it('shows the remote command as absent when the line has none', () => {
    expect(blockAfter(lines({ remoteCommand: undefined }), '*Remote command:*')).toEqual(['```', '(none on the line)', '```']);
  });
});

describe('why the pair scored', () => {
  const why = (reasons: unknown): string | undefined =>
    lines({ reasons: reasons as TrackedFinding['reasons'] }).find((l) => l.startsWith('*Why:*'));

  it('names one reason alone, and several separated by a space', () => {
    expect(why([{ code: 'line.credentials', points: 5, detail: 'explicit /user:' }])).toBe('*Why:* `line.credentials`');
    expect(why([{ code: 'a.b', points: 1, detail: '' }, { code: 'c.d', points: 1, detail: '' }])).toBe('*Why:* `a.b` `c.d`');
  });

  it('says the base score of the hunt when there is no reason, or the stored reasons are not a list', () => {
    expect(why([])).toBe('*Why:* base score of the hunt');
    expect(why(undefined)).toBe('*Why:* base score of the hunt');
  });

  it('shows a malformed stored reason as unknown instead of failing the notification', () => {
    expect(why([null, { code: 'line.credentials', points: 5, detail: '' }])).toBe('*Why:* `(unknown)` `line.credentials`');
  });
});

describe('the late notice', () => {
  const late = (arrivedLateMs: number | undefined): string[] => lines({ arrivedLateMs }).filter((l) => l.startsWith('*Late:*'));

  it('appears from 15 minutes late, right after the times', () => {
    const description = lines({ arrivedLateMs: 15 * 60_000 });
    expect(description[4]).toBe('*Late:* arrived 15 min after it happened');
    expect(description[5]).toMatch(/^\*Why:\*/);
  });

  it('is absent one millisecond earlier and when the arrival is unknown', () => {
    expect(late(15 * 60_000 - 1)).toEqual([]);
    expect(late(undefined)).toEqual([]);
    // nothing in its place either: the reasons follow the times directly
    expect(lines({ arrivedLateMs: 15 * 60_000 - 1 })[4]).toMatch(/^\*Why:\*/);
  });
});

describe('the decoded PowerShell blocks', () => {
  it('show the decoded script on one line, its line breaks as ⏎', () => {
    expect(blockAfter(lines({ decodedScript: 'a\r\nb\nc' }), '*Decoded PowerShell:*')).toEqual(['```', 'a ⏎ b ⏎ c', '```']);
  });

  it('show up to 300 characters of a decoded script whole, and mark one more as cut', () => {
    expect(blockAfter(lines({ decodedScript: 'a'.repeat(300) }), '*Decoded PowerShell:*')).toEqual(['```', 'a'.repeat(300), '```']);
    const cut = lines({ decodedScript: 'a'.repeat(301) });
    expect(blockAfter(cut, '*Decoded PowerShell:*')).toEqual(['```', 'a'.repeat(300), '```']);
    expect(cut[cut.indexOf('*Decoded PowerShell:*') + 4]).toBe('… (cut: 1 more characters; full text in the email)');
  });

  it('show the parent decoded script when it differs, its line breaks as ⏎', () => {
    const description = lines({ decodedScript: 'child', parentDecodedScript: 'x\ny\r\nz' });
    expect(blockAfter(description, '*Decoded parent PowerShell:*')).toEqual(['```', 'x ⏎ y ⏎ z', '```']);
    expect(description[description.indexOf('*Decoded parent PowerShell:*') + 4]).toBe('*wmic command line:*');
  });

  it('show the parent decoded script even when the child has none', () => {
    expect(blockAfter(lines({ parentDecodedScript: 'x' }), '*Decoded parent PowerShell:*')).toEqual(['```', 'x', '```']);
  });

  it('do not repeat the parent decoded script when it is the same as the child', () => {
    const description = lines({ decodedScript: 'same', parentDecodedScript: 'same' });
    expect(description.filter((l) => l.startsWith('*Decoded'))).toEqual(['*Decoded PowerShell:*']);
  });

  it('cut the parent decoded script at 300 characters like the child', () => {
    expect(blockAfter(lines({ parentDecodedScript: 'p'.repeat(300) }), '*Decoded parent PowerShell:*')).toEqual(['```', 'p'.repeat(300), '```']);
    const cut = lines({ parentDecodedScript: 'p'.repeat(301) });
    expect(cut[cut.indexOf('*Decoded parent PowerShell:*') + 4]).toBe('… (cut: 1 more characters; full text in the email)');
  });
});

describe('a decoded script the detection already cut at 1,000 characters', () => {
  // Stored as lambda/detect/decoded-script.ts keeps it: 1,000 characters, then its own marker.
  const stored = `${'s'.repeat(1_000)}…[decoded script truncated, 5000 chars in total]`;
  const marker = (description: string[], label: string): string | undefined => description[description.indexOf(label) + 4];

  it('counts only the script left out, not the stored marker, in the Slack cut notice', () => {
    const description = lines({ decodedScript: stored, parentDecodedScript: `p${stored}` });
    expect(marker(description, '*Decoded PowerShell:*')).toBe('… (cut: 700 more characters; full text in the email)');
    expect(marker(description, '*Decoded parent PowerShell:*')).toBe('… (cut: 700 more characters; full text in the email)');
  });
});
