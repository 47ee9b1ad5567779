/**
 * The target-side finding joins the wmic pair's incident as its evidence, through the built
 * handler over DynamoDB Local, the local XSIAM and the SNS stand-in:
 * 1. the WMIC hunt notifies WS01 → FS03 `not-seen` (FS03 reports to XSIAM, its WmiPrvSE.exe child
 *    has not arrived yet) and stores the pair and its incident;
 * 2. the child arrives; the target-side hunt runs over a window that holds the child but not the
 *    wmic launch (so only the stored pair can explain it): no target-side alert for FS03, the
 *    incident records the child as evidence, and the pair gets its one follow-up, confirmed;
 * 3. a child no stored pair explains (HR05, an unmanaged caller) is notified as its own finding;
 * 4. runs again send nothing twice.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENV } from '../../lambda/config.js';
import { DynamoStateStore } from '../../lambda/state/index.js';
import type { EventRow } from '../../local/xsiam/index.js';
import { localClient } from '../state/dynamo-support.js';
import { invokeBundle, sentDocuments, startBundleWorld, type BundleWorld } from '../support/bundle.js';

const WMIC = 'HuntQuery-Windows-WMIC-RemoteExec';
const TARGET_SIDE = 'HuntQuery-Windows-WMI-RemoteExec-TargetSide';
const MIN = 60_000;
let world: BundleWorld;
const LAUNCH = Date.now() - 40 * MIN;

const windows = { event_type: 'PROCESS', event_sub_type: 'PROCESS_START', agent_os_type: 'AGENT_OS_WINDOWS', _product: 'XDR agent' };
const wmiprvse = {
  actor_process_image_name: 'WmiPrvSE.exe', actor_process_image_path: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
  actor_process_command_line: 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding',
  causality_actor_process_command_line: 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding',
};

/** FS03's ordinary service start: its agent reports to XSIAM (get_endpoint finds it). Sysmon/XDR: services.exe starts svchost.exe -k <group>. */
const fs03Service: EventRow = {
  ...windows, _time: LAUNCH - 50 * MIN, event_id: 'join-fs03-svc', agent_hostname: 'FS03', agent_id: '03030303030303030303030303030fs3',
  action_process_image_name: 'svchost.exe', action_process_image_path: 'C:\\Windows\\System32\\svchost.exe',
  action_process_image_command_line: 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p', actor_process_image_name: 'services.exe',
  actor_process_image_path: 'C:\\Windows\\System32\\services.exe', actor_process_command_line: 'C:\\Windows\\system32\\services.exe',
  actor_effective_username: 'NT AUTHORITY\\SYSTEM', causality_actor_primary_username: 'NT AUTHORITY\\SYSTEM',
};
/** The seed's launch (docs/reference: the Chaos RaaS wmic /node … process call create, /password typed on the line). */
const launch: EventRow = {
  ...windows, _time: LAUNCH, event_id: 'join-ws01-wmic', agent_hostname: 'WS01', agent_id: '01010101010101010101010101010ws1',
  action_process_image_name: 'wmic.exe', action_process_image_path: 'C:\\Windows\\System32\\wbem\\WMIC.exe',
  action_process_image_command_line: 'wmic.exe /node:FS03 /user:"CORP\\adm-k" /password:Winter2026! process call create "cmd.exe /c C:\\ProgramData\\stage.bat"',
  actor_process_image_name: 'cmd.exe', actor_process_image_path: 'C:\\Windows\\System32\\cmd.exe', actor_process_command_line: 'cmd.exe',
  actor_effective_username: 'CORP\\adm-k', causality_actor_primary_username: 'CORP\\adm-k', causality_actor_process_command_line: 'cmd.exe',
};
/**
 * The seed's "Event on Target": Win32_Process.Create hands the command line to CreateProcess as given, under WmiPrvSE.exe
 * (https://learn.microsoft.com/windows/win32/cimwin32prov/create-method-in-class-win32-process). 150 s after the launch: a
 * busy target, inside the confirmation's follow window (lambda/confirm/range.ts: up to 5 min after).
 */
