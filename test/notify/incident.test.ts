/**
 * One message per incident: subject, chain line, per-pair details, Slack thread and 3,000-character
 * section, the `default` JSON's old fields plus `incident` and `pairs`, and the storm digest counted
 * in messages. Rendering goes through planMessages, as both notifiers use it.
 */
import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../lambda/incidents/index.js';
import { planMessages } from '../../lambda/notify/index.js';
import { T0, makeContext, makeFinding } from '../fixtures/notify/findings.js';

const INC: IncidentView = { id: 'INC-0A1B2C3D4E', chain: ['WKS-77', 'FS01', 'dc01'], severity: 'critical', threadId: 'INC-0A1B2C3D4E', pairCount: 3 };
const MIN = 60_000;

function threePairs() {
  return [
    makeFinding({ sourceHost: 'FS01', targetHost: 'dc01', firstSeen: T0 + 20 * MIN, severity: 'critical', riskScore: 99, incidentId: INC.id }),
    makeFinding({ sourceHost: 'WKS-77', targetHost: 'fs01', firstSeen: T0, severity: 'high', riskScore: 80, incidentId: INC.id }),
    makeFinding({ sourceHost: 'WKS-77', targetHost: 'fs02', firstSeen: T0 + 5 * MIN, severity: 'medium', riskScore: 60, incidentId: INC.id }),
  ];
}
const parse = (message: string) => {
  const m = JSON.parse(message) as { default: string; email: string; https: string };
  return { doc: JSON.parse(m.default) as Record<string, unknown>, email: m.email, chatbot: JSON.parse(m.https) as { metadata: { threadId: string }; content: { title: string; description: string } } };
};

