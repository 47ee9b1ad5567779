/**
 * Every rendering of a pair whose evidence reached XSIAM late says so, and how late: the incident
 * message (email list and Slack pair lines, the JSON's `pairs`), the storm digest (email, Slack,
 * `topPairs`) and the webhook forwarder's Slack message re-rendered from the `default` JSON.
 * A pair that arrived on time carries no notice.
 */
import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../lambda/incidents/index.js';
import { LIMIT_LEVELS, planMessages, renderIncident } from '../../lambda/notify/index.js';
import { renderSnsMessage } from '../../lambda/slack-forwarder/index.js';
import { T0, makeContext, makeFinding } from '../fixtures/notify/findings.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const INC: IncidentView = { id: 'INC-LATE0001', chain: ['LAPTOP-07', 'fs01', 'dc01'], severity: 'critical', threadId: 'INC-LATE0001', pairCount: 3 };
const NOTICE = 'arrived 30 h after it happened';

/** A laptop's two pairs that uploaded 30 h late, and one on-time pair, all of one incident. */
function pairs() {
  return [
    makeFinding({ sourceHost: 'LAPTOP-07', targetHost: 'fs01', firstSeen: T0 - 30 * HOUR, severity: 'critical', riskScore: 99, incidentId: INC.id, arrivedAt: T0, arrivedLateMs: 30 * HOUR }),
    makeFinding({ sourceHost: 'LAPTOP-07', targetHost: 'dc01', firstSeen: T0 - 30 * HOUR + MIN, severity: 'high', riskScore: 80, incidentId: INC.id, arrivedAt: T0, arrivedLateMs: 30 * HOUR - MIN }),
    makeFinding({ sourceHost: 'WKS-12', targetHost: 'fs02', firstSeen: T0, severity: 'medium', riskScore: 60, incidentId: INC.id, arrivedAt: T0 + MIN, arrivedLateMs: MIN }),
  ];
}

interface Parsed { readonly doc: Record<string, unknown>; readonly email: string; readonly description: string }
const parse = (message: string): Parsed => {
  const m = JSON.parse(message) as { default: string; email: string; https: string };
  return { doc: JSON.parse(m.default) as Record<string, unknown>, email: m.email, description: (JSON.parse(m.https) as { content: { description: string } }).content.description };
};
const occurrences = (text: string, part: string): number => text.split(part).length - 1;
/** Every text of a Block Kit message, joined. */
const slackText = (message: string): string => JSON.stringify(renderSnsMessage('m-1', message).message);

describe('the late notice in every rendering', () => {
  it('says it on each late pair of an incident message, in the email list, the Slack pair lines and the JSON', () => {
    const [message] = planMessages(pairs(), makeContext({ incidents: [INC] }), 25).messages;
    const { doc, email, description } = parse(message?.message ?? '{}');
    const list = email.slice(email.indexOf('PAIRS (most severe first)'), email.indexOf('==== PAIR 1')).split('\n').filter((l) => l.includes(' -> '));
    expect(list).toHaveLength(3);
    expect(list[0]).toMatch(/"LAPTOP-07" -> "fs01" .*, arrived 30 h after it happened$/);
    expect(list[1]).toMatch(/"LAPTOP-07" -> "dc01" .*, arrived 30 h after it happened$/);
    expect(list[2]).not.toContain('arrived');
    // Each late pair again in its own detail section (the per-pair email's Late line).
    expect(occurrences(email, NOTICE)).toBe(4);
    const slackPairs = description.split('\n').filter((l) => l.startsWith('*`'));
    expect(slackPairs.map((l) => l.endsWith(NOTICE))).toEqual([true, true, false]);
    expect((doc['pairs'] as { sourceHost: string; arrivedLateMs: number | null }[]).map((p) => p.arrivedLateMs)).toEqual([30 * HOUR, 30 * HOUR - MIN, MIN]);
  });

  it('says it on a late pair listed past the detail cap, whose details are not in the message', () => {
    const rendered = renderIncident(pairs(), INC, makeContext({ incidents: [INC] }), { ...LIMIT_LEVELS[0]!, list: 1 });
    expect(rendered.email.body).toContain('(2 more pair(s) listed above');
    expect(rendered.email.body).toMatch(/"LAPTOP-07" -> "dc01" .*, arrived 30 h after it happened\n/);
    expect(rendered.chatbot.content.description).toMatch(/`dc01`\*.*arrived 30 h after it happened\n/);
  });

  it('says it in the webhook forwarder\'s Slack message, for an incident and for a single pair', () => {
    const [incident] = planMessages(pairs(), makeContext({ incidents: [INC] }), 25).messages;
    expect(occurrences(slackText(JSON.stringify(parse(incident!.message).doc)), NOTICE)).toBe(2);
    const [single] = planMessages([pairs()[0]!], makeContext(), 25).messages;
    expect(slackText(JSON.stringify(parse(single!.message).doc))).toContain(NOTICE);
    const [onTime] = planMessages([pairs()[2]!], makeContext(), 25).messages;
    expect(slackText(JSON.stringify(parse(onTime!.message).doc))).not.toContain('after it happened');
  });

  it('says it on each late row of the storm digest: email, Slack, topPairs and the forwarder', () => {
    const storm = [...pairs(), ...Array.from({ length: 4 }, (_, i) => makeFinding({ sourceHost: `WKS-${i}`, targetHost: `srv-${i}`, riskScore: 10 + i }))];
    const plan = planMessages(storm.map((f) => ({ ...f, incidentId: undefined })), makeContext(), 2);
    expect(plan.digest).toBe(true);
    const { doc, email, description } = parse(plan.messages[0]?.message ?? '{}');
    expect(occurrences(email, NOTICE)).toBe(2);
    expect(occurrences(description, 'after it happened')).toBe(2);
    const top = doc['topPairs'] as { sourceHost: string; targetHost: string; arrivedLateMs: number | null }[];
    expect(top.find((p) => p.targetHost === 'fs01')?.arrivedLateMs).toBe(30 * HOUR);
    expect(top.find((p) => p.targetHost === 'srv-0')?.arrivedLateMs).toBeNull();
    expect(occurrences(slackText(JSON.stringify(doc)), 'after it happened')).toBe(2);
  });
});