const child: EventRow = {
  ...windows, ...wmiprvse, _time: LAUNCH + 150_000, event_id: 'join-fs03-child', agent_hostname: 'FS03', agent_id: fs03Service.agent_id,
  action_process_image_name: 'cmd.exe', action_process_image_path: 'C:\\Windows\\System32\\cmd.exe',
  action_process_image_command_line: 'cmd.exe /c C:\\ProgramData\\stage.bat',
  actor_effective_username: 'CORP\\adm-k', causality_actor_primary_username: 'CORP\\adm-k',
};
/** No stored pair: a payload DLL started over WMI from an unmanaged caller (MITRE ATT&CK T1047 procedures, https://attack.mitre.org/techniques/T1047/). */
const unexplained: EventRow = {
  ...windows, ...wmiprvse, _time: LAUNCH + 10 * MIN, event_id: 'join-hr05-child', agent_hostname: 'HR05', agent_id: '05050505050505050505050505050hr5',
  action_process_image_name: 'rundll32.exe', action_process_image_path: 'C:\\Windows\\System32\\rundll32.exe',
  action_process_image_command_line: 'rundll32.exe C:\\Windows\\Temp\\d3d11.dll,Start',
  actor_effective_username: 'CORP\\svc-sql', causality_actor_primary_username: 'CORP\\svc-sql',
};

beforeAll(async () => {
  world = await startBundleWorld('target-join', inject('dynamoDbEndpoint'));
}, 120_000);
afterAll(async () => world?.close());

function invoke(huntId: string, lookbackMinutes: number): Promise<Record<string, unknown>> {
  return invokeBundle(world.dir, { huntId }, world.env({ [ENV.initialLookbackMinutes]: String(lookbackMinutes), [ENV.confirmTargets]: 'true' }));
}

const sent = (): Record<string, unknown>[] => sentDocuments(world.sns);

describe('a target-side finding a stored wmic pair explains', () => {
  it('joins the pair\'s incident as its evidence and confirms the pair (one follow-up); an unexplained one is its own alert; nothing is sent twice', async () => {
    world.events.push(fs03Service, launch);
    const wmic = await invoke(WMIC, 120);
    expect(wmic).toMatchObject({ huntId: WMIC, status: 'completed', notified: 1, notSeen: 1 });
    expect(sent()).toHaveLength(1);

    // The target's events arrive (its agent uploads late). The target-side hunt's first window
    // starts 38 min back: after the launch (40 min back), before the child (37.5 min back).
    world.events.push(child, unexplained);
    const target = await invoke(TARGET_SIDE, 38);
    expect(target).toMatchObject({ huntId: TARGET_SIDE, status: 'completed', notified: 1, suppressed: 1, joinedEvidence: 1, followUps: 1 });
    const messages = sent().slice(1);
    expect(messages).toHaveLength(2);
    const own = messages.find((m) => m['huntId'] === TARGET_SIDE)!;
    expect(own['host']).toBe('HR05');
    const update = messages.find((m) => m['huntId'] === WMIC)!;
    expect(update).toMatchObject({ followUp: true, host: 'WS01' });
    expect(JSON.stringify(update)).toContain('"status":"confirmed"');
    expect(JSON.stringify(messages)).not.toContain('Winter2026!');

    const store = new DynamoStateStore({ client: localClient(inject('dynamoDbEndpoint')), tableName: world.tableName });
    const [incident] = await store.readIncidents(WMIC, ['fs03'], Date.now());
    expect(incident?.evidence).toEqual([expect.objectContaining({
      huntId: TARGET_SIDE, host: 'FS03', commandLine: 'cmd.exe /c C:\\ProgramData\\stage.bat', eventIds: ['join-fs03-child'],
      pairFingerprint: incident!.pairs[0]!.fingerprint,
    })]);
    const [pair] = await store.readPairs(WMIC, [incident!.pairs[0]!.fingerprint], Date.now());
    expect(pair?.sent?.followUpSent).not.toBeNull();
    expect(await store.readAwaiting(WMIC, Date.now(), 60 * MIN)).toEqual([]);

    // Overlap re-reads: the evidence is not repeated, no follow-up and no alert goes out again.
    expect(await invoke(TARGET_SIDE, 38)).toMatchObject({ notified: 0, followUps: 0 });
    expect(await invoke(WMIC, 120)).toMatchObject({ notified: 0, followUps: 0 });
    expect(sent()).toHaveLength(3);
    expect((await store.readIncidents(WMIC, ['fs03'], Date.now()))[0]?.evidence).toHaveLength(1);
  }, 240_000);
});
