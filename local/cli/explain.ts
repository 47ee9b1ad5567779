/**
 * `npm run hunt -- explain`: what the detector makes of wmic command lines.
 * JSONL rows on stdin → one JSON line per input line on stdout, in order; or one command line
 * as an argument → a readable report. Core functions are pure; runExplain is the thin shell.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { RiskReason, Severity, Suppression } from '../../lambda/finding.js';
import type { HuntDefinition } from '../../lambda/hunts/index.js';
import { DEFAULT_HUNT_ID, huntById } from '../../lambda/modules/index.js';
import { localHunts } from '../hunts/index.js';
import { analyzeCommandLine, assessRisk, DEFAULT_ALLOWLIST, matchAllowlist, RowShapeError, type Allowlist, type WmicAnalysis } from '../../lambda/detect/index.js';
import { FileStateStore } from '../adapters/index.js';
import { explainLineWithHistory, renderHistory, withHistory, type HistoryLens } from './explain-history.js';

export interface ExplainDeps {
  /** @default the default hunt of hunts/ (the WMIC hunt, whose line parser this explains) */
  readonly hunt: HuntDefinition;
  /** @default DEFAULT_ALLOWLIST */
  readonly allowlist: Allowlist;
  /** Epoch ms, for allowlist expiry. @default Date.now */
  readonly now: () => number;
}

export const DEFAULT_EXPLAIN_DEPS: ExplainDeps = { hunt: huntById(localHunts(), DEFAULT_HUNT_ID).card, allowlist: DEFAULT_ALLOWLIST, now: Date.now };

/** One explain answer: the issue's fields first, then the extras. */
export interface ExplainOutput {
  readonly event_id: string | null;
  readonly remoteExec: boolean;
  readonly targets: readonly string[];
  readonly remoteTargets: readonly string[];
  readonly remoteCommand: string | null;
  /** Null when the line is not remote process creation (no finding, so no score). */
  readonly riskScore: number | null;
  readonly severity: Severity | null;
  readonly reasons: readonly RiskReason[];
  /** Set when every remote target is allowlisted. */
  readonly suppressed: Suppression | null;
  readonly suppressedTargets: readonly { readonly target: string; readonly entryId: string }[];
  readonly verdict: string;
  readonly record: string;
  readonly user: string | null;
  readonly lineUser: string | null;
  readonly credentialsOnLine: boolean;
  readonly failfast: boolean;
  readonly fileTargets: boolean;
  readonly parseError: string | null;
  readonly truncated: boolean;
  readonly via: readonly string[];
  readonly wmicCommandLine: string | null;
  /** The /node element a collector's cut went through (never in `targets`). */
  readonly cutTarget: string | null;
  /** The decoded -EncodedCommand script (redacted, capped), or null. */
  readonly decodedScript: string | null;
  readonly parentDecodedScript: string | null;
  /** Why an -EncodedCommand payload could not be decoded, or null. */
  readonly decodeProblem: string | null;
}

/** Builds the explain answer for one analysed row. */
export function explainAnalysis(a: WmicAnalysis, deps: ExplainDeps): ExplainOutput {
  const risk = a.remoteExec ? assessRisk(a, deps.hunt.riskScore) : null;
  const now = deps.now();
  const matches = a.remoteTargets.map((target) => ({
    target,
    s: matchAllowlist(deps.allowlist, {
      sourceHost: a.sourceHost, targetHost: target, user: a.user, parentImage: a.parentImage, parentImagePath: a.parentImagePath,
      causalitySha256: a.causalitySha256, remoteCommand: a.remoteCommand,
    }, now),
  }));
  const suppressedTargets = matches.flatMap((m) => (m.s ? [{ target: m.target, entryId: m.s.entryId }] : []));
  const all = matches.length > 0 && matches.every((m) => m.s !== null);
  return {
    event_id: a.eventId,
    remoteExec: a.remoteExec,
    targets: a.targets,
    remoteTargets: a.remoteTargets,
    remoteCommand: a.remoteCommand,
    riskScore: risk?.riskScore ?? null,
    severity: risk?.severity ?? null,
    reasons: risk?.reasons ?? [],
    suppressed: all ? matches[0]!.s : null,
    suppressedTargets,
    verdict: a.verdict,
    record: a.record,
    user: a.user,
    lineUser: a.lineUser,
    credentialsOnLine: a.credentialsOnLine,
    failfast: a.failfast,
    fileTargets: a.fileTargets,
    parseError: a.parseError,
    truncated: a.truncated,
    via: a.via,
    wmicCommandLine: a.wmicCommandLine,
    cutTarget: a.cutTarget,
    decodedScript: a.decodedScript,
    decodeProblem: a.decodeProblem,
    parentDecodedScript: a.parentDecodedScript,
  };
}

/** Best-effort event id of a line that is not valid JSON (for the error answer). */
function salvageEventId(line: string): string | null {
  const m = /"event_id"\s{0,10}:\s{0,10}"([^"\\]{1,200})"/.exec(line) ?? /"event_id"\s{0,10}:\s{0,10}(\d{1,30})/.exec(line);
  return m?.[1] ?? null;
}

/** Explains one JSONL input line; never throws. Returns the JSON text of the answer. */
export function explainJsonLine(line: string, lineNo: number, deps: ExplainDeps): string {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch {
    // JSON.parse messages quote the input, which may hold a password: keep our own words
    return JSON.stringify({ event_id: salvageEventId(line), line: lineNo, error: `line ${lineNo}: not valid JSON` });
  }
  if (row === null || typeof row !== 'object' || Array.isArray(row)) {
    return JSON.stringify({ event_id: null, line: lineNo, error: `line ${lineNo}: expected a JSON object (one xdr_data row)` });
  }
  try {
    return JSON.stringify(explainAnalysis(analyzeCommandLine(row as Record<string, unknown>), deps));
  } catch (err) {
    const eventId = err instanceof RowShapeError ? err.eventId : null;
    const problem = err instanceof RowShapeError ? err.message : `analysis failed (${err instanceof Error ? err.name : 'unknown error'})`;
    return JSON.stringify({ event_id: eventId, line: lineNo, error: `line ${lineNo}: ${problem}` });
  }
}

