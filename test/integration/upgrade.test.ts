/**
 * A deployment upgraded from the version before tenants: its table holds the items that version
 * wrote (test/fixtures/state/previous-version.json, keys as literal strings below), and the new
 * built handler runs over it (DynamoDB Local, the local XSIAM, the SNS stand-in). It reads the
 * checkpoint, pairs, incidents and the awaiting list where they are: nothing is sent twice, the
 * checkpoint continues, a new pair joins the stored incident, and the stored not-seen pair gets its
 * one follow-up when its target's event arrives.
 */
import { readFileSync } from 'node:fs';
import { PutCommand, ScanCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENV } from '../../lambda/config.js';
import type { EventRow } from '../../local/xsiam/index.js';
import { localClient } from '../state/dynamo-support.js';
import { invokeBundle, sentDocuments, startBundleWorld, type BundleWorld } from '../support/bundle.js';

const WMIC = 'HuntQuery-Windows-WMIC-RemoteExec';
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** The keys the previous version wrote, captured from its key builders (lambda/state/keys.ts at 2457c6f) before tenants. */
const PREVIOUS_KEYS = [
  'HIT#HuntQuery-Windows-WMIC-RemoteExec#bacf08419f1981825ad8b27936fcab89e22256fdadc3f3b82a1fd0b775207a3e',
  'INC#HuntQuery-Windows-WMIC-RemoteExec#INC-98D70FB72D',
  'INCHOST#HuntQuery-Windows-WMIC-RemoteExec#ws01',
  'INCHOST#HuntQuery-Windows-WMIC-RemoteExec#fs03',
  'AWAIT#HuntQuery-Windows-WMIC-RemoteExec',
  'HIST#HuntQuery-Windows-WMIC-RemoteExec#COVERAGE',
  'HIST#HuntQuery-Windows-WMIC-RemoteExec#HOST#ws01',
  'HIST#HuntQuery-Windows-WMIC-RemoteExec#USER#corp\\adm-k',
  'CHECKPOINT#HuntQuery-Windows-WMIC-RemoteExec',
  'SWEEP#HuntQuery-Windows-WMIC-RemoteExec#full',
  'LEASE#HuntQuery-Windows-WMIC-RemoteExec',
  'PACE#sns',
];
const fixture = JSON.parse(readFileSync(new URL('../fixtures/state/previous-version.json', import.meta.url), 'utf8')) as { generatedAt: number; items: Record<string, unknown>[] };

/** `value` with its times moved by `deltaMs`: epoch ms, `expiresAt` (epoch seconds) and history `days` (UTC day numbers). */
function moved(value: unknown, deltaMs: number, key = ''): unknown {
  if (Array.isArray(value)) return key === 'days' ? value.map((d) => (d as number) + Math.round(deltaMs / DAY)) : value.map((v) => moved(v, deltaMs));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, moved(v, deltaMs, k)]));
  if (typeof value !== 'number') return value;
  if (key === 'expiresAt') return value + Math.round(deltaMs / 1000);
  return value >= 1e12 ? value + deltaMs : value;
}

let world: BundleWorld;
let doc: DynamoDBDocumentClient;
// The previous version's run happened 12 minutes ago: its launch 52 min ago, its checkpoint 17 min ago.
const NOW = Date.now();
const DELTA = NOW - 12 * MIN - fixture.generatedAt;
const LAUNCH = fixture.generatedAt + DELTA - 40 * MIN;
const windows = { event_type: 'PROCESS', event_sub_type: 'PROCESS_START', agent_os_type: 'AGENT_OS_WINDOWS', _product: 'XDR agent' };
/** The rows of the previous version's run (the seed's launch, FS03's service start), then what came since. */
const wmic = (eventId: string, time: number, target: string, creds: string): EventRow => ({
  ...windows, _time: time, event_id: eventId, agent_hostname: 'WS01', agent_id: '01010101010101010101010101010ws1',
  action_process_image_name: 'wmic.exe', action_process_image_path: 'C:\\Windows\\System32\\wbem\\WMIC.exe',
  action_process_image_command_line: `wmic.exe /node:${target}${creds} process call create "cmd.exe /c C:\\ProgramData\\stage.bat"`,
  actor_process_image_name: 'cmd.exe', actor_process_command_line: 'cmd.exe', actor_effective_username: 'CORP\\adm-k', causality_actor_primary_username: 'CORP\\adm-k',
});
const CREDS = ' /user:"CORP\\adm-k" /password:Winter2026!';
const rows: EventRow[] = [
  { ...windows, _time: LAUNCH - 50 * MIN, event_id: 'prev-fs03-svc', agent_hostname: 'FS03', agent_id: '03030303030303030303030303030fs3',
    action_process_image_name: 'svchost.exe', action_process_image_command_line: 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p',
    actor_process_image_name: 'services.exe', actor_effective_username: 'NT AUTHORITY\\SYSTEM' },
  wmic('prev-ws01-wmic', LAUNCH, 'FS03', CREDS),
  // Since the upgrade: the operator runs the same launch again (a repeat of the stored pair) and a new one to FS07.
  wmic('upg-ws01-wmic-2', NOW - 25 * MIN, 'FS03', CREDS),
  wmic('upg-ws01-wmic-3', NOW - 20 * MIN, 'FS07', ''),
  // FS03's agent uploads late: WmiPrvSE.exe started the command 3 s after the first launch
  // (Win32_Process.Create, https://learn.microsoft.com/windows/win32/cimwin32prov/create-method-in-class-win32-process).
  { ...windows, _time: LAUNCH + 3_000, event_id: 'upg-fs03-child', agent_hostname: 'FS03', agent_id: '03030303030303030303030303030fs3',
    action_process_image_name: 'cmd.exe', action_process_image_command_line: 'cmd.exe /c C:\\ProgramData\\stage.bat',
    actor_process_image_name: 'WmiPrvSE.exe', actor_process_command_line: 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding',
    actor_effective_username: 'CORP\\adm-k' },
];

