/** wmic's global switches (`wmic /?`): names, values, and the quoting rule of its help text. */
import { parseNodeList, splitCutElement } from './nodes.js';
import { foldKeyword, hasLookalike } from './text.js';
import { unquote, type Token } from './tokenize.js';

/** What the global switches of one line set. */
export interface SwitchState {
  error: string | null;
  help: boolean;
  nodes: string[] | null;
  user: string | null;
  secrets: string[];
  secretSpans: [number, number][];
  failfast: boolean;
  lookalike: boolean;
  /** Where a collector cut the line (its length), or null: a switch touching it may be incomplete. */
  readonly cutAt: number | null;
  /** The last /node element, dropped because the cut went through it. */
  cutTarget: string | null;
  /** A switch touching the cut was left incomplete: the rest of the line (the command) was lost. */
  cutInSwitch: boolean;
}

/** A token that starts with an ASCII switch character (`/` or `-`). */
export function isSwitch(token: Token): boolean {
  const c = token.text[0];
  return c === '/' || c === '-';
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
/** Values wmic's help says must be quoted when they hold `-` or `/`. */
const QUOTE_RULE = new Set(['user', 'password', 'record']);

/** Reads one global switch at tokens[i]; returns the index after it. Sets b.error on rejection. */
export function readGlobalSwitch(tokens: readonly Token[], i: number, b: SwitchState): number {
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
  // a switch that touches the cut may be a prefix of a valid one: nothing after it survived
  const cut = (end: number): boolean => b.cutAt !== null && end >= b.cutAt;
  if (!GLOBAL_SWITCHES.has(name)) {
    if (cut(token.end) && colon < 0 && [...GLOBAL_SWITCHES].some((n) => n.startsWith(name))) {
      b.cutInSwitch = true;
      return i + 1;
    }
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
    if (cut(valueEnd)) b.cutInSwitch = true;
    else if (NEEDS_VALUE.has(name)) b.error = `global switch /${name} needs a value`;
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
  if (name in ENUM_VALUES || name === 'failfast') {
    const valid = [...(allowed ?? ['on', 'off'])];
    if (cut(valueEnd) && !valid.includes(folded) && valid.some((v) => v.startsWith(folded))) {
      b.cutInSwitch = true;
      return next;
    }
  }
  if (allowed && !allowed.includes(folded)) b.error = `invalid value for /${name}`;
  if (name === 'failfast') {
    if (folded === 'on' || /^[0-9]+$/.test(folded)) b.failfast = true;
    else if (folded !== 'off') b.error = 'invalid value for /failfast';
  }
  if (name === 'user') b.user = unquote(value);
  if (name === 'node') {
    let whole = value;
    if (cut(valueEnd)) {
      // the last element reaches the cut: it may be a shortened host name, so it is never reported
      const split = splitCutElement(value);
      whole = split.whole;
      b.cutTarget = split.cut;
      b.cutInSwitch = true;
    }
    const list = parseNodeList(whole);
    if (list.error) b.error = list.error;
    b.nodes = [...list.targets];
  }
  return next;
}