/** Multi-line human rendering of one answer. */
export function renderExplanation(o: ExplainOutput, commandLine: string): string {
  const lines = [
    `command line : ${commandLine}`,
    `verdict      : ${o.remoteExec ? 'REMOTE PROCESS CREATION' : 'not remote process creation'} — ${o.verdict}`,
    `targets      : ${o.targets.length ? o.targets.join(', ') : '(none)'}`,
    `remote       : ${o.remoteTargets.length ? o.remoteTargets.join(', ') : '(none)'}`,
    `command      : ${o.remoteCommand ?? '(none)'}`,
  ];
  if (o.via.length) lines.push(`via shell    : ${o.via.join(' → ')}  (wmic sees: ${o.wmicCommandLine ?? ''})`);
  if (o.lineUser !== null || o.credentialsOnLine) lines.push(`credentials  : /user ${o.lineUser ?? '(none)'}, /password redacted`);
  if (o.failfast) lines.push('failfast     : on');
  if (o.truncated) lines.push('truncated    : the line looks cut; targets or command may be incomplete');
  if (o.cutTarget !== null) lines.push(`cut target   : ${o.cutTarget}… (the cut went through it: not reported)`);
  if (o.decodedScript !== null) lines.push('decoded PowerShell (-EncodedCommand):', ...o.decodedScript.split('\n').map((l) => `  | ${l}`));
  if (o.decodeProblem !== null) lines.push(`decoded PowerShell: none — ${o.decodeProblem}`);
  if (o.parentDecodedScript !== null && o.parentDecodedScript !== o.decodedScript) lines.push('decoded parent PowerShell (the launcher\'s -EncodedCommand):', ...o.parentDecodedScript.split('\n').map((l) => `  | ${l}`));
  if (o.riskScore !== null) {
    lines.push(`risk         : ${o.riskScore} (${o.severity})`);
    for (const r of o.reasons) lines.push(`  ${r.points > 0 ? '+' : ''}${r.points}  ${r.code} — ${r.detail}`);
  }
  if (o.suppressed) lines.push(`suppressed   : allowlist entry ${o.suppressed.entryId} (${o.suppressed.owner}, until ${o.suppressed.expires})`);
  else if (o.suppressedTargets.length) lines.push(`allowlisted  : ${o.suppressedTargets.map((s) => `${s.target} (${s.entryId})`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export const EXPLAIN_USAGE = `usage: npm run hunt -- explain [--host NAME] '<wmic command line>'
       npm run hunt -- explain < rows.jsonl
  With a command line: a readable report of what the detector makes of it (--host: the event's own host).
  Without one: reads xdr_data rows (JSONL) on stdin and writes one JSON answer per line.`;

export interface ExplainIo {
  readonly stdin: Readable;
  readonly write: (text: string) => void;
  readonly error: (text: string) => void;
}

/** Runs the explain command; returns the exit code (0: answered, even when some lines carried errors). */
export async function runExplain(args: readonly string[], io: ExplainIo, deps: ExplainDeps = DEFAULT_EXPLAIN_DEPS): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.write(`${EXPLAIN_USAGE}\n`);
    return 0;
  }
  const positional = [...args];
  let host: string | undefined;
  const hostAt = positional.indexOf('--host');
  if (hostAt >= 0) {
    host = positional[hostAt + 1];
    if (host === undefined) {
      io.error('explain: --host needs a host name\n');
      return 2;
    }
    positional.splice(hostAt, 2);
  }
  // --state DIR: add the history reasons the embedded store's history in DIR gives.
  let lens: HistoryLens | undefined;
  const stateAt = positional.indexOf('--state');
  if (stateAt >= 0) {
    const dir = positional[stateAt + 1];
    if (dir === undefined) {
      io.error('explain: --state needs a state folder\n');
      return 2;
    }
    positional.splice(stateAt, 2);
    lens = { store: new FileStateStore({ dir }), hunt: deps.hunt, now: deps.now };
  }
  if (positional.length > 0) {
    const commandLine = positional.join(' ');
    const row = { event_id: 'cli', action_process_image_command_line: commandLine, agent_hostname: host ?? null };
    try {
      const analysis = analyzeCommandLine(row);
      const answer = explainAnalysis(analysis, deps);
      if (lens === undefined) {
        io.write(renderExplanation(answer, analysis.commandLine));
        return 0;
      }
      const judged = await withHistory(answer, analysis, lens);
      io.write(renderExplanation(judged, analysis.commandLine) + renderHistory(judged.history));
      return 0;
    } catch (err) {
      io.error(`explain: ${err instanceof RowShapeError ? err.message : 'analysis failed'}\n`);
      return 1;
    }
  }
  // On a terminal, silence would look like a hang: say what is expected.
  if ((io.stdin as { isTTY?: boolean }).isTTY === true) {
    io.error('explain: reading xdr_data rows (JSONL) from stdin; end with Ctrl-D. For one command line: npm run hunt -- explain \'wmic ...\' (--help)\n');
  }
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') {
      io.write(`${JSON.stringify({ event_id: null, line: lineNo, error: `line ${lineNo}: empty line` })}\n`);
      continue;
    }
    const answer = explainJsonLine(line, lineNo, deps);
    io.write(`${lens === undefined ? answer : await explainLineWithHistory(line, answer, lens)}\n`);
  }
  return 0;
}
