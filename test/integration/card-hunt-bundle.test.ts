/**
 * A card-only hunt (hunts/HuntQuery-Windows-ShadowCopy-Delete.md, no TypeScript of its own) run by
 * the built handler: the real lambda/handler.ts bundled by esbuild as the stack bundles it,
 * imported in a fresh Node process, over DynamoDB Local, the local XSIAM, an SNS stand-in and a
 * Secrets Manager stand-in, all on loopback. The event names the hunt as its schedule rule does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENV } from '../../lambda/config.js';
import type { EventRow } from '../../local/xsiam/index.js';
import { invokeBundle, sentDocuments, startBundleWorld, type BundleWorld } from '../support/bundle.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HUNT_ID = 'HuntQuery-Windows-ShadowCopy-Delete';
let world: BundleWorld;

/** The hunt's own test rows, moved to the last hour (the scheduled run looks back from now). */
function testRows(): EventRow[] {
  const lines = readFileSync(join(ROOT, `hunts/${HUNT_ID}.test.jsonl`), 'utf8').trim().split('\n');
  return lines.map((l, i) => {
    const { _expect: _e, _source: _s, ...row } = JSON.parse(l) as Record<string, unknown>;
    return { ...row, _time: Date.now() - 60 * 60_000 + i * 1_000 };
  });
}

beforeAll(async () => {
  world = await startBundleWorld('cardbundle', inject('dynamoDbEndpoint'));
}, 120_000);
afterAll(async () => world?.close());

function invoke(event: unknown): Promise<Record<string, unknown>> {
  return invokeBundle(world.dir, event, world.env({ [ENV.initialLookbackMinutes]: '180', [ENV.confirmTargets]: 'false' }));
}

describe('a card-only hunt in the built handler', () => {
  it('runs from its schedule rule\'s event: a finding per host and command line, a message per host story, each naming its hunt and host; the next run sends nothing again', async () => {
    world.events.push(...testRows());
    const first = await invoke({ 'detail-type': 'Scheduled Event', source: 'aws.events', huntId: HUNT_ID });
    expect(first).toMatchObject({ huntId: HUNT_ID, status: 'completed', newPairs: 3, notified: 3 });
    const published = sentDocuments(world.sns);
    expect(published.map((p) => [p['huntId'], p['host']]).sort()).toEqual([[HUNT_ID, 'BKP01'], [HUNT_ID, 'FS01']]);
    expect(published.every((p) => (p['hunt'] as { title: string }).title === 'Shadow Copy Deletion using vssadmin or WMIC')).toBe(true);
    // FS01's two deletions (vssadmin, then wmic) are one story on one host: one message, both findings in it.
    const fs01 = published.find((p) => p['host'] === 'FS01')!;
    expect((fs01['pairs'] as { commandLine: { value: string } }[]).map((f) => f.commandLine.value).sort()).toEqual(['vssadmin.exe delete shadows /all /quiet', 'wmic.exe shadowcopy delete']);
    expect((published.find((p) => p['host'] === 'BKP01')!['keyFields'] as Record<string, { value: string }>)['action_process_image_command_line']!.value).toContain('Delete Shadows /All /Quiet');
    expect(String(published[0]!['drillDownXql'])).toContain('agent_hostname = ');

    const again = await invoke({ huntId: HUNT_ID });
    expect(again).toMatchObject({ huntId: HUNT_ID, notified: 0 });
    expect(sentDocuments(world.sns)).toHaveLength(2);
  }, 180_000);

  it('refuses an event naming a hunt that is not in hunts/', async () => {
    await expect(invoke({ huntId: 'HuntQuery-Nope' })).rejects.toThrow(/huntId must be one of .*HuntQuery-Windows-ShadowCopy-Delete/);
  }, 60_000);
});

describe('the target-side WMI hunt (a card with a module) in the built handler', () => {
  const WMI_ID = 'HuntQuery-Windows-WMI-RemoteExec-TargetSide';
  /** Its test rows in the last three hours, spacing halved (3 s stays within the confirmation range, 20 min stays outside). */
  function wmiRows(): EventRow[] {
    const rows = readFileSync(join(ROOT, `hunts/${WMI_ID}.test.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const first = Math.min(...rows.map((r) => Date.parse(String(r['_time']))));
    const start = Date.now() - 150 * 60_000;
    return rows.map(({ _expect: _e, _source: _s, ...row }) => ({ ...row, _time: start + Math.round((Date.parse(String(row['_time'])) - first) / 2) }));
  }

  it('notifies each tool\'s child on its target (host = target), and not the child a wmic pair explains', async () => {
    const before = sentDocuments(world.sns).length;
    world.events.push(...wmiRows());
    const result = await invoke({ huntId: WMI_ID });
    expect(result).toMatchObject({ huntId: WMI_ID, status: 'completed', notified: 8, suppressed: 1, belowMinSeverity: 3 });
    const published = sentDocuments(world.sns).slice(before);
    expect(published.every((p) => p['huntId'] === WMI_ID)).toBe(true);
    expect(published.map((p) => p['host']).sort()).toEqual(['APP03', 'DB01', 'DC01', 'FS02', 'FS04', 'FS05', 'HR05']);
    expect(JSON.stringify(published)).not.toContain('Winter2026!');
  }, 180_000);
});
