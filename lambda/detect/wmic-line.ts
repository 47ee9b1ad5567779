/**
 * Parses one wmic command line by wmic's own grammar (see docs/reference/wmic-parsing.md):
 * `[global switches] <alias | PATH class | CLASS class> [WHERE wql | object] [verb clause]`.
 */
import { isSwitch, readGlobalSwitch, type SwitchState } from './global-switches.js';
import { foldKeyword, hasLookalike } from './text.js';
import { splitProgram, tokenize, unquote, type Token } from './tokenize.js';
import { parseVerbParams } from './verb-params.js';

/** What wmic would do with one command line, before host context decides local vs remote. */
export interface WmicLine {
  /** Why wmic would reject the line, or null when it parses. */
  readonly error: string | null;
  /** `/?` somewhere: help is printed, nothing runs. */
  readonly help: boolean;
  /** The /node elements (lower-cased, quotes removed), or null when there is no /node switch. */
  readonly nodes: readonly string[] | null;
  /** `/user:` value, quotes removed. */
  readonly user: string | null;
  /** `/password:` values as typed (for redaction) and the line spans that hold them. */
  readonly secrets: readonly string[];
  readonly secretSpans: readonly (readonly [number, number])[];
  readonly failfast: boolean;
  /** Class the command addresses (`win32_process` for the process alias), or the alias itself. */
  readonly className: string | null;
  readonly verb: string | null;
  readonly method: string | null;
  /** Positional parameters of the verb clause (decoded). */
  readonly params: readonly string[];
  /** A quoted parameter has no closing quote (often a truncated log line). */
  readonly unterminated: boolean;
  /** Keywords spelled with Unicode look-alikes that fold to ASCII. */
  readonly lookalike: boolean;
  /** Global switches written after the alias (outside the documented grammar, accepted here). */
  readonly switchAfterAlias: boolean;
  /** The last /node element, left out of `nodes` because a collector's cut went through it. */
  readonly cutTarget: string | null;
  /**
   * The line was cut before `call create` and its CommandLine could be read, and everything visible
   * is a prefix of `[switches] process call create`: the verb was lost, not absent.
   */
  readonly cutBeforeCreate: boolean;
}

const VERBS = new Set(['call', 'get', 'list', 'set', 'create', 'delete', 'assoc']);

/** The parse as it is built: the switch state plus the command part (returned as the WmicLine itself, no copy). */
interface LineState extends SwitchState {
  className: string | null;
  verb: string | null;
  method: string | null;
  params: readonly string[];
  unterminated: boolean;
  switchAfterAlias: boolean;
  cutBeforeCreate: boolean;
}

/** A keyword as wmic compares it; notes a look-alike spelling. */
function keyword(t: Token, s: LineState): string {
  if (hasLookalike(t.text)) s.lookalike = true;
  return foldKeyword(t.text);
}

/** True when `word` (folded) is a strict prefix of one of `full`: what a cut keyword may have been. */
function cutPrefix(word: string, ...full: string[]): boolean {
  return full.some((f) => f.startsWith(word));
}

/**
 * Parses a wmic command line; `hasProgram` says whether it starts with argv[0] (wmic's own name).
 * `cut` says a collector cut the line at a fixed length (the caller knows the row's length); a line
 * ending inside an unclosed quote is read as cut too. A token that touches the cut is read as a
 * possibly shortened word: never a target, never a reason to reject the line.
 */
