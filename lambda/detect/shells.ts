/** Finds the wmic invocations a cmd.exe or PowerShell parent record launches, as that shell passes them on. */
import { cmdCommandText, cmdCommands, cmdProgramCommand } from './cmd-shell.js';
import { nativeCommandLine, powershellArgs, powershellScript, powershellStatements } from './powershell-shell.js';
import { baseName } from './text.js';
import { splitProgram } from './tokenize.js';

export type ShellKind = 'cmd' | 'powershell';

/** One wmic command line found inside a shell's command line. */
export interface EmbeddedWmic {
  /** The wmic command line as wmic would receive it (program name first). */
  readonly line: string;
  /** Shells it went through, outermost first. */
  readonly via: readonly ShellKind[];
  /** The shell line used caret escapes or an encoded command to hide it. */
  readonly obfuscated: boolean;
  readonly encoded: boolean;
}

const MAX_DEPTH = 4;
const MAX_RESULTS = 16;

/** The shell an image or program name is, if any. */
export function shellKind(name: string): ShellKind | null {
  const b = baseName(name);
  if (b === 'cmd' || b === 'cmd.exe') return 'cmd';
  if (b === 'powershell' || b === 'powershell.exe' || b === 'pwsh' || b === 'pwsh.exe' || b === 'powershell_ise.exe') return 'powershell';
  return null;
}

/** True when a program name is wmic (any case, any path, with or without .exe). */
export function isWmicName(name: string): boolean {
  const b = baseName(name);
  return b === 'wmic' || b === 'wmic.exe';
}

interface Ctx {
  readonly via: ShellKind[];
  readonly obfuscated: boolean;
  readonly encoded: boolean;
  readonly out: EmbeddedWmic[];
}

/** Dispatches one command line (program first) that a shell is about to start. */
function visitCommand(line: string, ctx: Ctx, depth: number): void {
  if (ctx.out.length >= MAX_RESULTS || depth > MAX_DEPTH) return;
  const program = splitProgram(line).program;
  if (isWmicName(program)) {
    ctx.out.push({ line, via: [...ctx.via], obfuscated: ctx.obfuscated, encoded: ctx.encoded });
    return;
  }
  const kind = shellKind(program);
  if (kind === 'cmd') visitCmd(line, ctx, depth + 1);
  else if (kind === 'powershell') visitPowershell(line, ctx, depth + 1);
}

function visitCmd(line: string, ctx: Ctx, depth: number): void {
  const text = cmdCommandText(line);
  if (text === null) return;
  const { commands, carets } = cmdCommands(text);
  const next: Ctx = { ...ctx, via: [...ctx.via, 'cmd'], obfuscated: ctx.obfuscated || carets };
  for (const c of commands) visitCommand(cmdProgramCommand(c), next, depth);
}

function visitPowershell(line: string, ctx: Ctx, depth: number): void {
  const found = powershellScript(line);
  if (found === null) return;
  visitScript(found.script, { ...ctx, via: [...ctx.via, 'powershell'], encoded: ctx.encoded || found.encoded }, depth);
}

function visitScript(script: string, next: Ctx, depth: number): void {
  if (depth > MAX_DEPTH) return;
  for (const statement of powershellStatements(script)) {
    const args = powershellArgs(statement);
    if (args[0] === '&' || args[0] === '.') args.shift();
    const program = args[0];
    if (program === undefined) continue;
    const lower = program.toLowerCase();
    if (lower === 'iex' || lower === 'invoke-expression') {
      visitScript(args.slice(1).join(' '), next, depth + 1);
      continue;
    }
    if (lower === 'start-process' || lower === 'saps' || lower === 'start') {
      const started = startProcessLine(args.slice(1));
      if (started !== null) visitCommand(started, next, depth);
      continue;
    }
    visitCommand(nativeCommandLine(program, args.slice(1)), next, depth);
  }
}

/** `Start-Process wmic -ArgumentList '...'`: the command line Start-Process builds. */
function startProcessLine(args: readonly string[]): string | null {
  let file: string | null = null;
  let list: string | null = null;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!.toLowerCase();
    if (a.startsWith('-') && a.length > 1) {
      const name = a.slice(1);
      const value = args[i + 1] ?? '';
      if ('filepath'.startsWith(name)) file = value;
      else if ('argumentlist'.startsWith(name) || name === 'args') list = value;
      else continue;
      i++;
    } else positional.push(args[i]!);
  }
  file ??= positional[0] ?? null;
  list ??= positional[1] ?? null;
  if (file === null) return null;
  return `${file} ${list ?? ''}`.trim();
}

/** Every wmic invocation a shell command line would start, outermost shell `kind`. */
export function embeddedWmic(commandLine: string, kind: ShellKind): EmbeddedWmic[] {
  const ctx: Ctx = { via: [], obfuscated: false, encoded: false, out: [] };
  if (kind === 'cmd') visitCmd(commandLine, ctx, 1);
  else visitPowershell(commandLine, ctx, 1);
  return ctx.out;
}
