/** analyzeCommandLine: one xdr_data row in, what its wmic invocation does out. Pure. */
import { decodedScriptOf } from './decoded-script.js';
import { localTargetTest } from './nodes.js';
import { redactSecrets, redactSpans, rememberingFinder, secretsIn } from './redact.js';
import { readRow, type RowFacts } from './row.js';
import { embeddedWmic, isWmicName, shellKind, type EmbeddedWmic, type ShellKind } from './shells.js';
import { baseName, capText, hasNonAscii } from './text.js';
import { splitProgram } from './tokenize.js';
import { parseWmicLine, type WmicLine } from './wmic-line.js';

export const RECORD_KINDS = ['wmic', 'renamed-wmic', 'parent-shell', 'not-wmic'] as const;
/** Which process the row records: wmic itself, a renamed copy, a shell that launches wmic, or something else. */
export type RecordKind = (typeof RECORD_KINDS)[number];

/** What one row's wmic invocation does. Every text field has /password values redacted. */
export interface WmicAnalysis {
  readonly eventId: string | null;
  readonly time: number | null;
  readonly sourceHost: string | null;
  readonly record: RecordKind;
  /** wmic would call Win32_Process.Create on at least one node that is not the local machine. */
  readonly remoteExec: boolean;
  /** One sentence: why remoteExec is what it is. */
  readonly verdict: string;
  /** Every /node element as written: lower-cased, quotes removed, `@path` for file lists. */
  readonly targets: readonly string[];
  /** The targets that are not the local machine (an `@file` counts as remote). */
  readonly remoteTargets: readonly string[];
  /** First positional argument of `call create`, as wmic passes it on. */
  readonly remoteCommand: string | null;
  /** The row's command line (capped at 8 KB). */
  readonly commandLine: string;
  /** The wmic command line analysed: the row's own, or the one a parent shell passes on. */
  readonly wmicCommandLine: string | null;
  readonly via: readonly ShellKind[];
  readonly user: string | null;
  /** `/user:` typed on the line. */
  readonly lineUser: string | null;
  readonly credentialsOnLine: boolean;
  readonly failfast: boolean;
  readonly fileTargets: boolean;
  readonly parseError: string | null;
  readonly help: boolean;
  /** The line looks cut by a collector (unterminated quote or a collector length limit). */
  readonly truncated: boolean;
  /** The last /node element, not reported (not in `targets`) because the collector's cut went through it. */
  readonly cutTarget: string | null;
  readonly lookalike: boolean;
  /** Carets (cmd) or an encoded command (PowerShell) hid the wmic invocation. */
  readonly obfuscated: boolean;
  readonly encoded: boolean;
  /**
   * The script of a PowerShell -EncodedCommand in the remote command (else the shell line, else the
   * parent's command line), decoded from UTF-16LE base64: passwords redacted, controls shown as
   * `[U+XXXX]` (line breaks kept), capped at 1,000 characters with a marker. Null when there is none.
   */
  readonly decodedScript: string | null;
  /** Why an -EncodedCommand payload that was found could not be decoded (not base64, not UTF-16LE), or null. */
  readonly decodeProblem: string | null;
  /**
   * The script of the parent's PowerShell -EncodedCommand (a stager's), decoded, redacted and capped
   * as `decodedScript` is; null when the parent carries none.
   */
  readonly parentDecodedScript: string | null;
  readonly switchAfterAlias: boolean;
  readonly imageName: string | null;
  readonly parentImage: string | null;
  readonly parentImagePath: string | null;
  readonly parentCommandLine: string | null;
  readonly causalitySha256: string | null;
  readonly agentId: string | null;
}

/**
 * Lengths at which sensors and pipelines are known to cut command lines (fixed buffers of 2^n
 * characters or bytes, 2^n - 1 with a terminating NUL, CreateProcess's 32767, cmd.exe's 8191).
 */
const COLLECTOR_LIMITS = new Set([512, 1024, 2048, 4096, 8191, 8192, 16384, 32767, 32768, 65535, 65536]);

/** The line's length (UTF-16 units, or UTF-8 bytes for a byte-sized buffer) is a collector's cut size. */
export function atCollectorLimit(line: string): boolean {
  if (COLLECTOR_LIMITS.has(line.length)) return true;
  // ASCII lines have as many bytes as characters; only other lines can differ (one native scan)
  return hasNonAscii(line) && COLLECTOR_LIMITS.has(Buffer.byteLength(line, 'utf8'));
}

