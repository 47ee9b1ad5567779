import { describe, expect, it } from 'vitest';
import { hunt, spawnCli, tempDir } from './harness.js';

interface Doc {
  schemaVersion: number;
  status: string;
  queryCost: number;
  window: { from: number; to: number; fromIso: string; toIso: string };
  queryVariant: string;
  minSeverity: string;
  notifications: Record<string, unknown>[];
  belowMinSeverityPairs: Record<string, unknown>[];
  error?: { name: string; message: string };
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('--output json: one document, a public interface', () => {
  it('carries schemaVersion, ISO times, rounded cost, and per notification what an analyst needs', async () => {
    const { code, stdout } = await hunt(['run', '--state', tempDir(), '--output', 'json']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as Doc;
    expect(doc.schemaVersion).toBe(1);
    expect(doc.status).toBe('completed');
    expect(doc.window.fromIso).toMatch(ISO);
    expect(new Date(doc.window.fromIso).getTime()).toBe(doc.window.from);
    expect(String(doc.queryCost).replace(/^0\./, '').length).toBeLessThanOrEqual(6);
    expect(doc).toMatchObject({ queryVariant: 'seed', minSeverity: 'high' });
    // 20 below high on the sample day, plus the helpdesk gpupdate pairs its shipped history makes routine
    // (the WMIC hunt's own; every hunt's held pairs are in the list, each naming its huntId)
    expect(doc.belowMinSeverityPairs.filter((p) => p['huntId'] === 'HuntQuery-Windows-WMIC-RemoteExec')).toHaveLength(22);
    expect(doc.belowMinSeverityPairs.every((p) => typeof p['huntId'] === 'string')).toBe(true);
    const n = doc.notifications.find((x) => x['target'] === 'fs01' && x['source'] === 'WS-FIN-023')!;
    // The sample day's late laptop: its pair says how long after it happened its events reached XSIAM.
    expect(doc.notifications.find((x) => x['source'] === 'LT-SLS-07')?.['arrivedLateMs']).toBe(6 * 3_600_000);
    expect(n['arrivedLateMs']).toBe(0);
    expect(n).toMatchObject({ source: 'WS-FIN-023', severity: 'critical' });
    for (const key of ['riskScore', 'commandLine', 'remoteCommand', 'user', 'eventIds', 'drillDownXql']) expect(n[key]).toBeDefined();
    expect(n['firstSeen']).toMatch(ISO);
    expect(n['lastSeen']).toMatch(ISO);
    const reasons = n['reasons'] as { code: string; points: number; detail: string }[];
    expect(reasons.length).toBeGreaterThan(0);
    for (const r of reasons) expect(Object.keys(r).sort()).toEqual(['code', 'detail', 'points']);
    expect(n['reasonCodes']).toEqual(reasons.map((r) => r.code));
    expect(String(n['commandLine'])).toContain('/node:');
  });

  it('a failed run writes a JSON error document and exits non-zero', async () => {
    const { code, stdout, stderr } = await hunt(['--output', 'json', '--events', '/nonexistent/rows.jsonl', '--state', tempDir()]);
    expect(code).toBe(2);
    const doc = JSON.parse(stdout) as Doc;
    expect(doc).toMatchObject({ schemaVersion: 1, status: 'failed', notifications: [] });
    expect(doc.error?.message).toContain('cannot read it (ENOENT)');
    expect(stderr).toContain('cannot read it (ENOENT)');
  });

  it('the README\'s command, `npm run hunt -- run ... --output json`, pipes straight into a JSON parser', async () => {
    const state = tempDir();
    const { code, stdout } = await spawnCli(`npm run hunt -- run --state ${state} --output json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).schemaVersion))'`);
    expect(stdout.trim()).toBe('1');
    expect(code).toBe(0);
  }, 90_000);
});
