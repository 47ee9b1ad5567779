/**
 * Benign wmic use of the sample day: an SCCM software push (real remote process creation from
 * a management agent), an admin's patch and inventory script, local `process call create`
 * (`/node:localhost`, `/node:.`, no /node), and inventory agents running local wmic queries.
 */
import { SERVERS, SYSTEM_USER, WINDOWS_HOSTS, WORKSTATIONS } from './fleet.js';
import type { Host } from './fleet.js';
import { IMG, WMIC } from './images.js';
import type { Rng } from './prng.js';
import type { Proc, RowSink } from './rows.js';
import { writeWmiChild } from './target-side.js';

const MINUTE = 60_000;
const VPN_MSI = 'msiexec.exe /i \\"\\\\SCCM01\\SMS_PKG$\\CorpVPN\\CorpVPN-5.4.2-x64.msi\\" /qn /norestart REBOOT=ReallySuppress';
/** The push as the workstation runs it (wmic turns `\\"` into `"`). */
const VPN_MSI_ON_TARGET = VPN_MSI.replace(/\\"/g, '"');

/** How a workstation appears after /node: in the push: quoted (its name has hyphens), every fifth by IP. */
const nodeOf = (host: Host, index: number): string => (index % 5 === 4 ? host.ip : `"${host.name}"`);

/** Writes the benign wmic rows; `start` and `end` bound the sample window. */
export function writeAdminWmic(sink: RowSink, rng: Rng, start: number, end: number): void {
  const span = end - start;
  const anyTime = (): number => start + rng.int(0, span - 1);

  // SCCM pushes the VPN client to 20 workstations in the small hours, one wmic per target.
  const ccm: Proc = { image: IMG.ccmExec, cmd: 'C:\\Windows\\CCM\\CcmExec.exe', user: SYSTEM_USER };
  const pushStart = start + 3 * 60 * MINUTE;
  const targets = WORKSTATIONS.filter((w) => w.name !== 'WS-FIN-023').slice(0, 20);
  targets.forEach((ws, i) => {
    const line = `wmic /node:${nodeOf(ws, i)} process call create "${VPN_MSI}"`;
    const time = pushStart + i * 100_000 + rng.int(0, 60_000);
    sink.process({ host: SERVERS.SCCM01, time, action: { image: WMIC.disk, cmd: line, user: SYSTEM_USER }, actor: ccm, causality: ccm });
    writeWmiChild(sink, ws, time + rng.int(1_500, 6_000), IMG.msiexec, VPN_MSI_ON_TARGET, SYSTEM_USER);
  });

  // The admin's morning patch audit from the IT jump host, through a known NETLOGON script.
  const admin = SERVERS.ITADM.user;
  const script: Proc = { image: IMG.powershell, cmd: 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File \\\\corp.example\\NETLOGON\\IT\\Invoke-PatchAudit.ps1', user: admin };
  const wm = (cmd: string): Proc => ({ image: WMIC.upper, cmd: `"C:\\WINDOWS\\system32\\wbem\\WMIC.exe" ${cmd}`, user: admin });
  let t = start + 9 * 60 * MINUTE;
  const servers = [SERVERS.DC01, SERVERS.DC02, SERVERS.FS01, SERVERS.FS02, SERVERS.SQL01, SERVERS.APP01, SERVERS.BKP01];
  for (const s of servers) {
    t += rng.int(20_000, 90_000);
    sink.process({ host: SERVERS.ITADM, time: t, action: wm(`/node:${s.name} qfe list brief /format:csv`), actor: script, causality: script });
    t += rng.int(5_000, 20_000);
    sink.process({ host: SERVERS.ITADM, time: t, action: wm(`/node:${s.name} os get caption,version,lastbootuptime /format:list`), actor: script, causality: script });
  }
  for (const ws of WORKSTATIONS.slice(8, 11)) {
    t += rng.int(30_000, 120_000);
    sink.process({ host: SERVERS.ITADM, time: t, action: wm(`/node:"${ws.name}" product where "name like 'Java 8 Update%'" call uninstall /nointeractive`), actor: script, causality: script });
  }
  // Helpdesk forcing policy on two machines: remote process creation by an admin (a known false positive).
  const helpdesk: Proc = { image: IMG.cmd, cmd: '"C:\\Windows\\system32\\cmd.exe" ', user: admin };
  for (const ws of WORKSTATIONS.slice(20, 22)) {
    t += rng.int(10 * MINUTE, 40 * MINUTE);
    const cmd = `wmic /node:"${ws.name}" process call create "gpupdate.exe /target:computer /force"`;
    sink.process({ host: SERVERS.ITADM, time: t, action: { image: WMIC.lower, cmd, user: admin }, actor: helpdesk, causality: helpdesk });
    writeWmiChild(sink, ws, t + rng.int(1_500, 6_000), IMG.gpupdate, 'gpupdate.exe /target:computer /force', admin);
  }
  // Near misses: every seed substring but not a remote create, and remote verbs that are not create.
  const nearMisses = [
    `wmic /node:SQL01 process where "name='sqlservr.exe'" call getowner`,
    'wmic /node:FS01 process call create /?',
    `wmic /node:APP01 process where "name='w3wp.exe'" call terminate`,
    `wmic /node:"WS-MKT-004" service where "name='Spooler'" call startservice`,
    `wmic /node:FS01 logicaldisk where "DriveType=3" get caption,freespace,size`,
  ];
  for (const cmd of nearMisses) {
    t += rng.int(5 * MINUTE, 30 * MINUTE);
    sink.process({ host: SERVERS.ITADM, time: t, action: { image: WMIC.lower, cmd, user: admin }, actor: helpdesk, causality: helpdesk });
  }

  writeLocalCreates(sink, rng, anyTime);
  writeInventoryAgents(sink, rng, anyTime);
}

/** `process call create` that stays on the same host: logon scripts, `/node:.`, loopback, no /node. */
function writeLocalCreates(sink: RowSink, rng: Rng, anyTime: () => number): void {
  const logon: Proc = { image: IMG.cmd, cmd: 'C:\\Windows\\system32\\cmd.exe /c \\\\corp.example\\NETLOGON\\logon.cmd', user: SYSTEM_USER };
  for (const ws of WORKSTATIONS.filter((_, i) => i % 3 === 0)) {
    const shell: Proc = { ...logon, user: ws.user };
    const cmd = 'wmic /node:localhost process call create "C:\\Tools\\BgInfo\\Bginfo64.exe C:\\Tools\\BgInfo\\corp.bgi /timer:0 /silent /nolicprompt"';
    sink.process({ host: ws, time: anyTime(), action: { image: WMIC.lower, cmd, user: ws.user }, actor: shell, causality: shell });
  }
  const admin = SERVERS.ITADM.user;
  const shell: Proc = { image: IMG.cmd, cmd: '"C:\\Windows\\system32\\cmd.exe" ', user: admin };
  const lines = [
    'wmic /node:. process call create "notepad.exe C:\\Windows\\Temp\\patch-audit.log"',
    'WMIC /NODE:LOCALHOST PROCESS CALL CREATE "cmd.exe /c ipconfig /flushdns"',
    'wmic /node:127.0.0.1 process call create "C:\\Windows\\System32\\gpupdate.exe /force"',
    'wmic process call create notepad.exe',
    'wmic process list brief',
    'wmic process where "name=\'msedge.exe\'" get processid,commandline',
  ];
  for (const cmd of lines) {
    sink.process({ host: SERVERS.ITADM, time: anyTime(), action: { image: rng.pick([WMIC.lower, WMIC.disk]), cmd, user: admin }, actor: shell, causality: shell });
  }
  const dev = WORKSTATIONS.find((w) => w.name === 'WS-ENG-003') ?? SERVERS.ITADM;
  const devShell: Proc = { image: IMG.powershell, cmd: 'powershell.exe', user: dev.user };
  sink.process({ host: dev, time: anyTime(), action: { image: WMIC.disk, cmd: '"C:\\WINDOWS\\system32\\wbem\\WMIC.exe" process call create "notepad.exe"', user: dev.user }, actor: devShell, causality: devShell });
}

/** The asset agent's daily local queries on every Windows host. */
function writeInventoryAgents(sink: RowSink, rng: Rng, anyTime: () => number): void {
  const agent: Proc = { image: IMG.assetAgent, cmd: '"C:\\Program Files\\AssetScan\\asagent.exe" --service', user: SYSTEM_USER };
  const queries = [
    'wmic csproduct get uuid /value',
    'wmic bios get serialnumber /format:list',
    'wmic os get caption,version,buildnumber /value',
    'wmic logicaldisk get caption,freespace,size /format:csv',
    'wmic qfe list brief',
    'wmic product get name,version,vendor /format:csv',
  ];
  for (const host of WINDOWS_HOSTS) {
    const time = anyTime();
    const picks = rng.int(2, 3);
    for (let i = 0; i < picks; i += 1) {
      sink.process({ host, time: time + i * rng.int(1_500, 9_000), action: { image: WMIC.disk, cmd: rng.pick(queries), user: SYSTEM_USER }, actor: agent, causality: agent });
    }
  }
}
