/**
 * Target confirmation against the local XSIAM's endpoints as the real Get Endpoint API answers them
 * (statuses, IPv6 addresses), in whole runs: DynamoDB Local for state and the awaiting list, the
 * local XSIAM for the hunt query, the confirmation query and get_endpoint, the real detector and
 * SnsNotifier over the SDK-faked SNS client.
 * - an IPv6 /node: target is found by `agent_ip_addresses_v6` and the endpoint's `ipv6` addresses;
 * - a DISCONNECTED or LOST agent's silence is `unavailable` (its status in the detail) and the pair
 *   waits on the awaiting list: once the agent reconnects and uploads, one follow-up goes out;
 * - an UNINSTALLED agent is no agent: the target is `unmanaged`.
 */
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunPorts } from '../../lambda/run/index.js';
import type { EndpointStatus } from '../../local/xsiam/index.js';
import { startConfirmHarness } from '../confirm/confirm-harness.js';
import { child, noise, type Agent } from '../confirm/fixture.js';
import { MIN, T0, snsMock, wmicRow, type Harness } from './harness.js';

const SEC = 1000;
// An encoded PowerShell stager as Empire launches it (ATT&CK S0363): critical whatever else.
const PAYLOAD = 'powershell.exe -noP -sta -w 1 -enc SQBFAFgA';
const attack = (target: string): string => `wmic /node:"${target}" process call create "${PAYLOAD}"`;

// Dual-stack servers: xdr_data keeps the IPv4 addresses in agent_ip_addresses and the IPv6 ones in
// agent_ip_addresses_v6 (stix-shifter's Palo Alto mapping: `ipv6-addr | value | agent_ip_addresses_v6`).
const FS06: Agent = { id: 'b0000000000000000000000000000006', name: 'FS06', ip: ['10.1.1.26'] };
const APP07: Agent = { id: 'b0000000000000000000000000000007', name: 'APP07', ip: ['10.1.1.27'] };
const V6 = { FS06: 'fd00:10:1:1::26', APP07: 'fd00:10:1:1::27' };
const dualStack = (agent: Agent, v6: string) => ({ agent_ip_addresses_v6: [v6], agent_ip_addresses: agent.ip });

interface Doc {
  targetHost: string;
  followUp?: boolean;
  fingerprint: string;
  confirmation: { status: string; detail: string; eventId: string | null; agentId: string | null; agentHostname: string | null } | null;
}

const sent = (): Doc[] => snsMock.commandCalls(PublishBatchCommand).flatMap((c) => (c.args[0].input.PublishBatchRequestEntries ?? [])
  .map((e) => JSON.parse((JSON.parse(e.Message ?? '{}') as { default: string }).default) as Doc));

let h: Harness;
let ports: Partial<RunPorts>;
beforeEach(async () => {
  ({ h, ports } = await startConfirmHarness());
});
afterEach(async () => h.close());

describe('an IPv6 /node: target', () => {
  it('is confirmed from the target\'s v6 address, and found managed by the endpoint\'s v6 address when nothing started', async () => {
    const launch = T0 - 60 * MIN;
    h.events.push(
      wmicRow(launch, 'WS-A', attack(V6.FS06)),
      child(FS06, launch + 3 * SEC, PAYLOAD, { event_id: 'v6-target-evt', ...dualStack(FS06, V6.FS06) }),
      // APP07 reports to XSIAM (v6 only in its endpoint record and rows), but nothing started there
      wmicRow(launch, 'WS-B', attack(V6.APP07)),
      noise(APP07, launch - 10 * MIN),
    );
    Object.assign(h.events.at(-1)!, dualStack(APP07, V6.APP07));

    const summary = await h.run(ports);
    expect(summary).toMatchObject({ notified: 2, confirmed: 1, notSeen: 1, unmanaged: 0, confirmQueries: 1 });
    const byTarget = Object.fromEntries(sent().map((d) => [d.targetHost, d.confirmation]));
    expect(byTarget[V6.FS06]).toMatchObject({ status: 'confirmed', eventId: 'v6-target-evt', agentHostname: 'FS06' });
    // only the endpoint's `ipv6` field names APP07 for this address: read, it is managed (not-seen), not a blind spot
    expect(byTarget[V6.APP07]).toMatchObject({ status: 'not-seen', agentId: APP07.id, agentHostname: 'APP07' });
  });
});

