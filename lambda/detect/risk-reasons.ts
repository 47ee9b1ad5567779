/**
 * The named adjustments to the hunt's base risk score. One table, documented in README.md
 * ("Risk reasons"); each entry cites the false-positive note or public detection it comes from.
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
  'target.not-a-host': { points: 5, detail: 'the /node target is not a valid host name, FQDN or IP address, so wmic cannot reach it as written (text meant for the reader, a URL or look-alike letters)' },
} as const satisfies Record<string, { points: number; detail: string }>;

export type RiskReasonCode = keyof typeof RISK_REASONS;
