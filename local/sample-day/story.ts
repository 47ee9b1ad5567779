/** What the sample day contains, in words (for the README and the CLI) and as data (for tests). */
import { INTRUSION_LAUNCHES } from './intrusion.js';

/** One host pair the intrusion creates with `wmic /node:<target> process call create`. */
export interface IntrusionPair {
  /** `agent_hostname` of the host that ran wmic. */
  readonly source: string;
  /** The /node: element as written, lower-cased and unquoted (as the corpus labels targets). */
  readonly target: string;
  /** How many identical wmic rows carry this pair and command. */
  readonly launches: number;
}

/** The intrusion's remote launches, one entry per (source, target, command). */
export const SAMPLE_DAY_INTRUSION: {
  readonly source: string;
  readonly pairs: readonly IntrusionPair[];
} = {
  source: 'WS-FIN-023',
  pairs: INTRUSION_LAUNCHES.flatMap((l) => l.targets.map((target) => ({ source: l.from, target, launches: l.repeats }))),
};

/** A short description of the sample day. */
export const SAMPLE_DAY_STORY = `A day at corp.example (about 2,500 XDR events from 39 Windows and 4 Linux agents).

The intrusion (Chaos-ransomware style), about 11 hours before now:
- m.keller on WS-FIN-023 opens Remittance_Advice_88314.docm from Outlook; Word starts an encoded
  PowerShell stager that calls out to 203.0.113.77.
- Recon from a cmd.exe shell: whoami /all, net group "domain admins" /domain, nltest /dclist,
  net view \\\\FS01, wmic /node:FS01 os get ..., wmic /node:FS01 process list brief, an LSASS dump.
- wmic /node: ... process call create, over about two hours:
  FS01 with stolen svc_backup credentials on the command line (cmd.exe /c chain);
  sql01.corp.example with a PowerShell -Enc beacon (launched three times);
  "10.20.1.40" (BKP01) deleting shadow copies, from a cmd.exe /c wmic ... parent;
  FS02,APP01,10.20.1.30 in one comma list, starting the encryptor C:\\ProgramData\\winupd.exe (twice);
  HV02, a Hyper-V host without an XDR agent, with the encryptor too;
  BKP01 starting the encryptor from the \\\\FS01\\IT$ share.
- Second pivot: the beacon on SQL01 runs wmic /node:DC01.corp.example to save the registry hives.
- A late laptop: LT-SLS-07, a sales laptop that opened the same document, runs wmic /node:FS01 with
  the stolen credentials, then sleeps in a bag off the network; its agent uploads the events six
  hours later, so they reach XSIAM (_insert_time) 6 h after they happened ("arrived 6 h after it
  happened" in every notification of that pair).
- On the targets: WmiPrvSE.exe starts each payload a few seconds after the launch (FS02 then shows
  files renamed to .chaos), except on APP01, whose agent blocked the encryptor (no process
  started), and on HV02, which has no agent at all.

Benign wmic the hunt must not raise (or must score lower):
- SCCM01: CcmExec.exe pushes a VPN MSI to 20 workstations with wmic /node:<ws> process call create
  (each workstation shows WmiPrvSE.exe starting msiexec.exe; the helpdesk's gpupdate likewise).
- IT-ADM-01: a NETLOGON patch-audit script runs remote qfe list / os get / product ... call uninstall;
  the helpdesk runs remote gpupdate twice; near misses (process call create /?, call getowner,
  call terminate, startservice).
- Local creation: /node:localhost (logon script BgInfo), /node:., /node:127.0.0.1, no /node at all.
- Every Windows host: an inventory agent's local wmic csproduct / bios / os / qfe queries.

Noise: browsers, Office, Windows services, SQL/IIS/backup jobs, file and network events, Linux
cron/ssh/nginx, and a SOC analyst grepping for "wmic /node: process call create" on a Linux host.`;