function recordKind(f: RowFacts): RecordKind {
  const image = f.imageName ?? (f.imagePath ? baseName(f.imagePath) : null);
  if (image !== null) {
    if (isWmicName(image)) return 'wmic';
    if (f.originalName !== null && isWmicName(f.originalName)) return 'renamed-wmic';
    return shellKind(image) ? 'parent-shell' : 'not-wmic';
  }
  if (f.originalName !== null && isWmicName(f.originalName)) return 'renamed-wmic';
  // no image in the row (hand-written explain input): go by the program name on the line
  return shellKind(splitProgram(f.commandLine).program) ? 'parent-shell' : 'wmic';
}

const LIKELY = 'likely remote process creation';

function verdictOf(p: WmicLine, remote: readonly string[]): string {
  if (p.help) return 'wmic prints help (/?) and runs nothing';
  if (p.error) return `wmic would reject the line: ${p.error}`;
  if (p.cutBeforeCreate) {
    const lost = 'the line was cut by a collector before its command could be read';
    if (remote.length > 0) return `${LIKELY} on ${remote.length} node(s): ${lost}`;
    // Stryker disable next-line ArrayDeclaration: equivalent: readGlobalSwitch sets cutTarget only together with a nodes array, so `?? []` is reached only when cutTarget is null and the `&&` has already short-circuited
    if (p.cutTarget !== null && (p.nodes ?? []).length === 0) return `${lost}, inside its only /node target`;
    return `${lost}, with no remote /node target visible`;
  }
  if (p.className !== 'win32_process') return p.className ? `not Win32_Process (${p.className.slice(0, 60)})` : 'no command: wmic reads commands from stdin';
  if (p.verb !== 'call') return p.verb ? `verb "${p.verb}" is not call create` : 'no verb: wmic lists instances';
  // Stryker disable next-line StringLiteral: the `''` for a null method is equivalent: parseWmicLine gives `call` without a method an error, help or cutBeforeCreate, all judged above; the blanked verdict template on this line is killed by test/detect/analyze-verdict-survivors.test.ts
  if (p.method !== 'create') return `method "${(p.method ?? '').slice(0, 60)}" is not Create`;
  if ((p.params[0] ?? '') === '') return 'call create without a CommandLine';
  if (p.nodes === null || p.nodes.length === 0) return 'no /node: the process is created on the local machine';
  if (remote.length === 0) return 'every /node target is the local machine';
  return `remote process creation on ${remote.length} node(s)`;
}

interface LineResult {
  readonly parse: WmicLine;
  readonly remote: readonly string[];
  readonly remoteExec: boolean;
  readonly verdict: string;
}

function judge(line: string, host: string | null, cut: boolean): LineResult {
  const parse = parseWmicLine(line, true, cut);
  const isLocal = localTargetTest(host);
  const remote = (parse.nodes ?? []).filter((t) => !isLocal(t));
  const verdict = verdictOf(parse, remote);
  return { parse, remote, remoteExec: verdict.startsWith('remote process creation') || verdict.startsWith(LIKELY), verdict };
}

/**
 * Whether the cut of a shell's line (at a collector size) reaches the embedded wmic line: it is the
 * last one found and its last word ends the shell's line, or it came from an encoded script (whose
 * base64 the cut shortened).
 */
