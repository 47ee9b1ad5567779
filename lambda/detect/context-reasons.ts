/**
 * Context reasons: what the process that launched wmic and what the remote payload tell about the
 * intrusion (README.md, "Risk score and severity"). Plain substring tests over lower-cased,
 * already-redacted text: linear, no regex backtracking on hostile input.
 */
import type { WmicAnalysis } from './analyze.js';
import { encodedCommandPayload } from './powershell-shell.js';
import type { RiskReasonCode } from './risk-reasons.js';
import { shellKind } from './shells.js';
import { baseName } from './text.js';

const hasAny = (text: string, needles: readonly string[]): boolean => needles.some((n) => text.includes(n));

/** PowerShell's -WindowStyle (any prefix) set to Hidden or 1, as stagers pass it. */
const HIDDEN_WINDOW = /(?:^|\s)[-/]w(?:i(?:n(?:d(?:o(?:w(?:s(?:t(?:y(?:l(?:e)?)?)?)?)?)?)?)?)?)?\s+(?:h|1\b)/;
const NO_PROFILE = /(?:^|\s)[-/]nop(?:r(?:o(?:f(?:i(?:l(?:e)?)?)?)?)?)?(?=\s|$)/;
const NON_INTERACTIVE_OR_STA = /(?:^|\s)[-/](?:noni(?:n(?:t(?:e(?:r(?:a(?:c(?:t(?:i(?:v(?:e)?)?)?)?)?)?)?)?)?)?|sta)(?=\s|$)/;
const DOWNLOADS = ['downloadstring', 'downloaddata', 'downloadfile', 'invoke-webrequest', 'iwr ', 'net.webclient', 'invoke-restmethod', 'irm ', 'start-bitstransfer'];
const EXECUTES = ['iex', 'invoke-expression'];

/**
 * A PowerShell command line (or its decoded script) in a C2 stager's shape: an encoded command, a
 * hidden window, no profile with -sta or -NonInteractive, or IEX of a download.
 */
export function stagerShape(line: string, script: string | null): boolean {
  const l = line.toLowerCase();
  const s = (script ?? '').toLowerCase();
  if (encodedCommandPayload(line) !== null) return true;
  if (HIDDEN_WINDOW.test(l)) return true;
  if (NO_PROFILE.test(l) && NON_INTERACTIVE_OR_STA.test(l)) return true;
  return [l, s].some((t) => hasAny(t, EXECUTES) && hasAny(t, DOWNLOADS));
}

/** The launching PowerShell's line: the wmic row's parent, or the row itself when it is the shell. */
function launcher(a: WmicAnalysis): { line: string; script: string | null } | null {
  if (a.record === 'parent-shell' && shellKind(baseName(a.imageName ?? '')) === 'powershell') return { line: a.commandLine, script: a.decodedScript };
  if (a.parentImage !== null && a.parentCommandLine !== null && shellKind(baseName(a.parentImage)) === 'powershell') {
    return { line: a.parentCommandLine, script: a.parentDecodedScript };
  }
  return null;
}

/** Parents an operator types wmic into: an interactive shell or the desktop. */
const USUAL_PARENTS = ['cmd.exe', 'powershell.exe', 'pwsh.exe', 'powershell_ise.exe', 'explorer.exe', 'windowsterminal.exe', 'wt.exe'];

/** The launcher reasons: a stager-shaped PowerShell, and the hunt's "unusual parent launching PowerShell remotely". */
export function launcherCodes(a: WmicAnalysis, payloadStartsPowershell: boolean, parentCode: RiskReasonCode | null): RiskReasonCode[] {
  const codes: RiskReasonCode[] = [];
  const shell = launcher(a);
  if (shell !== null && stagerShape(shell.line, shell.script)) codes.push('parent.stager');
  const parent = a.parentImage === null ? null : baseName(a.parentImage);
  if (payloadStartsPowershell && parent !== null && parent !== '' && !USUAL_PARENTS.includes(parent) && parentCode !== 'parent.management-agent') {
    codes.push('parent.unusual-launches-powershell');
  }
  return codes;
}

