/** Reads the actual parameters and verb switches after `call <method>`, from the raw line. */
import { foldKeyword, isSpace } from './text.js';

export interface VerbParams {
  /** Positional parameters, decoded: quotes removed, `\"` inside double quotes turned into `"`. */
  readonly params: readonly string[];
  /** Why wmic would reject the clause (an unknown verb switch such as an unquoted payload's `/c`). */
  readonly error: string | null;
  /** `/?` after the verb: wmic prints help and runs nothing. */
  readonly help: boolean;
  /** A quoted parameter runs to the end of the line without its closing quote. */
  readonly unterminated: boolean;
}

const VERB_SWITCHES = new Set(['interactive', 'nointeractive']);

/** Reads a switch token (up to whitespace) starting at `i`; returns its folded name and the end offset. */
function readSwitch(line: string, i: number): { name: string; end: number } {
  let j = i + 1;
  while (j < line.length && !isSpace(line[j])) j++;
  const body = line.slice(i + 1, j);
  const colon = body.indexOf(':');
  return { name: foldKeyword(colon >= 0 ? body.slice(0, colon) : body), end: j };
}

/**
 * Parses `line` from `from` as wmic's verb parameter list: comma-separated, positional.
 * A parameter is a run of quoted and unquoted segments up to top-level whitespace or comma;
 * commas, `&`, `>` and `/x` inside quotes belong to the parameter. An unquoted token starting
 * with `/` or `-` is a verb switch: only /INTERACTIVE and /NOINTERACTIVE are valid.
 */
export function parseVerbParams(line: string, from: number): VerbParams {
  const params: string[] = [];
  let unterminated = false;
  let i = from;
  const n = line.length;
  while (i < n) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) break;
    const ch = line[i]!;
    if (ch === '/' || ch === '-') {
      const sw = readSwitch(line, i);
      if (sw.name.startsWith('?')) return { params, error: null, help: true, unterminated };
      if (!VERB_SWITCHES.has(sw.name)) {
        return { params, error: `invalid verb switch "${line.slice(i, Math.min(sw.end, i + 40))}"`, help: false, unterminated };
      }
      i = sw.end;
      continue;
    }
    if (ch === ',') {
      // an empty positional parameter (",x"): wmic passes it as empty
      params.push('');
      i++;
      continue;
    }
    const parts: string[] = [];
    while (i < n && !isSpace(line[i]) && line[i] !== ',') {
      const c = line[i]!;
      if (c === '"' || (c === "'" && parts.length === 0)) {
        const close = c;
        i++;
        let segStart = i;
        while (i < n && line[i] !== close) {
          if (close === '"' && line[i] === '\\' && line[i + 1] === '"') {
            parts.push(line.slice(segStart, i), '"');
            i += 2;
            segStart = i;
            continue;
          }
          i++;
        }
        parts.push(line.slice(segStart, i));
        if (i >= n) unterminated = true;
        else i++;
        continue;
      }
      const segStart = i;
      while (i < n && !isSpace(line[i]) && line[i] !== ',' && line[i] !== '"') i++;
      parts.push(line.slice(segStart, i));
    }
    params.push(parts.join(''));
    while (i < n && isSpace(line[i])) i++;
    if (line[i] === ',') i++;
  }
  return { params, error: null, help: false, unterminated };
}