describe('one message per incident', () => {
  it('tells three new pairs of an incident in one message: who reached what on top, most severe first, each pair below', () => {
    const fs = threePairs();
    const plan = planMessages(fs, makeContext({ incidents: [INC] }), 25);
    expect(plan.messages).toHaveLength(1);
    const [message] = plan.messages;
    expect(message?.fingerprints.sort()).toEqual(fs.map((f) => f.fingerprint).sort());
    expect(message?.subject).toBe('[CRITICAL] WMIC incident INC-0A1B2C3D4E: "FS01" +1 -> "dc01", "fs01", "fs02" (3 new pairs)');
    const { doc, email, chatbot } = parse(message?.message ?? '{}');
    expect(email.split('\n')[0]).toBe('INCIDENT INC-0A1B2C3D4E: 3 new pairs to 3 target(s), highest severity CRITICAL');
    // A fan-out is one source to many targets; a pivot only where a pair reached the source.
    expect(email).toContain('  "WKS-77" -> "fs01", "fs02"\n');
    expect(email).toContain('  "FS01" -> "dc01"   (pivot: reached from "WKS-77")');
    expect(email).not.toMatch(/WKS-77"? -> "?FS01"? -> /);
    // Each pair's own details, most severe first.
    const details = [...email.matchAll(/^WMIC remote process creation: (.+)$/gm)].map((m) => m[1]);
    expect(details).toEqual(['"FS01" -> "dc01"', '"WKS-77" -> "fs01"', '"WKS-77" -> "fs02"']);
    expect(chatbot.content.description).toContain('`FS01` → `dc01` _(pivot: reached from `WKS-77`)_\n`WKS-77` → `fs01`, `fs02`');
    expect(chatbot.content.description).not.toContain('*Chain:*');
    expect(chatbot.metadata.threadId).toBe('HuntQuery-Windows-WMIC-RemoteExec:INC-0A1B2C3D4E');
    expect(chatbot.content.title).toContain('`INC-0A1B2C3D4E`');
    // The old fields stay where they were, from the highest pair; `incident` and `pairs` are added.
    expect(doc).toMatchObject({ schema: 'wmic-remote-exec.finding/1', kind: 'finding', sourceHost: 'FS01', targetHost: 'dc01', severity: 'critical', riskScore: 99 });
    expect(doc['incident']).toEqual({ id: INC.id, chain: ['WKS-77', 'FS01', 'dc01'], severity: 'critical', pairCount: 3 });
    expect((doc['pairs'] as { sourceHost: string; targetHost: string; fingerprint: string }[]).map((p) => `${p.sourceHost}→${p.targetHost}`))
      .toEqual(['WKS-77→fs01', 'WKS-77→fs02', 'FS01→dc01']);
  });

  it('keeps the incident id and the count in the subject when the chain is long or hostile', () => {
    const long: IncidentView = { ...INC, chain: Array.from({ length: 30 }, (_, i) => `host-${i}.corp.example\r\n\u202e`) };
    const [message] = planMessages([makeFinding({ incidentId: INC.id })], makeContext({ incidents: [long] }), 25).messages;
    expect(message?.subject.length).toBeLessThanOrEqual(99);
    expect(message?.subject).toMatch(/^\[CRITICAL\] WMIC incident INC-0A1B2C3D4E: "WKS-FIN-042" -> "srv-file-01" \(1 new pair\)$/);
    expect(message?.subject).toMatch(/^[\x20-\x7E]+$/);
  });

  it('keeps the Slack description inside one section however many pairs there are', () => {
    const fs = Array.from({ length: 40 }, (_, i) => makeFinding({ targetHost: `srv-${i}`, remoteCommand: 'x'.repeat(2_000), incidentId: INC.id }));
    const [message] = planMessages(fs, makeContext({ incidents: [INC] }), 25).messages;
    const { chatbot } = parse(message?.message ?? '{}');
    expect(chatbot.content.description.length).toBeLessThanOrEqual(3_000);
    expect(chatbot.content.description).toContain('INC-0A1B2C3D4E');
  });

  it('fits SNS with 250 hostile pairs in one incident: 100 pairs a message, long names and 1 MB lines capped', () => {
    const huge = 'A\u202e<b>`x`</b>'.repeat(100_000);
    const fs = Array.from({ length: 250 }, (_, i) => makeFinding({
      sourceHost: `${'s'.repeat(600)}${i}`, targetHost: `${'t'.repeat(600)}${i}`, remoteCommand: huge, commandLine: huge, parentCommandLine: huge, incidentId: INC.id,
    }));
    const plan = planMessages(fs, makeContext({ incidents: [INC] }), 25);
    expect(plan.failed).toEqual([]);
    expect(plan.messages.map((m) => m.fingerprints.length)).toEqual([100, 100, 50]);
    for (const m of plan.messages) expect(m.bytes).toBeLessThanOrEqual(262_144 - 2_048);
  });

  it('sends the storm digest when the number of messages, not pairs, passes the storm limit', () => {
    const incidents: IncidentView[] = Array.from({ length: 3 }, (_, i) => ({ ...INC, id: `INC-${i}`, threadId: `INC-${i}` }));
    const pairs = incidents.flatMap((inc) => Array.from({ length: 4 }, () => makeFinding({ incidentId: inc.id })));
    const told = planMessages(pairs, makeContext({ incidents }), 3);
    expect(told).toMatchObject({ digest: false });
    expect(told.messages).toHaveLength(3);
    const stormed = planMessages(pairs, makeContext({ incidents }), 2);
    expect(stormed.digest).toBe(true);
    expect(stormed.messages).toHaveLength(1);
    expect(stormed.messages[0]?.fingerprints).toHaveLength(12);
  });

  it('fails a pair that cannot be rendered alone; its incident is still told', () => {
    const fs = threePairs();
    const broken = { ...fs[2], reasons: 7 as unknown as [] } as (typeof fs)[number];
    Object.defineProperty(broken, 'commandLine', { get: () => { throw new Error('unreadable'); }, enumerable: true });
    const plan = planMessages([fs[0]!, fs[1]!, broken], makeContext({ incidents: [INC] }), 25);
    expect(plan.failed.map((f) => [f.fingerprint, f.code])).toEqual([[broken.fingerprint, 'RenderError']]);
    expect(plan.messages).toHaveLength(1);
    expect(plan.messages[0]?.subject).toContain('(2 new pairs)');
  });

  it('still sends one message per pair to callers without incidents', () => {
    const fs = threePairs().map(({ incidentId: _id, ...f }) => f);
    const plan = planMessages(fs, makeContext(), 25);
    expect(plan.messages).toHaveLength(3);
    expect(plan.messages.every((m) => !m.subject.includes('incident'))).toBe(true);
  });
});