const NET_USER = ['net user', 'net1 user', 'net.exe user', 'net1.exe user', 'net.exe" user'];
const NET_GROUP = ['localgroup', 'net group', 'net1 group', 'net.exe group', 'net1.exe group'];
const PRIVILEGED_GROUPS = ['admin', 'remote desktop users', 'backup operators', 'account operators', 'server operators', 'dnsadmins'];
const SECURITY_SERVICES = ['windefend', 'wdnissvc', 'wdfilter', 'mpssvc', 'securityhealthservice', 'wscsvc', 'sysmon', 'cyserver', 'cortex xdr', 'traps', 'csfalconservice', 'sentinelagent', 'eventlog'];
const STOP_SERVICE = ['sc stop', 'sc.exe stop', 'net stop', 'net1 stop', 'stop-service', 'sc config', 'sc.exe config', 'set-service', 'taskkill'];
const DISCOVERY = ['whoami', 'ipconfig', 'systeminfo', 'nltest', 'net group', 'net localgroup', 'net user', 'net view', 'net accounts', 'net share', 'net session', 'quser', 'qwinsta', 'query user', 'tasklist', 'hostname', 'netstat', 'arp -a', 'route print', 'nslookup', 'get-aduser', 'get-adcomputer', 'get-adgroupmember', 'dsquery'];

/**
 * Follow-on payload reasons over the remote command (and its own decoded script): account creation,
 * privileged groups, defence impairment, log clearing, persistence; discovery-only when nothing acts.
 */
export function followOnCodes(text: string, otherPayloadCodes: readonly RiskReasonCode[]): RiskReasonCode[] {
  const c = text.toLowerCase();
  const codes: RiskReasonCode[] = [];
  const adds = c.includes(' /ad'); // net.exe takes /add or any prefix down to /ad
  if ((hasAny(c, NET_USER) && adds) || hasAny(c, ['new-localuser', 'new-aduser'])) codes.push('payload.account-creation');
  if ((hasAny(c, NET_GROUP) && adds && hasAny(c, PRIVILEGED_GROUPS)) || hasAny(c, ['add-localgroupmember', 'add-adgroupmember'])) codes.push('payload.privileged-group');
  const defender = hasAny(c, ['set-mppreference', 'add-mppreference']) && hasAny(c, ['disable', 'exclusion']);
  const firewall = (c.includes('advfirewall') && c.includes('state off')) || c.includes('opmode disable') || (c.includes('set-netfirewallprofile') && c.includes('false'));
  const registry = hasAny(c, ['disableantispyware', 'disablerealtimemonitoring']);
  if (defender || firewall || registry || (hasAny(c, STOP_SERVICE) && hasAny(c, SECURITY_SERVICES))) codes.push('payload.defense-impairment');
  if (hasAny(c, ['wevtutil cl', 'wevtutil.exe cl', 'wevtutil clear-log', 'wevtutil.exe clear-log', 'clear-eventlog', 'remove-eventlog', 'clear-winevent', 'cleareventlog'])) codes.push('payload.log-clearing');
  const task = (c.includes('schtasks') && c.includes('/create')) || hasAny(c, ['register-scheduledtask', 'new-scheduledtask']);
  const service = hasAny(c, ['sc create', 'sc.exe create', 'new-service']) || (c.includes('binpath=') && c.includes(' create '));
  if (task || service || c.includes('currentversion\\run')) codes.push('payload.persistence');
  const wrappers: readonly RiskReasonCode[] = ['payload.cmd-chain', 'payload.powershell'];
  if (codes.length === 0 && otherPayloadCodes.every((x) => wrappers.includes(x)) && hasAny(c, DISCOVERY)) codes.push('payload.discovery-only');
  return codes;
}
