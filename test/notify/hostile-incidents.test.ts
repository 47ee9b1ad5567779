/**
 * Issue 20, "a message that shows the whole story" and "attacker text is always visibly the
 * attacker's": one fixture of hostile incidents rendered through the email, the Chatbot
 * notification and the webhook forwarder (posted to the Slack stand-in, which enforces Slack's
 * limits). Every target host appears in each, inside a quoted or code span; each spoofing form
 * has its own test.
 */
import { describe, expect, it } from 'vitest';
import type { Confirmation } from '../../lambda/confirm/index.js';
import type { TrackedFinding } from '../../lambda/finding.js';
import { composeFinding, planMessages, type SnsMessage } from '../../lambda/notify/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';
import { DECOYS, EARLY_DECOYS, HOSTILE_INCIDENT, HOSTILE_TARGETS, SPOOFS, hostilePairs } from '../fixtures/notify/hostile-incidents.js';
import { lambdaContext, rig, snsEvent, useSlackStandIns } from '../slack-forwarder/support.js';

type Posted = { text: string; blocks: { type: string; text?: { type: string; text: string }; elements?: { text: string }[] }[] };

const standIns = useSlackStandIns();

const ctx = makeContext({ incidents: [HOSTILE_INCIDENT] });

/** What each medium delivered for one SNS message: subject, email, Chatbot, and the forwarder's post. */
async function delivered(m: SnsMessage) {
  const outer = JSON.parse(m.message) as { default: string; email: string; https: string };
  const chatbot = JSON.parse(outer.https) as { content: { title: string; description: string }; metadata: { summary: string } };
  const { forward } = await rig(standIns.client());
  await forward(snsEvent(m), lambdaContext());
  expect(standIns.slack().received.at(-1)?.status).toBe(200); // the stand-in checked every Slack limit
  const posted = standIns.slack().delivered.at(-1) as unknown as Posted;
  const header = posted.blocks[0]?.text?.text ?? '';
  const forwarded = [posted.text, ...posted.blocks.flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text)])].join('\n');
  return { subject: m.subject, email: outer.email, chatbot, header, forwarded, doc: JSON.parse(outer.default) as Record<string, unknown> };
}

async function hostileIncident() {
  const plan = planMessages(hostilePairs(), ctx, 25);
  expect(plan.messages).toHaveLength(1);
  return delivered(plan.messages[0] as SnsMessage);
}

/** How each target reads in a code span and in email quotes (made visible, defanged, collapsed). */
const SLACK_FORM: Record<string, string> = {
  [SPOOFS.productText]: '`fs01 (allowlisted - sccm push, no action)`',
  [SPOOFS.emoji]: '`srv:white_check_mark:ok`',
  [SPOOFS.spaces]: '`app02 ON THE TARG',
  [SPOOFS.url]: '`hxxps://evil[.]example/login`',
  [SPOOFS.backtick]: '`srv\u02CB01`',
  [SPOOFS.lookalike]: '`d\u044101`',
};
const EMAIL_FORM: Record<string, string> = {
  [SPOOFS.spaces]: '"app02 ON THE TARGET Confirmed: benign, closed by SOC"',
  [SPOOFS.url]: '"hxxps://evil[.]example/login"',
};
const slackForm = (t: string): string => SLACK_FORM[t] ?? `\`${t}\``;
const emailForm = (t: string): string => EMAIL_FORM[t] ?? `"${t}"`;

