/**
 * PowerShell syntax the credential scanners of secret-forms.ts read beyond a plain word.
 */
import { skipBlanks, wordAt, type Word } from './secret-words.js';

/** Commands whose result a password is assigned from: a prompt, or a form of its own (`$password = Read-Host -AsSecureString`). */
export const PROMPTS: ReadonlySet<string> = new Set(['read-host', 'get-credential', 'convertto-securestring']);

/**
 * The closing marker of a here-string: `'@` or `"@` at the start of a line (about_Quoting_Rules,
 * https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_quoting_rules,
 * "Here-strings"). Blanks before it are accepted too: hiding a line more is better than leaving one.
 */
const HERE_END: Readonly<Record<string, RegExp>> = { "'": /\n[ \t]*'@/g, '"': /\n[ \t]*"@/g };

/**
 * The here-string at `i` (`@'` or `@"`, then a line break; its value is every line up to the closing
 * `'@` / `"@`, or to the end of a cut text), quotes and markers in the span. Null when none starts at `i`.
 */
export function hereStringAt(text: string, i: number): Word | null {
  const close = HERE_END[text[i + 1]!];
  if (text[i] !== '@' || close === undefined) return null;
  let body = skipBlanks(text, i + 2);
  if (text[body] === '\r') body++;
  if (text[body] !== '\n') {
    // `@'S3cret'@` on one line is no here-string (PowerShell rejects it), but the text typed is the password
    const w = wordAt(text, i + 1)!;
    return { start: i, end: w.end + (text[w.end] === '@' ? 1 : 0), value: w.value };
  }
  close.lastIndex = body;
  const m = close.exec(text);
  const end = m === null ? text.length : m.index + m[0].length;
  const value = text.slice(body + 1, m === null ? text.length : m.index).replace(/\r$/, '');
  return { start: i, end, value };
}

/**
 * The element after a switch typed as a quoted array element (`start`..`end` is the switch):
 * `-ArgumentList '-p','PASS'`, `"-pw", "PASS"`, `-p,PASS`, or `\"-p\",\"PASS\"` inside a quoted line. Start-Process
 * passes each element as one argument ("an array of strings separated by commas",
 * https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.management/start-process).
 * Null when the switch is not a whole element followed by `,`.
 */
const BARE_ELEMENT = /[^\s"',]+/y;

export function arrayElementAfter(text: string, start: number, end: number): Word | null {
  const q = text[start - 1];
  // a bare element (`-ArgumentList \\fs01,-u,corp\admin,-p,PASS`) has no closing quote
  const quoted = q === "'" || q === '"';
  // `\"-p\"` inside a quoted command line closes with `\"`
  const close = text.startsWith('\\"', start - 2) ? '\\"' : quoted ? q : '';
  if (!text.startsWith(close, end)) return null;
  const comma = skipBlanks(text, end + close.length);
  if (text[comma] !== ',') return null;
  // quoted or not: in argument mode a bare word is a string too (about_Parsing); a bare one ends at the next `,`
  const at = skipBlanks(text, comma + 1);
  if (text[at] === '"' || text[at] === "'" || text.startsWith('\\"', at)) return wordAt(text, at);
  BARE_ELEMENT.lastIndex = at;
  const bare = BARE_ELEMENT.exec(text)?.[0];
  return bare === undefined ? null : { start: at, end: at + bare.length, value: bare };
}
