/** Risk score, severity and reasons for one analysed row. Pure. */
import type { RiskReason, Severity } from '../finding.js';
import type { WmicAnalysis } from './analyze.js';
import { followOnCodes, launcherCodes } from './context-reasons.js';
import { reasonsOf, scoreOf } from './reason-table.js';
import { RISK_REASONS, type RiskReasonCode } from './risk-reasons.js';
import { baseName } from './text.js';

export { severityFor } from './reason-table.js';

export interface RiskAssessment {
  readonly riskScore: number;
  readonly severity: Severity;
  readonly reasons: readonly RiskReason[];
}

const OFFICE = ['winword.exe', 'excel.exe', 'powerpnt.exe', 'outlook.exe', 'onenote.exe', 'msaccess.exe', 'mspub.exe', 'visio.exe'];
const SCRIPT_HOSTS = ['wscript.exe', 'cscript.exe', 'mshta.exe'];
const BROWSERS = ['chrome.exe', 'msedge.exe', 'firefox.exe', 'iexplore.exe', 'brave.exe', 'opera.exe'];
const PROXIES = ['rundll32.exe', 'regsvr32.exe'];
const SERVICES = ['services.exe', 'svchost.exe'];
const REMOTE_ACCESS = ['screenconnect', 'anydesk', 'teamviewer', 'atera', 'splashtop', 'rustdesk', 'meshagent', 'netsupport', 'client32.exe'];
const MANAGEMENT = ['ccmexec.exe', 'ccm32bitlauncher.exe', 'pdqdeployrunner', 'pdqinventory', 'taniumclient.exe'];

/** Substring tests over the lower-cased payload; plain includes, no regex on hostile text. */
function payloadCodes(command: string): RiskReasonCode[] {
  const c = command.toLowerCase();
  const has = (...needles: string[]): boolean => needles.some((n) => c.includes(n));
  const codes: RiskReasonCode[] = [];
  if (has('powershell', 'pwsh')) codes.push('payload.powershell');
  const psEncoded = has('powershell', 'pwsh') && has(' -e ', ' -ec ', ' -en', '-encodedcommand');
  if (psEncoded || has('frombase64string', 'certutil -decode', 'certutil.exe -decode')) codes.push('payload.encoded');
  if (has('cmd /c', 'cmd.exe /c', 'cmd /k', 'cmd.exe /k', 'cmd /q', 'cmd.exe /q', '%comspec%')) codes.push('payload.cmd-chain');
  if (has('rundll32', 'regsvr32', 'mshta', 'bitsadmin', 'certutil')) codes.push('payload.lolbin');
  if (has('wscript', 'cscript')) codes.push('payload.script-host');
  if (has('\\temp\\', '\\tmp\\', '%temp%', '%tmp%', '\\users\\public\\', '\\programdata\\', '%programdata%', '\\appdata\\', '%appdata%', '%localappdata%', '\\perflogs\\')) codes.push('payload.staging-path');
  if (c.includes('\\\\') || /\\[a-z]\$\\|\\admin\$/.test(c)) codes.push('payload.unc-path');
  if (has('.locked', '.encrypted', '.crypt', '.ryk', '.conti', '.chaos', '.lockbit', 'vssadmin delete', 'shadowcopy delete', 'wbadmin delete', 'recoveryenabled no')) codes.push('payload.ransomware');
  if (has('ntdsutil', 'ntds.dit', 'lsass', 'comsvcs', 'minidump', 'procdump', '\\sam ', 'save hklm\\sam')) codes.push('payload.credential-access');
  if (c.includes('wmic') && (c.includes('/node') || c.includes('-node'))) codes.push('payload.nested-wmic');
  return codes;
}

function parentCode(parentImage: string | null): RiskReasonCode | null {
  if (parentImage === null) return null;
  const p = baseName(parentImage);
  const any = (list: readonly string[]): boolean => list.some((n) => p === n || (!n.endsWith('.exe') && p.includes(n)));
  if (any(MANAGEMENT)) return 'parent.management-agent';
  if (any(OFFICE)) return 'parent.office';
  if (any(SCRIPT_HOSTS)) return 'parent.script-host';
  if (any(BROWSERS)) return 'parent.browser';
  if (any(PROXIES)) return 'parent.proxy-binary';
  if (p === 'wmiprvse.exe') return 'parent.wmiprvse';
  if (any(SERVICES)) return 'parent.service';
  if (any(REMOTE_ACCESS)) return 'parent.remote-access';
  return null;
}

/**
 * Scores one analysed row: the hunt's base score plus each applicable reason, clamped to 0–100.
 * For a parent-shell record the parent that matters is the shell's own parent, i.e. the row's actor.
 */
export function assessRisk(analysis: WmicAnalysis, baseScore: number): RiskAssessment {
  const codes: RiskReasonCode[] = [];
  const payload = analysis.remoteCommand === null ? [] : payloadCodes(analysis.remoteCommand);
  codes.push(...payload);
  if (analysis.remoteCommand !== null) {
    // the remote command's own decoded script says what it does; a parent's script does not
    // Stryker disable next-line StringLiteral: with no script, '' or any text no reason names ("Stryker was here!") reads the same
    const script = analysis.decodedScript ?? '';
    // Stryker disable next-line StringLiteral: the parent's script left out as '' or as text no reason names reads the same
    const own = script === analysis.parentDecodedScript ? '' : script;
    codes.push(...followOnCodes(`${analysis.remoteCommand}\n${own}`, payload));
  }
  const parent = parentCode(analysis.parentImage);
  if (parent !== null) codes.push(parent);
  codes.push(...launcherCodes(analysis, payload.includes('payload.powershell'), parent));
  const remote = analysis.remoteTargets.length;
  if (remote >= 20) codes.push('fanout.mass');
  else if (remote >= 5) codes.push('fanout.many-targets');
  if (analysis.fileTargets) codes.push('fanout.file');
  if (analysis.credentialsOnLine) codes.push('credentials.on-line');
  if (analysis.failfast) codes.push('options.failfast');
  if (analysis.record === 'renamed-wmic') codes.push('evasion.renamed-wmic');
  if (analysis.lookalike) codes.push('evasion.lookalike');
  if (analysis.obfuscated || analysis.encoded) codes.push('evasion.obfuscated-shell');
  if (analysis.record === 'parent-shell') codes.push('note.parent-shell');
  if (analysis.truncated) codes.push('note.truncated');
  const reasons = reasonsOf(RISK_REASONS, codes);
  return { ...scoreOf(baseScore, reasons), reasons };
}