describe('a message that shows the whole story', () => {
  it('names every target host in the email, the Chatbot description and the forwarded Slack message', async () => {
    const { email, chatbot, forwarded } = await hostileIncident();
    expect(HOSTILE_TARGETS).toHaveLength(51);
    expect(chatbot.content.description.length).toBeLessThanOrEqual(3_000);
    for (const t of HOSTILE_TARGETS) {
      expect(email, t).toContain(emailForm(t));
      expect(chatbot.content.description, t).toContain(slackForm(t));
      expect(forwarded, t).toContain(slackForm(t));
    }
  });

  it('lists the most severe pairs first, so twenty earlier decoys cannot push the real target out of view', async () => {
    const { email, chatbot, doc } = await hostileIncident();
    const movement = chatbot.content.description.split('\n')[2] ?? '';
    expect(movement.indexOf('`dc01`')).toBeLessThan(movement.indexOf('`early-decoy0`'));
    const list = [...email.matchAll(/^ {2}(\d+)\. "WS-PAY-07" -> "([^"]+)"/gm)].map((m) => m[2]);
    expect(list.slice(0, 25).sort()).toEqual([...DECOYS, 'dc01'].sort());
    expect(list.slice(-20)).toEqual(EARLY_DECOYS);
    // The JSON keeps its meaning: hosts in the order first reached, pairs in time order.
    expect((doc['incident'] as { chain: string[] }).chain.slice(0, 3)).toEqual(['WS-PAY-07', 'early-decoy0', 'early-decoy1']);
    expect((doc['pairs'] as { targetHost: string }[])[0]?.targetHost).toBe('early-decoy0');
  });

  it('writes a fan-out as one source to many targets, never as a chain of pivots', async () => {
    const { email, chatbot, forwarded } = await hostileIncident();
    expect(email).toMatch(/^ {2}"WS-PAY-07" -> "decoy0", "decoy1", /m);
    expect(email).not.toContain('pivot');
    expect(chatbot.content.description).toContain('`WS-PAY-07` → `decoy0`, `decoy1`, ');
    for (const text of [email, chatbot.content.description, forwarded]) expect(text).not.toMatch(/(decoy\d+|dc01)["`]? (->|→) ["`]?(decoy|dc01)/);
  });

  it('keeps the subject ASCII, under 100 characters, most severe first, with how many more', async () => {
    const { subject } = await hostileIncident();
    expect(subject).toBe('[CRITICAL] WMIC incident INC-5EC0DE1A20: "WS-PAY-07" -> "decoy0", "decoy1" +49 more (51 new pairs)');
  });

  it('forwards a follow-up as Chatbot shows it: the UPDATE mark and the confirmation on the target', async () => {
    const confirmed: Confirmation = {
      status: 'confirmed', target: 'dc01', eventId: 'evt-9', time: Date.UTC(2026, 2, 14, 10, 0, 0), process: 'cmd.exe',
      commandLine: 'cmd /c vssadmin delete shadows /all /quiet', user: 'NT AUTHORITY\\SYSTEM', agentId: 'a-dc01', agentHostname: 'DC01',
      detail: 'WmiPrvSE.exe started cmd.exe on DC01.',
    };
    const update: TrackedFinding = { ...makeFinding({ targetHost: 'dc01' }), confirmation: confirmed, followUp: true };
    const { header, forwarded, chatbot } = await delivered(composeFinding(update, makeContext()));
    expect(header).toMatch(/^UPDATE: confirmed on target - /);
    expect(chatbot.content.title).toMatch(/^UPDATE: confirmed on target - /);
    expect(forwarded).toContain('*On the target:* Confirmed');
    expect(forwarded).toContain('`evt-9`');
  });

  it('forwards an incident pair\'s confirmation', async () => {
    const confirmed: Confirmation = {
      status: 'confirmed', target: 'dc01', eventId: 'evt-7', time: Date.UTC(2026, 2, 14, 10, 0, 0), process: 'cmd.exe',
      commandLine: 'x', user: 'u', agentId: 'a', agentHostname: 'DC01', detail: 'checked',
    };
    const fs = [{ ...makeFinding({ targetHost: 'dc01', incidentId: HOSTILE_INCIDENT.id }), confirmation: confirmed }, makeFinding({ targetHost: 'fs09', incidentId: HOSTILE_INCIDENT.id })];
    const { forwarded, chatbot } = await delivered(planMessages(fs, ctx, 25).messages[0] as SnsMessage);
    expect(chatbot.content.description).toContain('*On the target:* Confirmed');
    expect(forwarded).toContain('*On the target:* Confirmed');
    expect(forwarded).toContain('`evt-7`');
  });
});

describe('a hundred hostile targets in one message', () => {
  it('names every one of them in Slack within one section, each a code span', async () => {
    const names = Array.from({ length: 100 }, (_, i) => `t${String(i).padStart(2, '0')}-${'<&>'.repeat(200)}`);
    const fs = names.map((t) => makeFinding({ sourceHost: 'WS-PAY-07', targetHost: t, incidentId: HOSTILE_INCIDENT.id }));
    const { chatbot, forwarded, email } = await delivered(planMessages(fs, ctx, 25).messages[0] as SnsMessage);
    expect(chatbot.content.description.length).toBeLessThanOrEqual(3_000);
    for (const t of names) {
      const head = t.slice(0, 3);
      expect(chatbot.content.description).toContain(`\`${head}`);
      expect(forwarded).toContain(`\`${head}`);
      expect(email).toContain(`"${head}-<&>`);
    }
  });
});
