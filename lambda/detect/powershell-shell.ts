/** What PowerShell passes on: its script (-Command, -EncodedCommand) and native command lines built from it. */
import { isSpace } from './text.js';
import { splitProgram } from './tokenize.js';

/** Splits a process command line into argv by the Microsoft C runtime rules (backslashes before quotes). */
export function crtArgs(line: string, from: number): string[] {
  const args: string[] = [];
  const n = line.length;
  let i = from;
  while (i < n) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) break;
    const arg: string[] = [];
    let inQuote = false;
    while (i < n) {
      const c = line[i]!;
      if (c === '\\') {
        let k = 0;
        while (line[i + k] === '\\') k++;
        if (line[i + k] === '"') {
          arg.push('\\'.repeat(k >> 1));
          if (k % 2 === 1) {
            arg.push('"');
            i += k + 1;
          } else i += k;
        } else {
          arg.push('\\'.repeat(k));
          i += k;
        }
        continue;
      }
      if (c === '"') {
        if (inQuote && line[i + 1] === '"') {
          arg.push('"');
          i += 2;
          continue;
        }
        inQuote = !inQuote;
        i++;
        continue;
      }
      if (!inQuote && isSpace(c)) break;
      const run = i;
      i++;
      while (i < n && line[i] !== '\\' && line[i] !== '"' && (inQuote || !isSpace(line[i]))) i++;
      arg.push(line.slice(run, i));
    }
    args.push(arg.join(''));
  }
  return args;
}

const VALUE_PARAMS = ['executionpolicy', 'windowstyle', 'version', 'inputformat', 'outputformat', 'configurationname', 'psconsolefile', 'workingdirectory', 'settingsfile', 'encodedarguments'];
const VALUE_ALIASES = new Set(['ep', 'ex', 'w', 'v', 'if', 'of', 'wd', 'ea']);

/** An -EncodedCommand payload decoded, or why it could not be. */
export type DecodedPayload = { readonly script: string; readonly problem: null } | { readonly script: null; readonly problem: string };

/**
 * Decodes an -EncodedCommand payload: base64 (Convert.FromBase64String's alphabet, whitespace
 * ignored) of UTF-16LE text. A payload a collector cut keeps its whole characters. Text that is
 * not UTF-16 (base64 of ASCII or UTF-8 decodes to CJK-looking noise, NULs or lone surrogates) is
 * refused rather than shown as if PowerShell could run it.
 */
export function decodeEncodedCommand(text: string): DecodedPayload {
  const b64 = text.replace(/\s+/g, '');
  if (b64 === '') return { script: null, problem: 'the -EncodedCommand payload is empty' };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return { script: null, problem: 'the -EncodedCommand payload is not base64' };
  const bytes = Buffer.from(b64, 'base64');
  // an odd byte count: the cut (or a sloppy encoder) left half a character at the end
  const whole = bytes.subarray(0, bytes.length - (bytes.length % 2));
  if (whole.length === 0) return { script: null, problem: 'the -EncodedCommand payload decodes to nothing' };
  const script = whole.toString('utf16le');
  let plain = 0;
  for (let i = 0; i < script.length; i++) {
    const c = script.charCodeAt(i);
    if (c === 0) return { script: null, problem: 'the -EncodedCommand payload is not UTF-16LE text' };
    if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && (script.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (!pair) return { script: null, problem: 'the -EncodedCommand payload is not UTF-16LE text' };
      i++;
      continue;
    }
    if (c < 0x80) plain++;
  }
  // scripts are mostly ASCII; base64 of 8-bit text read as UTF-16LE is almost none
  if (plain * 2 < script.length) return { script: null, problem: 'the -EncodedCommand payload is not UTF-16LE text' };
  return { script, problem: null };
}

function decodeUtf16Base64(text: string): string | null {
  return decodeEncodedCommand(text).script;
}

/** True when a PowerShell parameter name (without its `-`/`/`) selects -EncodedCommand (`-e`, `-ec`, `-enc`, ...). */
export function isEncodedCommandName(name: string): boolean {
  return name === 'e' || name === 'ec' || (name.length >= 2 && 'encodedcommand'.startsWith(name));
}

