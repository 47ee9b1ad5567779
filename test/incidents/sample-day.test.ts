/**
 * The sample day through `npm run hunt -- --output json`: its intrusion is told as one incident
 * whose chain is the order the operator first reached each host, and a second run keeps the id.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostKey } from '../../lambda/incidents/index.js';
import { runLocalHunt, type RunIo } from '../../local/cli/run.js';
import { LATE_LAPTOP_LAUNCH, SAMPLE_DAY_INTRUSION } from '../../local/sample-day/index.js';
import { INTRUSION_LAUNCHES } from '../../local/sample-day/intrusion.js';

interface Output {
  messages: number;
  incidents: { id: string; chain: string[]; pairs: { source: string; target: string }[]; severity: string; firstSeen: string; lastSeen: string }[];
  notifications: { source: string; target: string; incidentId: string | null }[];
}

async function hunt(state: string): Promise<Output> {
  let out = '';
  const io: RunIo = { write: (t) => { out += t; }, error: () => {}, env: {}, now: Date.now };
  expect(await runLocalHunt(['--state', state, '--output', 'json'], io)).toBe(0);
  return JSON.parse(out) as Output;
}

const pairKey = (source: string, target: string) => `${hostKey(source)}→${hostKey(target)}`;

describe('the sample day told as incidents', () => {
  it('tells the intrusion as one incident, its chain in the order of first reach', async () => {
    const state = mkdtempSync(join(tmpdir(), 'hunt-incidents-'));
    const run = await hunt(state);
    // The late laptop reached FS01 during the intrusion: its pair is part of the same incident.
    const intrusion = new Set([...SAMPLE_DAY_INTRUSION.pairs.map((p) => pairKey(p.source, p.target)), pairKey(LATE_LAPTOP_LAUNCH.from, 'fs01')]);
    const ids = new Set(run.notifications.filter((n) => intrusion.has(pairKey(n.source, n.target))).map((n) => n.incidentId));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(id).toMatch(/^INC-[0-9A-F]{10}$/);
    const incident = run.incidents.find((i) => i.id === id);
    expect(incident?.pairs.map((p) => pairKey(p.source, p.target)).sort()).toEqual([...intrusion].sort());
    // The order the operator reached each host: the launches by time, source first, targets as listed.
    const reached: string[] = [];
    for (const launch of [...INTRUSION_LAUNCHES, LATE_LAPTOP_LAUNCH].sort((a, b) => a.atMin - b.atMin)) {
      for (const host of [launch.from, ...launch.targets]) if (!reached.includes(hostKey(host))) reached.push(hostKey(host));
    }
    expect(incident?.chain.map(hostKey)).toEqual(reached);
    expect(incident).toMatchObject({ chain: expect.arrayContaining(['WS-FIN-023', 'SQL01']), severity: 'critical' });
    // Every notified pair carries its incident; the run sent one message per incident.
    expect(run.notifications.every((n) => typeof n.incidentId === 'string')).toBe(true);
    expect(run.messages).toBe(new Set(run.notifications.map((n) => n.incidentId)).size);
  });
});
