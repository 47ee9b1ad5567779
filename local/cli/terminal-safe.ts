/**
 * Everything the command line prints passes through here, because much of it is the intruder's
 * text (command lines, host names, users, XSIAM's error text quoting them) and a terminal acts on
 * control characters: ESC and C1 CSI (U+009B) start escape sequences (colours, cursor moves, OSC 8
 * links, OSC 52 clipboard writes, window titles), and bidi controls (U+202E) reorder what is shown
 * (Trojan Source, CVE-2021-42574). Text shows each as `[U+XXXX]`; JSON gets `\uXXXX` escapes, so
 * the data is the same after JSON.parse (JSON.stringify leaves C1, U+2028/2029 and bidi raw).
 * Unicode's bidi and format controls: https://www.unicode.org/reports/tr9/#Explicit_Directional_Formatting_Characters
 */

/** C0 (but tab and line feed), DEL and C1, the Arabic letter mark, zero-width and bidi marks, line/paragraph separators, bidi embeddings, overrides and isolates, invisible operators, BOM, interlinear annotation. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

const code = (c: string): string => c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

/**
 * Text for a terminal: unsafe characters as `[U+XXXX]`; tabs and line breaks stay. A carriage
 * return only at the very start of a write (the progress bar redrawing its own line).
 */
export function terminalText(text: string): string {
  const lead = text.startsWith('\r') ? '\r' : '';
  return lead + text.slice(lead.length).replace(UNSAFE, (c) => `[U+${code(c)}]`);
}

/**
 * JSON (a document or JSONL) with every unsafe character as a `\uXXXX` escape. Outside strings
 * JSON holds only ASCII punctuation, digits, letters and whitespace, so every unsafe character
 * found is inside a string, where the escape means the same character; line feeds separate lines
 * and stay, tabs and carriage returns (never printed raw by JSON.stringify) are escaped too.
 */
export function terminalJson(text: string): string {
  return text.replace(/[\t\r]/g, (c) => `\\u${code(c)}`).replace(UNSAFE, (c) => `\\u${code(c).toLowerCase()}`);
}

/** Whether a command's stdout is JSON: run and backfill with `--output json`, xql (JSONL), explain reading stdin (JSONL). */
export function writesJson(command: string, args: readonly string[]): boolean {
  if (command === 'xql') return true;
  if (command === 'explain') return explainPositionals(args) === 0;
  return args.some((a, i) => a === '--output=json' || (a === '--output' && args[i + 1] === 'json'));
}

/** explain's command-line words (a report in text); none means JSONL answers to stdin rows. */
function explainPositionals(args: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--host' || args[i] === '--state') i += 1;
    else n += 1;
  }
  return n;
}