export function parseWmicLine(line: string, hasProgram = true, cut = false): WmicLine {
  const from = hasProgram ? splitProgram(line) : { program: '', rest: 0 };
  // a line that starts with a switch has no program name in it (some collectors drop argv[0])
  const firstChar = from.program.replaceAll('"', '')[0];
  const start = hasProgram && (firstChar === '/' || firstChar === '-') ? 0 : from.rest;
  const tokens = tokenize(line, start);
  const last = tokens[tokens.length - 1];
  const isCut = cut || last?.open === true;
  /** The token touches the end of a cut line: it may be shortened. */
  const partial = (t: Token | undefined): boolean => isCut && t !== undefined && t === last && t.end === line.length;
  // one object, filled in place and returned: this runs once per distinct row
  const s: LineState = {
    error: null, help: false, nodes: null, user: null, secrets: [], secretSpans: [], failfast: false, lookalike: false,
    className: null, verb: null, method: null, params: [], unterminated: false, switchAfterAlias: false,
    cutAt: isCut ? line.length : null, cutTarget: null, cutInSwitch: false, cutBeforeCreate: false,
  };

  let i = 0;
  while (i < tokens.length && isSwitch(tokens[i]!) && s.error === null && !s.help) i = readGlobalSwitch(tokens, i, s);
  if (s.error !== null || s.help) return s;
  if (i >= tokens.length) {
    // only switches survived the cut: the command was lost with the rest of the line
    s.cutBeforeCreate = isCut && s.nodes !== null;
    return s;
  }

  const headToken = tokens[i]!;
  const head = keyword(headToken, s);
  i++;
  if (partial(headToken) && cutPrefix(head, 'process', 'path', 'class')) {
    s.cutBeforeCreate = true;
    return s;
  }
  if (head === 'path' || head === 'class') {
    const target = tokens[i];
    if (!target) {
      if (isCut) s.cutBeforeCreate = true;
      else s.error = `${head} needs a class name`;
      return s;
    }
    const raw = foldKeyword(unquote(target.text));
    s.className = raw.slice(raw.lastIndexOf(':') + 1);
    i++;
    if (partial(target) && cutPrefix(s.className, 'win32_process')) {
      s.cutBeforeCreate = true;
      return s;
    }
  } else {
    s.className = head === 'process' ? 'win32_process' : head;
  }

  let sawObject = false;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (isSwitch(t)) {
      s.switchAfterAlias = true;
      i = readGlobalSwitch(tokens, i, s);
      if (s.error !== null || s.help) return s;
      continue;
    }
    const w = keyword(t, s);
    if (partial(t) && s.className === 'win32_process' && !(VERBS.has(w) && w !== 'call')) {
      // `process ca`, `process where`, `process 1234`: whatever it was, the verb came after it
      s.cutBeforeCreate = true;
      return s;
    }
    if (VERBS.has(w)) {
      s.verb = w;
      i++;
      break;
    }
    if (w === 'where') {
      i++;
      // an unquoted parenthesised WQL may span tokens: read to the balancing ')'
      let depth = 0;
      do {
        const q = tokens[i];
        if (!q) break;
        for (const c of q.text) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
        i++;
      } while (depth > 0);
      continue;
    }
    if (sawObject) {
      s.error = `unexpected "${t.text.slice(0, 40)}" before the verb`;
      return s;
    }
    sawObject = true;
    i++;
  }
  if (s.verb === null && isCut && s.className === 'win32_process') s.cutBeforeCreate = true;
  if (s.verb !== 'call') return s;
  const m = tokens[i];
  if (!m) {
    if (isCut && s.className === 'win32_process') s.cutBeforeCreate = true;
    else s.error = 'call needs a method name';
    return s;
  }
  if (isSwitch(m) && foldKeyword(m.text.slice(1)).startsWith('?')) {
    s.help = true;
    return s;
  }
  s.method = keyword(m, s);
  if (partial(m) && s.className === 'win32_process' && cutPrefix(s.method, 'create')) {
    s.cutBeforeCreate = true;
    return s;
  }
  const vp = parseVerbParams(line, m.end);
  s.params = vp.params;
  s.unterminated = vp.unterminated;
  if (vp.help) s.help = true;
  if (vp.error) s.error = vp.error;
  // `call create ` and then the cut: the CommandLine itself was lost
  if (isCut && s.method === 'create' && s.className === 'win32_process' && (s.params[0] ?? '') === '' && s.error === null) s.cutBeforeCreate = true;
  return s;
}
