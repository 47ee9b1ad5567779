/** Small xdr_data rows and pairs for the confirmation tests. */
import type { ConfirmPair } from '../../lambda/confirm/index.js';

export const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
export const SEC = 1000;
export const MIN = 60 * SEC;

export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly ip: string | string[];
}

export const AGENTS = {
  fs01: { id: 'a0000000000000000000000000000001', name: 'FS01', ip: ['10.1.1.21'] },
  sql01: { id: 'a0000000000000000000000000000002', name: 'SQL01', ip: '10.1.1.30' },
  app01: { id: 'a0000000000000000000000000000003', name: 'APP01', ip: ['10.1.1.35'] },
  trap: { id: 'a0000000000000000000000000000004', name: 'BKP02', ip: ['10.1.1.50', 'fe80::1'] },
  ws: { id: 'a0000000000000000000000000000005', name: 'WS-FIN-023', ip: ['10.30.12.87'] },
} as const satisfies Record<string, Agent>;

let seq = 0;

/** A process start on `agent` whose parent is `parent` (WmiPrvSE.exe unless told otherwise). */
export function child(agent: Agent, time: number, commandLine: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  const first = commandLine.startsWith('"') ? commandLine.slice(1, commandLine.indexOf('"', 1)) : commandLine.split(' ')[0] ?? '';
  return {
    _time: time, event_id: `evt-${agent.name}-${seq}`, agent_id: agent.id, agent_hostname: agent.name, agent_ip_addresses: agent.ip,
    agent_os_type: 'AGENT_OS_WINDOWS', event_type: 'PROCESS', event_sub_type: 'PROCESS_START',
    action_process_image_name: first.slice(first.lastIndexOf('\\') + 1), action_process_image_path: first,
    action_process_image_command_line: commandLine, action_process_username: 'CORP\\svc_backup',
    actor_process_image_name: 'WmiPrvSE.exe', actor_process_image_path: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
    ...over,
  };
}

/** Any other event of `agent` (it reports to XSIAM). */
export function noise(agent: Agent, time: number): Record<string, unknown> {
  return child(agent, time, 'C:\\Windows\\System32\\svchost.exe -k netsvcs', { actor_process_image_name: 'services.exe' });
}

export function pair(targetHost: string, remoteCommand: string | null, firstSeen = T0, lastSeen = firstSeen): ConfirmPair {
  return { fingerprint: `fp-${targetHost}-${firstSeen}`, targetHost, remoteCommand, firstSeen, lastSeen };
}
