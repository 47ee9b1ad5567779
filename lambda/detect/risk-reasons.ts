/**
 * The named adjustments to the WMIC hunt's base risk score (a reason table, reason-table.ts). One
 * table, documented in README.md ("Risk reasons"); each entry cites the false-positive note or
 * public detection it comes from.
 */
export const RISK_REASONS = {
  'payload.powershell': { points: 5, detail: 'remote command starts PowerShell (Sigma 3c89a1e8 suspicious payload list)' },
  'payload.encoded': { points: 10, detail: 'remote command carries an encoded PowerShell command or base64 decoding' },
  'payload.cmd-chain': { points: 5, detail: 'remote command runs cmd /c or /k (chained commands, redirection)' },
  'payload.lolbin': { points: 10, detail: 'remote command uses a proxy-execution or download binary (rundll32, regsvr32, mshta, bitsadmin, certutil)' },
  'payload.script-host': { points: 5, detail: 'remote command starts a script host (wscript, cscript)' },
  'payload.staging-path': { points: 5, detail: 'remote command runs from a staging folder (Temp, Users\\Public, ProgramData, AppData, PerfLogs)' },
  'payload.unc-path': { points: 5, detail: 'remote command reads from a network share (UNC path or admin share)' },
  'payload.ransomware': { points: 10, detail: 'remote command looks like ransomware staging (encryptor-like extension, shadow-copy or backup deletion)' },
  'payload.credential-access': { points: 10, detail: 'remote command dumps credentials (ntdsutil ifm, ntds.dit copy, lsass dump)' },
  'payload.nested-wmic': { points: 5, detail: 'remote command runs wmic /node again (a chained pivot)' },
  'parent.office': { points: 10, detail: 'wmic started by an Office application (hunt FP note: an unusual parent is what matters)' },
  'parent.script-host': { points: 10, detail: 'wmic started by a script host (wscript, cscript, mshta)' },
  'parent.browser': { points: 10, detail: 'wmic started by a web browser' },
  'parent.proxy-binary': { points: 10, detail: 'wmic started by rundll32 or regsvr32 (an implant shelling out)' },
  'parent.wmiprvse': { points: 10, detail: 'wmic started by WmiPrvSE.exe: this host was itself reached through WMI (second hop)' },
  'parent.service': { points: 5, detail: 'wmic started by a service host (services.exe, svchost.exe) rather than an interactive shell' },
  'parent.remote-access': { points: 5, detail: 'wmic started by a remote-access tool (ScreenConnect, AnyDesk, TeamViewer, ...), as in RMM-abusing intrusions' },
  'parent.management-agent': { points: -25, detail: 'wmic started by a known management agent (SCCM CcmExec, PDQ, Tanium): the hunt\'s named false positive' },
  'fanout.many-targets': { points: 5, detail: 'five or more remote targets on one line' },
  'fanout.mass': { points: 10, detail: 'twenty or more remote targets on one line (ransomware-style fan-out)' },
  'fanout.file': { points: 5, detail: 'targets read from an @file list (fan-out to an unknown number of hosts)' },
  'credentials.on-line': { points: 5, detail: 'explicit /user or /password typed on the line: those credentials must be treated as exposed' },
  'options.failfast': { points: 2, detail: '/failfast set: typical of sweeping scripts that skip unreachable hosts' },
  'evasion.renamed-wmic': { points: 10, detail: 'renamed copy of wmic.exe (OriginalFileName says wmic.exe)' },
  'evasion.lookalike': { points: 10, detail: 'Unicode look-alike letters in wmic keywords' },
  'evasion.obfuscated-shell': { points: 5, detail: 'the launching shell hid the wmic invocation (caret escapes or an encoded command)' },
  'note.parent-shell': { points: 0, detail: 'derived from the command line of the cmd.exe / PowerShell process that launches wmic' },
  'target.confirmed': { points: 10, detail: 'the target host shows WmiPrvSE.exe starting the remote command: the attack reached the target' },
  'target.unmanaged': { points: 5, detail: 'no XSIAM agent has the target\'s name or IP: the target is a blind spot' },
  'history.first-source': { points: 10, detail: 'source host never seen running remote wmic creation in the history baseline (a new admin path, or an intruder\'s foothold)' },
  'history.routine-source': { points: -20, detail: 'source host runs remote wmic creation routinely here; encoded PowerShell, ransomware-like and credential-dumping payloads keep their severity band' },
  'note.truncated': { points: 0, detail: 'the command line looks truncated by a collector: the cut-off last target is not reported, and a verb lost to the cut is read as likely remote execution' },
  // Context reasons: what the launcher and the payload say about the intrusion. `source` is the
  // public detection the reason follows, `technique` the ATT&CK technique it points to next.
  'parent.stager': {
    points: 10,
    detail: 'wmic launched from a hidden, encoded or no-profile PowerShell, or one that runs a downloaded script: the shape of a C2 stager (Empire: powershell -noP -sta -w 1 -enc …) (T1059.001)',
    source: 'Sigma 36210e0d-5b19-485d-a087-c096088885f0 "Suspicious PowerShell Parameter Substring"; Sigma 85b0b087-eddf-4a2b-b033-d771fa2b9775 "PowerShell Download and Execution Cradles"; ATT&CK S0363 Empire',
    technique: 'T1059.001',
  },
  'parent.unusual-launches-powershell': {
    points: 5,
    detail: 'an unusual parent (not an interactive shell) made wmic launch PowerShell on the remote host: the hunt\'s own guidance',
    source: 'the hunt card\'s false-positive note: "wmic.exe being spawned by an unusual parent process to launch powershell.exe on a remote server"',
    technique: 'T1059.001',
  },
  'payload.account-creation': {
    points: 10,
    detail: 'remote command creates an account (net user … /add, New-LocalUser, New-ADUser) (T1136)',
    source: 'Sigma cd219ff3-fa99-45d4-8380-a7d15116c6dc "New User Created Via Net.EXE"; ATT&CK T1136.001',
    technique: 'T1136',
  },
  'payload.privileged-group': {
    points: 10,
    detail: 'remote command adds an account to a privileged group (administrators, domain admins, remote desktop users) (T1098)',
    source: 'Sigma ad720b90-25ad-43ff-9b5e-5c841facc8e5 "Add User to Local Administrators Group"; ATT&CK T1098.007',
    technique: 'T1098',
  },
  'payload.defense-impairment': {
    points: 10,
    detail: 'remote command impairs defences (Defender preferences or exclusions, stopping a security service, firewall off) (T1562)',
    source: 'Sigma 1ec65a5f-9473-4f12-97da-622044d6df21 "Powershell Defender Disable Scan Feature"; Sigma 57c4bf16-227f-4394-8ec7-1b745ee061c3 "Firewall Disabled via Netsh.EXE"; ATT&CK T1562.001, T1562.004',
    technique: 'T1562',
  },
  'payload.log-clearing': {
    points: 10,
    detail: 'remote command clears event logs (wevtutil cl, Clear-EventLog) (T1070.001)',
    source: 'Sigma cc36992a-4671-4f21-a91d-6c2b72a2edf5 "Suspicious Eventlog Clearing or Configuration Change Activity"; ATT&CK T1070.001',
    technique: 'T1070.001',
  },
  'payload.persistence': {
    points: 5,
    detail: 'remote command sets up persistence on the target (schtasks /create, a new service, a Run key) (T1053, T1543, T1547)',
    source: 'Sigma 92626ddd-662c-49e3-ac59-f6535f12d189 "Scheduled Task Creation Via Schtasks.EXE"; Sigma 85ff530b-261d-48c6-a441-facaa2e81e48 "New Service Creation Using Sc.EXE"; Sigma de587dce-915e-4218-aac4-835ca6af6f70 "Potential Persistence Attempt Via Run Keys Using Reg.EXE"',
    technique: 'T1053.005, T1543.003, T1547.001',
  },
  'payload.discovery-only': {
    points: 0,
    detail: 'remote command only looks around (whoami, ipconfig, net group … /domain): reconnaissance, named but not scored, a lower tier than a payload that acts (T1033, T1016, T1069)',
    source: 'Sigma e28a5a99-da44-436d-b7a0-2afc20a5f413 "Whoami Utility Execution"; Sigma d95de845-b83c-4a9a-8a6a-4fc802ebf6c0 "Suspicious Groups And Accounts Reconnaissance Activity Using Net.EXE"',
    technique: 'T1033, T1016, T1069, T1082',
  },
  'target.not-a-host': { points: 5, detail: 'the /node target is not a valid host name, FQDN or IP address, so wmic cannot reach it as written (text meant for the reader, a URL or look-alike letters)' },
  'target.confirmed-routine': {
    points: 0,
    detail: 'the target host shows WmiPrvSE.exe starting the remote command, launched from a routine source (history.routine-source): confirmation of a routine admin action is expected, not suspicious, so it earns no points',
  },
} as const satisfies Record<string, { points: number; detail: string; source?: string; technique?: string }>;

export type RiskReasonCode = keyof typeof RISK_REASONS;
