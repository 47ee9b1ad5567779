/**
 * Ordinary endpoint activity: browsers, Office, Windows services, server workloads, file writes,
 * network connections and Linux agents. None of it involves wmic; it is what the filter discards.
 */
import { LINUX_HOSTS, SERVERS, SYSTEM_USER, WINDOWS_HOSTS } from './fleet.js';
import type { Host } from './fleet.js';
import { IMG, LNX } from './images.js';
import type { Rng } from './prng.js';
import type { Proc, RowSink } from './rows.js';

/** A process start: parent, child and the causality owner, built for one host. */
type Template = (host: Host, rng: Rng) => { actor: Proc; action: Proc; causality: Proc };

const svcHost = (group: string, service: string): Proc => ({ image: IMG.svchost, cmd: `C:\\Windows\\system32\\svchost.exe -k ${group} -p -s ${service}`, user: SYSTEM_USER });
const servicesExe: Proc = { image: IMG.services, cmd: 'C:\\Windows\\system32\\services.exe', user: SYSTEM_USER };
const dcomLaunch = svcHost('DcomLaunch', 'DcomLaunch');

const userApps: readonly Template[] = [
  (h, r) => {
    const chrome: Proc = { image: IMG.chrome, cmd: `"${IMG.chrome.path}" `, user: h.user };
    const child: Proc = { image: IMG.chrome, cmd: `"${IMG.chrome.path}" --type=renderer --lang=en-US --renderer-client-id=${r.int(5, 400)} --time-ticks-at-unix-epoch=-${r.int(1e15, 2e15)} --launch-time-ticks=${r.int(1e9, 9e9)} --field-trial-handle=${r.int(1000, 9999)},i,${r.hex(16)}`, user: h.user };
    return { actor: chrome, action: child, causality: chrome };
  },
  (h, r) => {
    const edge: Proc = { image: IMG.msedge, cmd: `"${IMG.msedge.path}" --profile-directory=Default`, user: h.user };
    const child: Proc = { image: IMG.msedge, cmd: `"${IMG.msedge.path}" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none --mojo-platform-channel-handle=${r.int(2000, 9000)}`, user: h.user };
    return { actor: edge, action: child, causality: edge };
  },
  (h) => {
    const explorer: Proc = { image: IMG.explorer, cmd: 'C:\\Windows\\Explorer.EXE', user: h.user };
    const app = [IMG.outlook, IMG.teams, IMG.oneDrive][h.name.length % 3] ?? IMG.outlook;
    const action: Proc = { image: app, cmd: app === IMG.oneDrive ? `"${app.path}" /background` : `"${app.path}" `, user: h.user };
    return { actor: explorer, action, causality: action };
  },
  (h, r) => {
    const explorer: Proc = { image: IMG.explorer, cmd: 'C:\\Windows\\Explorer.EXE', user: h.user };
    const doc = `C:\\Users\\${h.user.split('\\')[1] ?? 'user'}\\Documents\\${r.pick(['forecast', 'timesheet', 'headcount', 'campaign'])}_${r.int(1, 12)}.xlsx`;
    const action: Proc = { image: IMG.excel, cmd: `"${IMG.excel.path}" "${doc}"`, user: h.user };
    return { actor: explorer, action, causality: action };
  },
];

