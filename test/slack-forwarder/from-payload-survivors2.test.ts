/**
 * A wmic command line that the payload delivered cut (the JSON caps it: `{ value, truncated,
 * length }`): the Slack message shows the delivered text whole and says how much of the original
 * is missing, as it does for a cut remote command (from-payload-survivors.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { composeFinding } from '../../lambda/notify/index.js';
import { renderSnsMessage } from '../../lambda/slack-forwarder/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';

type Json = Record<string, unknown>;
type Posted = { blocks: { type: string; text?: { text: string } }[] };

const payload = (): Json => JSON.parse((JSON.parse(composeFinding(makeFinding(), makeContext()).message) as { default: string }).default) as Json;
/** The wmic command line block of the finding's description, as the analyst reads it. */
function commandLineShown(p: Json): string {
  const m = renderSnsMessage('msg-0', JSON.stringify(p)).message as unknown as Posted;
  const d = m.blocks.find((b) => b.type === 'section')?.text?.text ?? '';
  return d.slice(d.indexOf('*wmic command line:*'), d.indexOf('*Drill down in XSIAM:*'));
}

describe('a wmic command line that arrived cut', () => {
  // An operator's wmic line with an encoded PowerShell payload (as typed in the wild:
  // wmic /node:<host> process call create "<command>"), cut to 300 characters by the payload.
  const delivered = `wmic /node:"srv-file-01" process call create "powershell.exe -nop -w hidden -enc ${'JABzAD0ATgBlAHcALQBPAGIAagBlAGMAdAAg'.repeat(9)}`.slice(0, 300);

  it('shows the delivered text whole and says exactly how much of the original is missing', () => {
    const shown = commandLineShown({ ...payload(), commandLine: { value: delivered, truncated: true, length: 5_000 } });
    expect(shown).toBe(`*wmic command line:*\n\`\`\`\n${delivered}\n\`\`\`\n… (cut: 4700 more characters; full text in the email)\n`);
  });
});
