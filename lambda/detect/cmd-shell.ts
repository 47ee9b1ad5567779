/** What cmd.exe passes on: /c text, its quote rule, caret escapes, operators and redirections. */
import { isSpace } from './text.js';
import { splitProgram } from './tokenize.js';

/**
 * The command text after cmd's /c, /k or /r switch, with cmd's quote rule applied (cmd /?):
 * quotes are kept only when there are exactly two around an executable's path; otherwise the
 * first and the last quote are removed. Null when cmd has no /c or /k (an interactive shell).
 */
export function cmdCommandText(line: string): string | null {
  let i = splitProgram(line).rest;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n || line[i] !== '/') return null;
    const letter = (line[i + 1] ?? '').toLowerCase();
    if (letter === 'c' || letter === 'k' || letter === 'r') return applyQuoteRule(line.slice(i + 2));
    while (i < n && !isSpace(line[i])) i++;
  }
}

function applyQuoteRule(text: string): string {
  const t = text.trimStart();
  if (!t.startsWith('"')) return t;
  let quotes = 0;
  for (const c of t) if (c === '"') quotes++;
  const close = t.indexOf('"', 1);
  const inner = close > 0 ? t.slice(1, close) : '';
  const keep = quotes === 2 && /^[^&<>()@^|]*\.(?:exe|com|bat|cmd)$/i.test(inner);
  if (keep) return t;
  const last = t.lastIndexOf('"');
  return last > 0 ? t.slice(1, last) + t.slice(last + 1) : t.slice(1);
}

/**
 * Splits cmd command text into the commands cmd would run: `^` escapes removed outside quotes,
 * `&`, `&&`, `|`, `||` separate commands, `>`/`<` redirections (and their targets) dropped.
 * `%VAR%` is left as written: its value on the operator's machine is unknown here.
 */
export function cmdCommands(text: string): { commands: string[]; carets: boolean } {
  const commands: string[] = [];
  let out: string[] = [];
  let carets = false;
  let inQuote = false;
  const n = text.length;
  const flush = (): void => {
    const c = out.join('').trim();
    if (c.length > 0) commands.push(c);
    out = [];
  };
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      inQuote = !inQuote;
      out.push(c);
      i++;
    } else if (inQuote) {
      out.push(c);
      i++;
    } else if (c === '^') {
      carets = true;
      if (i + 1 < n) out.push(text[i + 1]!);
      i += 2;
    } else if (c === '&' || c === '|') {
      flush();
      i++;
    } else if (c === '>' || c === '<') {
      // `2>` : the handle digit belongs to the redirection
      const prev = out[out.length - 1];
      if (prev !== undefined && /^[0-9]$/.test(prev) && (out.length === 1 || isSpace(out[out.length - 2]))) out.pop();
      i++;
      if (text[i] === '>') i++;
      if (text[i] === '&' && /[0-9]/.test(text[i + 1] ?? '')) {
        i += 2;
        continue;
      }
      while (i < n && isSpace(text[i])) i++;
      let q = false;
      while (i < n && (q || (!isSpace(text[i]) && text[i] !== '&' && text[i] !== '|'))) {
        if (text[i] === '"') q = !q;
        i++;
      }
    } else {
      out.push(c);
      i++;
    }
  }
  flush();
  return { commands, carets };
}

/** Strips cmd's command prefixes (`@`, `(`, `start [title] [/opts]`, `call`, `for ... do`) to reach the program. */
export function cmdProgramCommand(command: string): string {
  let c = command.trim();
  for (let guard = 0; guard < 8; guard++) {
    while (c.startsWith('@') || c.startsWith('(')) c = c.slice(1).trimStart();
    while (c.endsWith(')') && !c.includes('(')) c = c.slice(0, -1).trimEnd();
    const { program, rest } = splitProgram(c);
    const word = program.toLowerCase();
    if (word === 'call') {
      c = c.slice(rest).trimStart();
    } else if (word === 'start') {
      let r = c.slice(rest).trimStart();
      if (r.startsWith('"')) r = r.slice(splitProgram(r).rest).trimStart();
      while (r.startsWith('/')) r = r.slice(splitProgram(r).rest).trimStart();
      c = r;
    } else if (word === 'for') {
      const m = /\sdo\s/i.exec(c);
      if (!m) return c;
      c = c.slice(m.index + m[0].length).trimStart();
    } else {
      return c;
    }
  }
  return c;
}
