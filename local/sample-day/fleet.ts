/**
 * The fictional estate of the sample day: corp.example (NetBIOS domain CORP), ~40 agents.
 * The fleet is fixed (not seeded) so host names, agent ids and users are stable across seeds.
 */
import { createHash } from 'node:crypto';

/** The Active Directory DNS domain of the sample estate. */
export const DOMAIN = 'corp.example';
/** The NetBIOS domain, as it appears in `CORP\user`. */
export const NETBIOS_DOMAIN = 'CORP';
/** The account Windows services run as. */
export const SYSTEM_USER = 'NT AUTHORITY\\SYSTEM';

export type HostRole = 'workstation' | 'server' | 'linux';

/** One endpoint with an XDR agent. */
export interface Host {
  /** `agent_hostname` as the agent reports it. */
  readonly name: string;
  readonly role: HostRole;
  readonly ip: string;
  /** The interactive user of a workstation, or the main service account of a server (`CORP\x`, `root`). */
  readonly user: string;
  /** 32 lowercase hex digits, derived from the name so it never changes. */
  readonly agentId: string;
}

/** A process image: file name as telemetry shows it, and full path. */
export interface Image {
  readonly name: string;
  readonly path: string;
}

/** Stable fake SHA-256 of an image: the digest of its path, so the same binary always hashes alike. */
export function sha256Of(image: Image): string {
  return createHash('sha256').update(`sample-day:${image.path.toLowerCase()}`).digest('hex');
}

function agentIdOf(name: string): string {
  return createHash('sha256').update(`agent:${name}`).digest('hex').slice(0, 32);
}

const FIRST = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w'];
const LAST = [
  'novak', 'schmidt', 'okafor', 'lindqvist', 'moreau', 'tanaka', 'brennan', 'costa', 'haddad', 'ivanova',
  'jensen', 'kowalski', 'larsen', 'mendes', 'nakamura', 'oconnor', 'petrov', 'quinn', 'rossi', 'silva',
  'thorne', 'umarov', 'vidal', 'weber', 'yilmaz', 'zimmer', 'abbott', 'baptiste', 'chen',
];

function workstation(dept: string, n: number, index: number): Host {
  const name = `WS-${dept}-${String(n).padStart(3, '0')}`;
  const user = `${NETBIOS_DOMAIN}\\${FIRST[index % FIRST.length] ?? 'x'}.${LAST[index % LAST.length] ?? 'user'}`;
  return { name, role: 'workstation', ip: `10.30.${10 + (index % 5)}.${20 + index}`, user, agentId: agentIdOf(name) };
}

function server(name: string, ip: string, account: string): Host {
  return { name, role: 'server', ip, user: account, agentId: agentIdOf(name) };
}

function linux(name: string, ip: string, user: string): Host {
  return { name, role: 'linux', ip, user, agentId: agentIdOf(name) };
}

/** The compromised finance workstation where the intrusion starts. */
export const PATIENT_ZERO: Host = {
  name: 'WS-FIN-023',
  role: 'workstation',
  ip: '10.30.12.87',
  user: `${NETBIOS_DOMAIN}\\m.keller`,
  agentId: agentIdOf('WS-FIN-023'),
};

const DEPARTMENTS: ReadonlyArray<readonly [string, number]> = [['FIN', 7], ['HR', 5], ['MKT', 6], ['ENG', 8], ['EXEC', 2]];

/** Every workstation, patient zero included. */
export const WORKSTATIONS: readonly Host[] = (() => {
  const out: Host[] = [];
  for (const [dept, count] of DEPARTMENTS) {
    for (let n = 1; n <= count; n += 1) out.push(workstation(dept, n, out.length));
  }
  out.push(PATIENT_ZERO);
  return out;
})();

const svc = (name: string): string => `${NETBIOS_DOMAIN}\\${name}`;

/** Windows servers by short name. */
export const SERVERS = {
  DC01: server('DC01', '10.20.0.10', SYSTEM_USER),
  DC02: server('DC02', '10.20.0.11', SYSTEM_USER),
  SCCM01: server('SCCM01', '10.20.0.25', SYSTEM_USER),
  FS01: server('FS01', '10.20.1.21', SYSTEM_USER),
  FS02: server('FS02', '10.20.1.22', SYSTEM_USER),
  SQL01: server('SQL01', '10.20.1.30', svc('svc_sql')),
  APP01: server('APP01', '10.20.1.35', svc('svc_app')),
  BKP01: server('BKP01', '10.20.1.40', svc('svc_backup')),
  ITADM: server('IT-ADM-01', '10.20.0.50', svc('adm.jlee')),
} as const;

/** Linux agents (web tier, database, jump host). */
export const LINUX_HOSTS: readonly Host[] = [
  linux('web01', '10.40.0.11', 'www-data'),
  linux('web02', '10.40.0.12', 'www-data'),
  linux('lnx-db01', '10.40.0.21', 'postgres'),
  linux('jump01', '10.40.0.5', 'root'),
];

/** Every Windows agent. */
export const WINDOWS_HOSTS: readonly Host[] = [...WORKSTATIONS, ...Object.values(SERVERS)];

/**
 * A sales laptop whose agent was off the network during the attack and uploaded its events hours
 * later (laptop.ts). Not in WORKSTATIONS: the day's ordinary noise is the same with or without it.
 */
export const OFFLINE_LAPTOP: Host = {
  name: 'LT-SLS-07',
  role: 'workstation',
  ip: '10.30.40.57',
  user: `${NETBIOS_DOMAIN}\\r.quinn`,
  agentId: agentIdOf('LT-SLS-07'),
};