describe('an IPv6 /node: target written in full', () => {
  it('is asked for in its RFC 5952 form too, the form the agent reports, and confirmed', async () => {
    const launch = T0 - 60 * MIN;
    h.events.push(
      wmicRow(launch, 'WS-A', attack('FD00:10:1:1:0:0:0:26')),
      child(FS06, launch + 3 * SEC, PAYLOAD, { event_id: 'v6-full-evt', ...dualStack(FS06, V6.FS06) }),
    );
    expect(await h.run(ports)).toMatchObject({ notified: 1, confirmed: 1 });
    expect(sent()[0]!.confirmation).toMatchObject({ status: 'confirmed', eventId: 'v6-full-evt', agentId: FS06.id });
  });
});

describe('an agent whose silence proves nothing', () => {
  it.each<EndpointStatus>(['DISCONNECTED', 'LOST'])('%s: unavailable with the status, then one follow-up once it reconnects and uploads', async (status) => {
    // Launched 20 minutes before the first run: no later run reads the launch again, so only the
    // awaiting list brings the pair back.
    const launch = T0 - 20 * MIN;
    h.events.push(
      wmicRow(launch, 'WS-A', attack('fs06')),
      noise(FS06, launch - 2 * 60 * MIN),
      // The target did start the payload, but its agent holds the event until it reconnects.
      child(FS06, launch + 4 * SEC, PAYLOAD, { event_id: 'held-back-evt', _insert_time: T0 + 10 * MIN }),
    );
    h.xsiam.setEndpointStatus(FS06.id, status);

    expect(await h.run(ports)).toMatchObject({ notified: 1, unavailable: 1, notSeen: 0 });
    const [first] = sent();
    expect(first!.confirmation).toMatchObject({ status: 'unavailable', agentId: FS06.id });
    expect(first!.confirmation!.detail).toContain(`agent is ${status}`);
    const awaiting = await h.state.readAwaiting!('HuntQuery-Windows-WMIC-RemoteExec', T0, h.settings.confirmHorizonMs);
    expect(awaiting.map((a) => a.fingerprint)).toEqual([first!.fingerprint]);

    // Still silent a run later: nothing is sent, the pair keeps waiting.
    h.clock.now = T0 + 5 * MIN;
    expect(await h.run(ports)).toMatchObject({ followUps: 0 });
    expect(sent()).toHaveLength(1);

    // The agent reconnects and its events arrive.
    h.xsiam.setEndpointStatus(FS06.id, 'CONNECTED');
    h.clock.now = T0 + 15 * MIN;
    expect(await h.run(ports)).toMatchObject({ followUps: 1 });
    expect(sent()).toHaveLength(2);
    expect(sent()[1]).toMatchObject({ followUp: true, fingerprint: first!.fingerprint, confirmation: { status: 'confirmed', eventId: 'held-back-evt' } });

    h.clock.now = T0 + 30 * MIN;
    expect(await h.run(ports)).toMatchObject({ followUps: 0 });
    expect(sent()).toHaveLength(2);
  });

  it('UNINSTALLED: no agent any more, the target is a blind spot (unmanaged)', async () => {
    const launch = T0 - 60 * MIN;
    h.events.push(wmicRow(launch, 'WS-A', attack('fs06')), noise(FS06, launch - 2 * 24 * 60 * MIN));
    h.xsiam.setEndpointStatus(FS06.id, 'UNINSTALLED');
    expect(await h.run(ports)).toMatchObject({ notified: 1, unmanaged: 1 });
    expect(sent()[0]!.confirmation).toMatchObject({ status: 'unmanaged' });
  });
});
