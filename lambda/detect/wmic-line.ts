/**
 * Parses one wmic command line by wmic's own grammar (see ../shared/reference/wmic-parsing.md):
 * `[global switches] <alias | PATH class | CLASS class> [WHERE wql | object] [verb clause]`.
 */
import { parseNodeList } from './nodes.js';
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
}

const GLOBAL_SWITCHES = new Set([
  'namespace', 'role', 'node', 'implevel', 'authlevel', 'locale', 'privileges', 'trace', 'record',
  'interactive', 'failfast', 'user', 'password', 'output', 'append', 'aggregate', 'authority',
]);
const NEEDS_VALUE = new Set(['namespace', 'role', 'node', 'locale', 'record', 'user', 'password', 'output', 'append', 'authority']);
const ENUM_VALUES: Readonly<Record<string, readonly string[]>> = {
  implevel: ['anonymous', 'identify', 'impersonate', 'delegate'],
  authlevel: ['default', 'none', 'connect', 'call', 'pkt', 'pktintegrity', 'pktprivacy'],
  trace: ['on', 'off'],
  interactive: ['on', 'off'],
  aggregate: ['on', 'off'],
  privileges: ['enable', 'disable'],
};
const VERBS = new Set(['call', 'get', 'list', 'set', 'create', 'delete', 'assoc']);
/** Values wmic's help says must be quoted when they hold `-` or `/`. */
const QUOTE_RULE = new Set(['user', 'password', 'record']);

interface Builder {
  error: string | null;
  help: boolean;
  nodes: string[] | null;
  user: string | null;
  secrets: string[];
  secretSpans: [number, number][];
  failfast: boolean;
  lookalike: boolean;
}

function isSwitch(token: Token): boolean {
  const c = token.text[0];
  return c === '/' || c === '-';
}

/** Reads one global switch at tokens[i]; returns the index after it. Sets b.error on rejection. */
function readGlobalSwitch(line: string, tokens: readonly Token[], i: number, b: Builder): number {
  const token = tokens[i]!;
  const body = token.text.slice(1);
  const colon = body.indexOf(':');
  const rawName = colon >= 0 ? body.slice(0, colon) : body;
  const name = foldKeyword(rawName);
  if (hasLookalike(rawName)) b.lookalike = true;
  if (name.startsWith('?')) {
    b.help = true;
    return i + 1;
  }
  if (!GLOBAL_SWITCHES.has(name)) {
    b.error = `invalid global switch "${token.text.slice(0, 40)}"`;
    return i + 1;
  }
  let next = i + 1;
  let value = colon >= 0 ? body.slice(colon + 1) : null;
  let valueStart = token.start + 2 + (colon >= 0 ? colon : body.length);
  let valueEnd = token.end;
  // `/node: "host"` (space after the colon) is accepted in public examples
  if (value === '' && next < tokens.length) {
    value = tokens[next]!.text;
    valueStart = tokens[next]!.start;
    valueEnd = tokens[next]!.end;
    next++;
  }
  // `/node:a, b`: a list continued after a space
  while (value !== null && value.endsWith(',') && next < tokens.length && !isSwitch(tokens[next]!)) {
    value += tokens[next]!.text;
    valueEnd = tokens[next]!.end;
    next++;
  }
  if (value === null || value === '') {
    if (NEEDS_VALUE.has(name)) b.error = `global switch /${name} needs a value`;
    return next;
  }
  if (name === 'password') {
    b.secrets.push(value, unquote(value));
    b.secretSpans.push([valueStart, valueEnd]);
  }
  const quoted = value.includes('"') || value.includes("'");
  if (QUOTE_RULE.has(name) && !quoted && (value.includes('-') || value.includes('/'))) {
    b.error = `unquoted /${name} value contains '-' or '/' (wmic requires quotes)`;
    return next;
  }
  // only short enumerated values need folding; a /node list may be megabytes long
  const folded = name in ENUM_VALUES || name === 'failfast' ? foldKeyword(unquote(value)) : '';
  const allowed = ENUM_VALUES[name];
  if (allowed && !allowed.includes(folded)) b.error = `invalid value for /${name}`;
  if (name === 'failfast') {
    if (folded === 'on' || /^[0-9]+$/.test(folded)) b.failfast = true;
    else if (folded !== 'off') b.error = 'invalid value for /failfast';
  }
  if (name === 'user') b.user = unquote(value);
  if (name === 'node') {
    const list = parseNodeList(value);
    if (list.error) b.error = list.error;
    b.nodes = [...list.targets];
  }
  return next;
}

/** Parses a wmic command line; `hasProgram` says whether it starts with argv[0] (wmic's own name). */
export function parseWmicLine(line: string, hasProgram = true): WmicLine {
  const from = hasProgram ? splitProgram(line) : { program: '', rest: 0 };
  // a line that starts with a switch has no program name in it (some collectors drop argv[0])
  const firstChar = from.program.replaceAll('"', '')[0];
  const start = hasProgram && (firstChar === '/' || firstChar === '-') ? 0 : from.rest;
  const tokens = tokenize(line, start);
  const b: Builder = { error: null, help: false, nodes: null, user: null, secrets: [], secretSpans: [], failfast: false, lookalike: false };
  let className: string | null = null;
  let verb: string | null = null;
  let method: string | null = null;
  let params: readonly string[] = [];
  let unterminated = false;
  let switchAfterAlias = false;
  const done = (): WmicLine => ({
    ...b, className, verb, method, params, unterminated, switchAfterAlias,
  });

  let i = 0;
  while (i < tokens.length && isSwitch(tokens[i]!) && b.error === null && !b.help) i = readGlobalSwitch(line, tokens, i, b);
  if (b.error !== null || b.help || i >= tokens.length) return done();

  const word = (t: Token): string => {
    if (hasLookalike(t.text)) b.lookalike = true;
    return foldKeyword(t.text);
  };
  const head = word(tokens[i]!);
  i++;
  if (head === 'path' || head === 'class') {
    const target = tokens[i];
    if (!target) {
      b.error = `${head} needs a class name`;
      return done();
    }
    const raw = foldKeyword(unquote(target.text));
    className = raw.slice(raw.lastIndexOf(':') + 1);
    i++;
  } else {
    className = head === 'process' ? 'win32_process' : head;
  }

  let sawObject = false;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (isSwitch(t)) {
      switchAfterAlias = true;
      i = readGlobalSwitch(line, tokens, i, b);
      if (b.error !== null || b.help) return done();
      continue;
    }
    const w = word(t);
    if (VERBS.has(w)) {
      verb = w;
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
      b.error = `unexpected "${t.text.slice(0, 40)}" before the verb`;
      return done();
    }
    sawObject = true;
    i++;
  }
  if (verb !== 'call') return done();
  const m = tokens[i];
  if (!m) {
    b.error = 'call needs a method name';
    return done();
  }
  if (isSwitch(m) && foldKeyword(m.text.slice(1)).startsWith('?')) {
    b.help = true;
    return done();
  }
  method = word(m);
  const vp = parseVerbParams(line, m.end);
  params = vp.params;
  unterminated = vp.unterminated;
  if (vp.help) b.help = true;
  if (vp.error) b.error = vp.error;
  return done();
}