const windowsServices: readonly Template[] = [
  (h) => ({ actor: dcomLaunch, action: { image: IMG.runtimeBroker, cmd: 'C:\\Windows\\System32\\RuntimeBroker.exe -Embedding', user: h.role === 'workstation' ? h.user : SYSTEM_USER }, causality: dcomLaunch }),
  (h, r) => ({ actor: dcomLaunch, action: { image: IMG.backgroundTaskHost, cmd: `"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountProvider${r.pick(['', 'Ex'])}`, user: h.role === 'workstation' ? h.user : SYSTEM_USER }, causality: dcomLaunch }),
  () => ({ actor: dcomLaunch, action: { image: IMG.wmiPrvSe, cmd: 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', user: 'NT AUTHORITY\\NETWORK SERVICE' }, causality: dcomLaunch }),
  (_h, r) => {
    const svc = svcHost(r.pick(['netsvcs', 'LocalServiceNetworkRestricted', 'NetworkService']), r.pick(['BITS', 'Schedule', 'Dnscache', 'W32Time', 'wuauserv']));
    return { actor: servicesExe, action: svc, causality: svc };
  },
  () => {
    const sched = svcHost('netsvcs', 'Schedule');
    return { actor: sched, action: { image: IMG.taskhostw, cmd: 'taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly', user: SYSTEM_USER }, causality: sched };
  },
  () => {
    const search: Proc = { image: IMG.searchProtocolHost, cmd: '"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe1_ Global\\UsGthrCtrlFltPipeMssGthrPipe1 1 -2147483646 "Software\\Microsoft\\Windows Search"', user: SYSTEM_USER };
    return { actor: { image: IMG.svchost, cmd: 'C:\\Windows\\system32\\SearchIndexer.exe /Embedding', user: SYSTEM_USER }, action: search, causality: search };
  },
  () => {
    const defender = svcHost('netsvcs', 'WinDefend');
    return { actor: defender, action: { image: IMG.mpCmdRun, cmd: '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25090.3009-0\\MpCmdRun.exe" SignatureUpdate -ScheduleJob -RestrictPrivileges', user: SYSTEM_USER }, causality: defender };
  },
];

const serverWork: Partial<Record<string, Template>> = {
  [SERVERS.SQL01.name]: (h) => {
    const agent: Proc = { image: IMG.sqlagent, cmd: `"${IMG.sqlagent.path}" -i MSSQLSERVER`, user: h.user };
    return { actor: agent, action: { image: IMG.cmd, cmd: 'C:\\Windows\\system32\\cmd.exe /c "E:\\Jobs\\nightly_index_maint.cmd"', user: h.user }, causality: agent };
  },
  [SERVERS.APP01.name]: (h) => {
    const was = svcHost('iissvcs', 'WAS');
    return { actor: was, action: { image: IMG.w3wp, cmd: 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "Intranet" -v "v4.0" -l "webengine4.dll" -a \\\\.\\pipe\\iisipm1c0', user: h.user }, causality: was };
  },
  [SERVERS.BKP01.name]: (h, r) => {
    const agent: Proc = { image: IMG.backupAgent, cmd: `"${IMG.backupAgent.path}" --service`, user: h.user };
    return { actor: agent, action: { image: IMG.backupAgent, cmd: `"${IMG.backupAgent.path}" --job "Nightly-${r.pick(['FS01', 'FS02', 'SQL01'])}" --incremental`, user: h.user }, causality: agent };
  },
};

const linuxWork: readonly Template[] = [
  (_h, r) => {
    const cron: Proc = { image: LNX.cron, cmd: '/usr/sbin/cron -f -P', user: 'root' };
    return { actor: cron, action: { image: LNX.sh, cmd: r.pick(['/bin/sh -c /usr/local/bin/backup-db.sh', '/bin/sh -c run-parts /etc/cron.hourly', '/bin/sh -c /usr/sbin/logrotate /etc/logrotate.conf']), user: 'root' }, causality: cron };
  },
  (_h, r) => {
    const sshd: Proc = { image: LNX.sshd, cmd: `sshd: ${r.pick(['deploy', 'ops'])} [priv]`, user: 'root' };
    return { actor: sshd, action: { image: LNX.bash, cmd: '-bash', user: r.pick(['deploy', 'ops']) }, causality: sshd };
  },
  (h, r) => {
    const systemd: Proc = { image: LNX.systemd, cmd: '/sbin/init', user: 'root' };
    const action: Proc = h.name.startsWith('web')
      ? { image: LNX.nginx, cmd: 'nginx: worker process', user: 'www-data' }
      : { image: LNX.python3, cmd: `/usr/bin/python3.11 /opt/metrics/collect.py --interval ${r.pick([30, 60])}`, user: h.user };
    return { actor: systemd, action, causality: action };
  },
  (_h, r) => {
    const bash: Proc = { image: LNX.bash, cmd: '-bash', user: 'ops' };
    return { actor: bash, action: { image: LNX.curl, cmd: `curl -s -o /dev/null -w %{http_code} http://10.40.0.${r.pick([11, 12])}/healthz`, user: 'ops' }, causality: bash };
  },
];

/** Writes roughly `perHost` ordinary events for each agent between `start` and `end`. */
export function writeNoise(sink: RowSink, rng: Rng, start: number, end: number, perHost: number): void {
  const anyTime = (): number => start + rng.int(0, end - start - 1);
  for (const host of WINDOWS_HOSTS) {
    const count = rng.int(Math.floor(perHost * 0.6), Math.ceil(perHost * 1.4));
    for (let i = 0; i < count; i += 1) {
      const own = serverWork[host.name];
      const pool = host.role === 'workstation' && rng.chance(0.55) ? userApps : windowsServices;
      const template = own !== undefined && rng.chance(0.3) ? own : rng.pick(pool);
      const { actor, action, causality } = template(host, rng);
      const time = anyTime();
      const roll = rng.next();
      if (roll < 0.12) sink.file({ host, time, actor: action, causality }, rng.pick(['FILE_WRITE', 'FILE_CREATE_NEW']), fileFor(host, rng));
      else if (roll < 0.24) sink.network({ host, time, actor: action, causality }, rng.pick(['10.20.0.10', '10.20.1.21', '13.107.42.14', '142.250.74.110', '52.96.165.18']), rng.pick([443, 443, 445, 53, 389]));
      else sink.process({ host, time, actor, action, causality, subType: roll > 0.93 ? 'PROCESS_STOP' : 'PROCESS_START' });
    }
  }
  for (const host of LINUX_HOSTS) {
    for (let i = 0; i < perHost; i += 1) {
      const { actor, action, causality } = rng.pick(linuxWork)(host, rng);
      sink.process({ host, time: anyTime(), actor, action, causality });
    }
  }
  // A SOC analyst greps exported hunt results on the Linux jump host: the line has every seed
  // substring, but the agent is Linux and the image is grep.
  const ops: Proc = { image: LNX.bash, cmd: '-bash', user: 'ops' };
  sink.process({
    host: LINUX_HOSTS[3] ?? LINUX_HOSTS[0] ?? SERVERS.ITADM,
    time: anyTime(), actor: ops, causality: ops,
    action: { image: LNX.grep, cmd: 'grep -iE "wmic(\\.exe)? +/node:.*process call create" /srv/soc/exports/xdr_2026-11.csv', user: 'ops' },
  });
}

function fileFor(host: Host, rng: Rng): string {
  const user = host.user.split('\\')[1] ?? 'Public';
  return rng.pick([
    `C:\\Users\\${user}\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache\\Cache_Data\\f_${rng.hex(6)}`,
    `C:\\Users\\${user}\\AppData\\Local\\Temp\\${rng.hex(8)}.tmp`,
    `C:\\Windows\\Temp\\MpCmdRun.log`,
    `C:\\ProgramData\\Microsoft\\Windows\\WER\\Temp\\WER${rng.hex(4).toUpperCase()}.tmp.xml`,
  ]);
}