/**
 * The -EncodedCommand payload of a powershell.exe / pwsh.exe command line, or null when the line
 * has none before its script or -File. Parameters are read the way PowerShell reads them.
 */
export function encodedCommandPayload(line: string): string | null {
  const args = crtArgs(line, splitProgram(line).rest);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!(a.startsWith('-') || a.startsWith('/'))) return null;
    const name = a.replace(/^(?:--|-|\/)/, '').toLowerCase();
    if (isEncodedCommandName(name)) return args[i + 1] ?? '';
    if (name === 'c' || (name.length >= 3 && 'command'.startsWith(name))) return null;
    if (name === 'f' || (name.length >= 2 && 'file'.startsWith(name))) return null;
    if (VALUE_ALIASES.has(name) || (name.length >= 2 && VALUE_PARAMS.some((p) => p.startsWith(name)))) i++;
  }
  return null;
}

/**
 * The script a powershell.exe / pwsh.exe command line runs, and whether it came encoded.
 * Null when it runs a -File or nothing readable.
 */
export function powershellScript(line: string): { script: string; encoded: boolean } | null {
  const args = crtArgs(line, splitProgram(line).rest);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!(a.startsWith('-') || a.startsWith('/'))) return { script: args.slice(i).join(' '), encoded: false };
    const name = a.slice(1).toLowerCase();
    if (name === 'c' || (name.length >= 3 && 'command'.startsWith(name))) return { script: args.slice(i + 1).join(' '), encoded: false };
    if (isEncodedCommandName(name)) {
      const decoded = decodeUtf16Base64(args[i + 1] ?? '');
      return decoded === null ? null : { script: decoded, encoded: true };
    }
    if (name === 'f' || (name.length >= 2 && 'file'.startsWith(name))) return null;
    if (VALUE_ALIASES.has(name) || (name.length >= 2 && VALUE_PARAMS.some((p) => p.startsWith(name)))) i++;
  }
  return null;
}

/** Splits a PowerShell script into statements at `;`, newlines, pipes, `&&`/`||` and braces outside quotes. */
export function powershellStatements(script: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quote: string | null = null;
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === '`') {
      i++;
      continue;
    }
    if (quote !== null) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === ';' || c === '\n' || c === '\r' || c === '|' || c === '{' || c === '}' || (c === '&' && script[i + 1] === '&')) {
      out.push(script.slice(start, i));
      start = i + 1;
    }
  }
  out.push(script.slice(start));
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** PowerShell's argument values of one statement: quotes resolved, backtick escapes applied. */
export function powershellArgs(statement: string): string[] {
  const args: string[] = [];
  const n = statement.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(statement[i])) i++;
    if (i >= n) break;
    if (statement.startsWith('--%', i)) {
      const rest = statement.slice(i + 3).trim();
      if (rest) args.push(...rest.split(/\s+/));
      break;
    }
    const parts: string[] = [];
    while (i < n && !isSpace(statement[i])) {
      const c = statement[i]!;
      if (c === "'") {
        i++;
        while (i < n) {
          if (statement[i] === "'" && statement[i + 1] === "'") {
            parts.push("'");
            i += 2;
          } else if (statement[i] === "'") break;
          else parts.push(statement[i++]!);
        }
        i++;
      } else if (c === '"') {
        i++;
        while (i < n && statement[i] !== '"') {
          if (statement[i] === '`' && i + 1 < n) i++;
          parts.push(statement[i++]!);
        }
        i++;
      } else if (c === '`' && i + 1 < n) {
        parts.push(statement[i + 1]!);
        i += 2;
      } else {
        const run = i;
        while (i < n && !isSpace(statement[i]) && statement[i] !== "'" && statement[i] !== '"' && statement[i] !== '`') i++;
        parts.push(statement.slice(run, i));
      }
    }
    args.push(parts.join(''));
  }
  return args;
}

/** The command line Windows PowerShell 5.1 builds for a native program: args with spaces get double quotes. */
export function nativeCommandLine(program: string, args: readonly string[]): string {
  const quote = (a: string): string => (a === '' || [...a].some((c) => isSpace(c)) ? `"${a}"` : a);
  return [program, ...args.map(quote)].join(' ');
}