function embeddedCut(shellLine: string, e: EmbeddedWmic, isLast: boolean): boolean {
  if (!isLast) return false;
  if (e.encoded) return true;
  const tail = e.line.trimEnd().split(/[\s"']+/).filter((w) => w !== '').pop() ?? '';
  return tail !== '' && shellLine.replaceAll('"', '').replaceAll("'", '').replaceAll('^', '').trimEnd().endsWith(tail.replaceAll('^', ''));
}

/** Base64-looking words of an encoded shell line: withheld when the decoded script held a password. */
function withholdEncoded(text: string): string {
  return text.replace(/[A-Za-z0-9+/]{16,}={0,2}/g, '[encoded command withheld: it contains a password]');
}

/** Analyses one xdr_data-shaped row; throws RowShapeError when the row cannot be read. */
export function analyzeCommandLine(row: Record<string, unknown>): WmicAnalysis {
  const f = readRow(row);
  const record = recordKind(f);
  let chosen: { line: string; result: LineResult; embedded: EmbeddedWmic | null } | null = null;
  const rowCut = atCollectorLimit(f.commandLine);
  if (record === 'wmic' || record === 'renamed-wmic') {
    chosen = { line: f.commandLine, result: judge(f.commandLine, f.sourceHost, rowCut), embedded: null };
  } else if (record === 'parent-shell') {
    const kind = shellKind(f.imageName ?? f.imagePath ?? splitProgram(f.commandLine).program) ?? 'cmd';
    const found = embeddedWmic(f.commandLine, kind);
    for (const [n, e] of found.entries()) {
      const result = judge(e.line, f.sourceHost, rowCut && embeddedCut(f.commandLine, e, n === found.length - 1));
      if (chosen === null || (result.remoteExec && !chosen.result.remoteExec)) chosen = { line: e.line, result, embedded: e };
      if (result.remoteExec) break;
    }
  }
  const p = chosen?.result.parse ?? null;
  let first = p?.params[0];
  // every credential typed on any line, then in the decoded scripts: each is hidden in every field
  // each distinct text is scanned for credentials once, however many fields show it
  const find = rememberingFinder();
  const lineSecrets = [...(p?.secrets ?? []), ...secretsIn(f.commandLine, find), ...secretsIn(f.parentCommandLine, find)];
  let commandLine = chosen?.embedded === null && p ? redactSpans(f.commandLine, p.secretSpans) : f.commandLine;
  if (chosen?.embedded?.encoded && lineSecrets.length > 0) commandLine = withholdEncoded(commandLine);
  const decoded = decodedScriptOf([first ?? null, record === 'parent-shell' ? f.commandLine : null, f.parentCommandLine], lineSecrets, find);
  const parentDecoded = decodedScriptOf([f.parentCommandLine], lineSecrets, find);
  const secrets = [...lineSecrets, ...decoded.secrets, ...parentDecoded.secrets];
  const redact = (text: string): string => redactSecrets(text, secrets, find);
  let parentCommandLine = f.parentCommandLine;
  if (decoded.heldSecret) {
    // the decoded script held a password: its base64 would give it away wherever it is shown
    commandLine = withholdEncoded(commandLine);
    if (first !== undefined) first = withholdEncoded(first);
  }
  if ((decoded.heldSecret || parentDecoded.heldSecret) && parentCommandLine !== null) parentCommandLine = withholdEncoded(parentCommandLine);
  const targets = p?.nodes ?? [];
  // redacted once: a wmic row shows the same text as its command line and as the wmic line
  const shownLine = redact(commandLine);
  // a row with only an image path was judged by that path's file name: the verdict names it too
  // Stryker disable next-line StringLiteral: a not-wmic record always has an image name or path (recordKind), so the '' for a missing path is never read
  const image = f.imageName ?? (baseName(f.imagePath ?? '') || 'unknown image');
  const verdict = chosen?.result.verdict ?? (record === 'not-wmic' ? `not a wmic process (${image})` : 'the shell starts no wmic');
  return {
    eventId: f.eventId,
    time: f.time,
    sourceHost: f.sourceHost,
    record,
    remoteExec: chosen?.result.remoteExec ?? false,
    verdict: redact(verdict),
    targets,
    remoteTargets: chosen?.result.remote ?? [],
    remoteCommand: first === undefined || first === '' ? null : redact(first),
    commandLine: capText(shownLine),
    // Stryker disable next-line ConditionalExpression: equivalent while every credential form catches what the wmic parser's spans hide (look-alike switch names included): redact(chosen.line) then gives shownLine's text; the spans stay as a second line of defence
    wmicCommandLine: chosen ? capText(chosen.embedded === null ? shownLine : redact(decoded.heldSecret ? withholdEncoded(chosen.line) : chosen.line)) : null,
    via: chosen?.embedded?.via ?? [],
    user: f.user,
    lineUser: p?.user ?? null,
    credentialsOnLine: p !== null && (p.user !== null || p.secrets.length > 0),
    failfast: p?.failfast ?? false,
    fileTargets: targets.some((t) => t.startsWith('@')),
    parseError: p?.error ?? null,
    help: p?.help ?? false,
    truncated: rowCut || (p !== null && (p.unterminated || p.cutBeforeCreate || p.cutTarget !== null)),
    cutTarget: p?.cutTarget ?? null,
    lookalike: p?.lookalike ?? false,
    obfuscated: chosen?.embedded?.obfuscated ?? false,
    encoded: chosen?.embedded?.encoded ?? false,
    decodedScript: decoded.script === null ? null : redact(decoded.script),
    decodeProblem: decoded.problem,
    parentDecodedScript: parentDecoded.script === null ? null : redact(parentDecoded.script),
    switchAfterAlias: p?.switchAfterAlias ?? false,
    imageName: f.imageName,
    parentImage: f.parentImage,
    parentImagePath: f.parentImagePath,
    parentCommandLine: parentCommandLine === null ? null : capText(redact(parentCommandLine)),
    causalitySha256: f.causalitySha256,
    agentId: f.agentId,
  };
}
