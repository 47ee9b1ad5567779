/**
 * PowerShell syntax the credential scanners of secret-forms.ts read beyond a plain word.
 */
import { skipBlanks, type Word } from './secret-words.js';

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
  if (text[body] !== '\n') return null;
  close.lastIndex = body;
  const m = close.exec(text);
  const end = m === null ? text.length : m.index + m[0].length;
  const value = text.slice(body + 1, m === null ? text.length : m.index).replace(/\r$/, '');
  return { start: i, end, value };
}