beforeAll(async () => {
  world = await startBundleWorld('upgrade', inject('dynamoDbEndpoint'));
  doc = DynamoDBDocumentClient.from(localClient(inject('dynamoDbEndpoint')));
  for (const item of fixture.items) await doc.send(new PutCommand({ TableName: world.tableName, Item: moved(item, DELTA) as Record<string, unknown> }));
  world.events.push(...rows);
}, 120_000);
afterAll(async () => world?.close());

// The previous version's 10-minute overlap: its window re-reads the stored pair's event (a repeat).
const invoke = (): Promise<Record<string, unknown>> => invokeBundle(world.dir, { huntId: WMIC }, world.env({ [ENV.confirmTargets]: 'true', [ENV.overlapMinutes]: '10' }));
const item = async (pk: string): Promise<Record<string, unknown> | undefined> =>
  (await doc.send(new ScanCommand({ TableName: world.tableName }))).Items?.find((i) => i['pk'] === pk);

describe('an upgrade from the version before tenants', () => {
  it('reads the stored items under their keys: nothing sent twice, the checkpoint continues, the stored incident and awaiting pair carry on', async () => {
    expect(fixture.items.map((i) => i['pk'])).toEqual(PREVIOUS_KEYS);
    const before = await item('CHECKPOINT#HuntQuery-Windows-WMIC-RemoteExec');

    const run = await invoke();
    expect(run).toMatchObject({ huntId: WMIC, status: 'completed', chunks: 1, newPairs: 1, repeats: 1, notified: 1, followUps: 1 });
    const sent = sentDocuments(world.sns);
    expect(sent).toHaveLength(2);
    const fresh = sent.find((m) => m['followUp'] !== true)!;
    // The new pair joins the incident the previous version stored (same id, its chain extended).
    expect(fresh['incident']).toMatchObject({ id: 'INC-98D70FB72D', chain: ['WS01', 'fs03', 'fs07'], pairCount: 2 });
    expect((fresh['pairs'] as { targetHost: string }[]).map((p) => p.targetHost)).toEqual(['fs07']);
    // The stored not-seen pair is confirmed now that FS03's event arrived: its one follow-up.
    const update = sent.find((m) => m['followUp'] === true)!;
    expect(update).toMatchObject({ targetHost: 'fs03' });
    expect(JSON.stringify(update)).toContain('"status":"confirmed"');

    // The checkpoint continued from where the previous version left it (same item, next version).
    const after = await item('CHECKPOINT#HuntQuery-Windows-WMIC-RemoteExec');
    expect(after?.['version']).toBe((before?.['version'] as number) + 1);
    expect(after?.['coveredUntil'] as number).toBeGreaterThan(before?.['coveredUntil'] as number);
    expect(run['window']).toMatchObject({ from: (before?.['coveredUntil'] as number) - 10 * MIN });
    expect((await item(PREVIOUS_KEYS[0]!))?.['count']).toBe(2);

    // Again: nothing new is sent, and the new version wrote no key of its own for the default tenant.
    expect(await invoke()).toMatchObject({ notified: 0, followUps: 0 });
    expect(sentDocuments(world.sns)).toHaveLength(2);
    const keys = ((await doc.send(new ScanCommand({ TableName: world.tableName }))).Items ?? []).map((i) => String(i['pk']));
    expect(keys.filter((k) => k.startsWith('T#'))).toEqual([]);
    expect(keys.filter((k) => k.includes('INC-') && !k.includes('INC-98D70FB72D'))).toEqual([]);
  }, 240_000);
});
