/** Windows and Linux process images the sample day uses, with the case real telemetry shows. */
import type { Image } from './fleet.js';

const sys32 = (name: string, file = name): Image => ({ name, path: `C:\\Windows\\System32\\${file}` });

/** Common images by a short key. */
export const IMG = {
  explorer: { name: 'explorer.exe', path: 'C:\\Windows\\explorer.exe' },
  services: sys32('services.exe'),
  svchost: sys32('svchost.exe'),
  conhost: sys32('conhost.exe'),
  runtimeBroker: sys32('RuntimeBroker.exe'),
  taskhostw: sys32('taskhostw.exe'),
  backgroundTaskHost: sys32('backgroundTaskHost.exe'),
  searchProtocolHost: sys32('SearchProtocolHost.exe'),
  dllhost: sys32('dllhost.exe'),
  wmiPrvSe: { name: 'WmiPrvSE.exe', path: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe' },
  cmd: sys32('cmd.exe'),
  powershell: { name: 'powershell.exe', path: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' },
  whoami: sys32('whoami.exe'),
  net: sys32('net.exe'),
  net1: sys32('net1.exe'),
  nltest: sys32('nltest.exe'),
  ipconfig: sys32('ipconfig.exe'),
  rundll32: sys32('rundll32.exe'),
  msiexec: sys32('msiexec.exe'),
  gpupdate: sys32('gpupdate.exe'),
  notepad: sys32('notepad.exe'),
  vssadmin: sys32('vssadmin.exe'),
  reg: sys32('reg.exe'),
  mpCmdRun: { name: 'MpCmdRun.exe', path: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25090.3009-0\\MpCmdRun.exe' },
  chrome: { name: 'chrome.exe', path: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe' },
  msedge: { name: 'msedge.exe', path: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe' },
  outlook: { name: 'OUTLOOK.EXE', path: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE' },
  winword: { name: 'WINWORD.EXE', path: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE' },
  excel: { name: 'EXCEL.EXE', path: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE' },
  teams: { name: 'ms-teams.exe', path: 'C:\\Program Files\\WindowsApps\\MSTeams_25290.205.4069.4894_x64__8wekyb3d8bbwe\\ms-teams.exe' },
  oneDrive: { name: 'OneDrive.exe', path: 'C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe' },
  ccmExec: { name: 'CcmExec.exe', path: 'C:\\Windows\\CCM\\CcmExec.exe' },
  sqlservr: { name: 'sqlservr.exe', path: 'C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe' },
  sqlagent: { name: 'SQLAGENT.EXE', path: 'C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE' },
  w3wp: { name: 'w3wp.exe', path: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe' },
  backupAgent: { name: 'BackupAgent.exe', path: 'C:\\Program Files\\CorpBackup\\Agent\\BackupAgent.exe' },
  assetAgent: { name: 'asagent.exe', path: 'C:\\Program Files\\AssetScan\\asagent.exe' },
  system: { name: 'System', path: 'System' },
  encryptor: { name: 'winupd.exe', path: 'C:\\ProgramData\\winupd.exe' },
} as const satisfies Record<string, Image>;

/** The three spellings of wmic.exe seen in telemetry, keyed by how it was started. */
export const WMIC = {
  /** Typed as `wmic` in cmd.exe on a host that records the lower-case name. */
  lower: { name: 'wmic.exe', path: 'C:\\Windows\\System32\\wbem\\wmic.exe' },
  /** The file name as it sits on disk. */
  disk: { name: 'WMIC.exe', path: 'C:\\Windows\\System32\\wbem\\WMIC.exe' },
  /** Started through PowerShell or a 32-bit host, which records the upper-case path. */
  upper: { name: 'WMIC.EXE', path: 'C:\\WINDOWS\\system32\\wbem\\WMIC.EXE' },
} as const satisfies Record<string, Image>;

/** Linux images. */
export const LNX = {
  systemd: { name: 'systemd', path: '/usr/lib/systemd/systemd' },
  sshd: { name: 'sshd', path: '/usr/sbin/sshd' },
  cron: { name: 'cron', path: '/usr/sbin/cron' },
  bash: { name: 'bash', path: '/usr/bin/bash' },
  sh: { name: 'sh', path: '/usr/bin/dash' },
  python3: { name: 'python3.11', path: '/usr/bin/python3.11' },
  curl: { name: 'curl', path: '/usr/bin/curl' },
  grep: { name: 'grep', path: '/usr/bin/grep' },
  nginx: { name: 'nginx', path: '/usr/sbin/nginx' },
  postgres: { name: 'postgres', path: '/usr/lib/postgresql/16/bin/postgres' },
  logrotate: { name: 'logrotate', path: '/usr/sbin/logrotate' },
} as const satisfies Record<string, Image>;
