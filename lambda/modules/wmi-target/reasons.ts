/**
 * Why a WmiPrvSE.exe child matters: named reasons with points over the card's base score. Pure,
 * plain substring tests on the lower-cased text (no regex over hostile input).
 * Sources: SigmaHQ "Wmiprvse Spawning Process" (service accounts and WerFault filtered out),
 * "Suspicious WmiPrvSE Child Process" (shells and LOLBins), "Impacket Lateralization Detection"
 * (`cmd.exe /Q /c … 1> \\127.0.0.1\ADMIN$\__<epoch> 2>&1`), Impacket examples/wmiexec.py.
 */
import type { RiskReason } from '../../finding.js';
import { reasonsOf, type ReasonTable } from '../../detect/index.js';

/** What the reasons read of a child row (already redacted and capped). */
export interface ChildFacts {
  readonly imageName: string | null;
  readonly imagePath: string | null;
  readonly commandLine: string;
  readonly user: string | null;
}

export const CHILD_REASONS = {
  'child.impacket-wmiexec': { points: 35, detail: "cmd.exe /Q /c with its output redirected to \\\\127.0.0.1\\ADMIN$\\__<epoch> (Impacket's wmiexec)" },
  'child.encoded-powershell': { points: 30, detail: 'PowerShell started by WMI with an encoded command' },
  'child.credential-access': { points: 20, detail: 'the child touches LSASS, NTDS or the SAM hive' },
  'child.lolbin': { points: 15, detail: 'a living-off-the-land binary started by WMI' },
  'child.staging-path': { points: 15, detail: 'runs from or writes to a staging path (ProgramData, Users\\Public, Windows\\Temp, AppData)' },
  'child.shell': { points: 10, detail: 'a command shell started by WMI' },
  'child.service-account': { points: -20, detail: 'runs as SYSTEM, LOCAL SERVICE or NETWORK SERVICE (the provider host itself, not a remote caller)' },
  'child.management': { points: -30, detail: 'a configuration-manager, monitoring or Windows Error Reporting process' },
} as const satisfies ReasonTable<string>;
export type ChildReasonCode = keyof typeof CHILD_REASONS;

const SHELLS = ['cmd.exe', 'powershell.exe', 'pwsh.exe'];
const LOLBINS = ['rundll32', 'regsvr32', 'mshta', 'certutil', 'bitsadmin', 'msiexec', 'wscript', 'cscript', 'installutil', 'regasm', 'msbuild'];
const STAGING = ['\\programdata\\', '%programdata%', '\\users\\public\\', '\\windows\\temp\\', '\\appdata\\', '%temp%', '%appdata%', '\\perflogs\\'];
const CREDENTIALS = ['lsass', 'comsvcs', 'minidump', 'ntds', 'save hklm\\sam', 'procdump'];
const SERVICE_ACCOUNTS = ['nt authority\\system', 'nt authority\\local service', 'nt authority\\network service', 'system'];
/** Children a healthy fleet's WMI provider host starts: SCCM/MECM, SCOM, NSClient++, WER. */
const MANAGEMENT_PATHS = ['\\windows\\ccm\\', '\\system center operations manager\\', '\\microsoft monitoring agent\\', '\\nsclient++\\'];
const MANAGEMENT_IMAGES = ['werfault.exe', 'wermgr.exe', 'wmiprvse.exe', 'monitoringhost.exe', 'ccmexec.exe', 'nscp.exe'];

const baseOf = (path: string | null): string => (path ?? '').toLowerCase().split('\\').pop()?.replaceAll('"', '').trim() ?? '';

/** The reasons that apply to `child`, strongest first. */
export function childReasonCodes(child: ChildFacts): ChildReasonCode[] {
  const c = child.commandLine.toLowerCase();
  const image = baseOf(child.imageName) || baseOf(child.imagePath);
  const path = (child.imagePath ?? '').toLowerCase();
  const has = (list: readonly string[]): boolean => list.some((n) => c.includes(n));
  const codes: ChildReasonCode[] = [];
  const shell = SHELLS.includes(image);
  if (image === 'cmd.exe' && c.includes('/q') && c.includes('\\\\127.0.0.1\\admin$\\__') && c.includes('2>&1')) codes.push('child.impacket-wmiexec');
  const powershell = image === 'powershell.exe' || image === 'pwsh.exe' || has(['powershell', 'pwsh']);
  if (powershell && (has([' -e ', ' -ec ', ' -en', ' -encodedcommand', ' /e ', ' /enc']) || c.includes('frombase64string'))) codes.push('child.encoded-powershell');
  if (has(CREDENTIALS)) codes.push('child.credential-access');
  if (LOLBINS.some((l) => image.startsWith(l)) || has(LOLBINS.map((l) => `${l}.exe`)) || has(LOLBINS.map((l) => `${l} `))) codes.push('child.lolbin');
  if (has(STAGING) || STAGING.some((s) => path.includes(s))) codes.push('child.staging-path');
  if (shell) codes.push('child.shell');
  if (child.user !== null && SERVICE_ACCOUNTS.includes(child.user.trim().toLowerCase())) codes.push('child.service-account');
  if (MANAGEMENT_IMAGES.includes(image) || MANAGEMENT_PATHS.some((p) => path.includes(p) || c.includes(p))) codes.push('child.management');
  return codes;
}

/** The reasons as the finding carries them. */
export function childReasons(child: ChildFacts): RiskReason[] {
  return reasonsOf(CHILD_REASONS, childReasonCodes(child));
}
