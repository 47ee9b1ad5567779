/**
 * Issue 18 §5: a shadow run tells the truth. The pairs it would have sent are listed as such
 * (never as a failure), and `--output json` carries each one in `wouldNotifyPairs[]`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsFile, hunt, tempDir, wmicRow } from './harness.js';

interface Pair { source: string; target: string; severity: string; riskScore: number; fingerprint: string; drillDownXql: string; reasons: unknown[]; commandLine: string }

describe('run --shadow', () => {
  it('says "would have sent" in text, never that a notification failed', async () => {
    const r = await hunt(['--state', tempDir(), '--shadow']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Would have sent \(\d+\), most urgent first; shadow mode sent nothing/);
    expect(r.stdout).toMatch(/WS-FIN-023 → fs01/);
    expect(r.stdout).toMatch(/none sent \(shadow mode\).*\d+ would have been sent \(shadow mode: nothing sent\)\./);
    expect(r.stdout).not.toMatch(/fail|NOT SENT|PENDING/i);
  });

  it('lists every would-have-sent pair in wouldNotifyPairs[], with the notification fields', async () => {
    const r = await hunt(['--state', tempDir(), '--shadow', '--output', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { wouldNotify: number; notified: number; notifications: unknown[]; wouldNotifyPairs: Pair[] };
    expect(doc.notified).toBe(0);
    expect(doc.notifications).toEqual([]);
    expect(doc.wouldNotify).toBeGreaterThan(0);
    expect(doc.wouldNotifyPairs).toHaveLength(doc.wouldNotify);
    expect(new Set(doc.wouldNotifyPairs.map((p) => p.fingerprint)).size).toBe(doc.wouldNotify);
    for (const p of doc.wouldNotifyPairs) {
      expect(p).toMatchObject({ source: expect.any(String), target: expect.any(String), riskScore: expect.any(Number), drillDownXql: expect.any(String) });
      expect(['high', 'critical']).toContain(p.severity);
      expect(p.reasons.length).toBeGreaterThan(0);
    }
    expect(doc.wouldNotifyPairs.map((p) => `${p.source}→${p.target}`)).toContain('WS-FIN-023→fs01');
  });

  it('a live run has an empty wouldNotifyPairs[] (the document only grows)', async () => {
    const r = await hunt(['--state', tempDir(), '--output', 'json']);
    expect((JSON.parse(r.stdout) as { wouldNotifyPairs: unknown[] }).wouldNotifyPairs).toEqual([]);
  });
});

describe('backfill --shadow', () => {
  it('lists its would-have-sent pairs in wouldNotifyPairs[] too', async () => {
    const t = Date.UTC(2026, 0, 5, 10);
    const { dir, file } = eventsFile([wmicRow(t, 'wmic /node:"db01" process call create "powershell -enc AAAA"', { actor_process_image_name: 'powershell.exe' })]);
    const r = await hunt(['backfill', '--events', file, '--state', join(dir, 'state'), '--shadow', '--output', 'json',
      '--from', new Date(t - 3_600_000).toISOString(), '--to', new Date(t + 3_600_000).toISOString()]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { wouldNotify: number; wouldNotifyPairs: Pair[] };
    expect(doc.wouldNotify).toBe(1);
    expect(doc.wouldNotifyPairs).toHaveLength(1);
    expect(doc.wouldNotifyPairs[0]).toMatchObject({ source: 'WS-01', target: 'db01' });
  });
});
