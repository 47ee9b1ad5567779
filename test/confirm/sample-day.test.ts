/**
 * The sample day end to end: the hunt's query and the real detector find the intrusion's pairs,
 * then the confirmation (XSIAM adapter over the local XSIAM serving the same day) judges each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyConfirmation, confirmationRange, judge, XsiamTargetEvidence, type Confirmation } from '../../lambda/confirm/index.js';
import { createDetector, DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import { severityAtLeast, type Finding } from '../../lambda/finding.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { SAMPLE_DAY_INTRUSION, sampleDay } from '../../local/sample-day/index.js';
import { startLocalXsiam, type LocalXsiam } from '../../local/xsiam/index.js';
import { createXsiamClient, type XsiamClient } from '../../lambda/xsiam/index.js';
import { API_KEY, credentials, KEY_ID } from '../xsiam/support.js';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const DAY = 24 * 3_600_000;
const rows = sampleDay(NOW);
let server: LocalXsiam;
let client: XsiamClient;
let notified: Finding[];
let outcomes: Map<string, Confirmation>;

beforeAll(async () => {
  server = await startLocalXsiam({ credentials: { keyId: KEY_ID, key: API_KEY }, events: rows, clock: { now: () => NOW } });
  client = createXsiamClient({ allowLoopback: true, clock: { now: () => NOW }, sleep: async () => undefined });
  const creds = credentials(server.url);
  const hunt = await client.query(creds, WMIC_REMOTE_EXEC.queries.seed, { from: NOW - DAY, to: NOW }, { deadline: NOW + 60_000 });
  const detection = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST })(hunt.rows, NOW);
  notified = detection.findings.filter((f) => f.suppressed === null && severityAtLeast(f.severity, 'high'));
  const range = confirmationRange(notified, NOW, 5 * 60_000)!;
  const source = new XsiamTargetEvidence({ client });
  const evidence = await source.collect(creds, { targets: [...new Set(notified.map((f) => f.targetHost))], range }, { deadline: NOW + 60_000 });
  outcomes = judge(notified, evidence);
});

afterAll(async () => {
  await client.close();
  await server.close();
});

const statusOf = (target: string): string[] => notified.filter((f) => f.targetHost === target).map((f) => outcomes.get(f.fingerprint)?.status ?? 'none');

describe('target-side confirmation of the sample day', () => {
  it('notifies every intrusion pair, HV02 included', () => {
    const pairs = new Set(notified.map((f) => `${f.sourceHost} -> ${f.targetHost}`));
    for (const p of SAMPLE_DAY_INTRUSION.pairs) expect(pairs, `${p.source} -> ${p.target}`).toContain(`${p.source} -> ${p.target}`);
    expect(SAMPLE_DAY_INTRUSION.pairs.map((p) => p.target)).toContain('hv02');
  });

  it('confirms every target whose agent saw WmiPrvSE.exe start the payload', () => {
    for (const target of ['fs01', 'sql01.corp.example', '10.20.1.40', 'fs02', '10.20.1.30', 'bkp01', 'dc01.corp.example']) {
      expect(statusOf(target), target).toEqual(expect.arrayContaining(['confirmed']));
      expect(new Set(statusOf(target)), target).toEqual(new Set(['confirmed']));
    }
  });

  it('confirms every other notified pair too (the helpdesk remote gpupdate ran on the workstations)', () => {
    const others = notified.filter((f) => !['app01', 'hv02'].includes(f.targetHost) && !f.targetHost.startsWith('@'));
    expect(others.map((f) => f.targetHost)).toEqual(expect.arrayContaining(['ws-eng-003', 'ws-eng-004']));
    for (const f of others) expect(`${f.targetHost}: ${outcomes.get(f.fingerprint)?.status}`).toBe(`${f.targetHost}: confirmed`);
  });

  it('says not-seen for APP01, where the launch did not run, and unmanaged for HV02, which has no agent', () => {
    expect(new Set(statusOf('app01'))).toEqual(new Set(['not-seen']));
    expect(statusOf('hv02')).toEqual(['unmanaged']);
  });

  it('says unavailable for the launch whose targets come from a list file (nothing names the hosts)', () => {
    expect(statusOf('@c:\\programdata\\usoshared\\srv.txt')).toEqual(['unavailable']);
  });

  it('confirms with the target event a few seconds after the launch, and adds target.confirmed', () => {
    const fs01 = notified.find((f) => f.targetHost === 'fs01')!;
    const c = outcomes.get(fs01.fingerprint)!;
    const event = rows.find((r) => r.event_id === c.eventId)!;
    expect(event).toMatchObject({ agent_hostname: 'FS01', actor_process_image_name: 'WmiPrvSE.exe' });
    expect(c.time! - fs01.firstSeen).toBeGreaterThan(1_000);
    expect(c.time! - fs01.firstSeen).toBeLessThan(10_000);
    expect(applyConfirmation(fs01, c).reasons.map((r) => r.code)).toContain('target.confirmed');
  });

  it('does not detect the target-side WmiPrvSE.exe children as wmic findings', () => {
    const children = new Set(rows.filter((r) => r.actor_process_image_name === 'WmiPrvSE.exe').map((r) => r.event_id));
    expect(children.size).toBeGreaterThanOrEqual(9);
    for (const f of notified) for (const id of f.eventIds) expect(children.has(id)).toBe(false);
  });
});
