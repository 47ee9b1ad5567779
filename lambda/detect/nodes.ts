/** The /node value: list splitting, quoting rules, and which elements are the local machine. */

export interface NodeList {
  /** Each element as written: lower-cased, quotes removed, `@path` kept for file lists. */
  readonly targets: readonly string[];
  /** Why wmic would reject the value, or null. */
  readonly error: string | null;
}

/**
 * Splits a raw /node value (quotes still in it) on top-level commas.
 * wmic's help requires quotes around a value holding `-` or `/`; an unquoted element with one
 * is rejected ("Invalid Global Switch"), so the whole line creates nothing.
 */
export function parseNodeList(raw: string): NodeList {
  const targets: string[] = [];
  let quote: string | null = null;
  let start = 0;
  let sawQuote = false;
  for (let i = 0; i <= raw.length; i++) {
    const ch = raw[i];
    if (i < raw.length && quote !== null) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      sawQuote = true;
      continue;
    }
    if (i < raw.length && ch !== ',') continue;
    const element = raw.slice(start, i);
    const clean = (sawQuote ? element.replaceAll('"', '').replaceAll("'", '') : element).trim().toLowerCase();
    if (clean.length > 0) {
      if (!sawQuote && (clean.includes('-') || clean.includes('/'))) {
        return { targets, error: `unquoted /node value "${clean.slice(0, 80)}" contains '-' or '/' (wmic requires quotes)` };
      }
      targets.push(clean);
    }
    start = i + 1;
    sawQuote = false;
  }
  return { targets, error: null };
}

/**
 * Splits a raw /node value that a collector cut: the part before the last top-level comma (every
 * element in it is whole) and the last element, which the cut may have shortened. A value ending in
 * `,` has no cut element.
 */
export function splitCutElement(raw: string): { whole: string; cut: string | null } {
  let quote: string | null = null;
  let lastComma = -1;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ',') lastComma = i;
  }
  const last = raw.slice(lastComma + 1).trim();
  // a quoted element whose closing quote survived is whole (`"db01"`): only what follows it was cut
  if (last.length >= 2 && quote === null && (last[0] === '"' || last[0] === "'") && last.endsWith(last[0]!)) return { whole: raw, cut: null };
  const tail = last.replaceAll('"', '').replaceAll("'", '').toLowerCase();
  return { whole: raw.slice(0, lastComma + 1), cut: tail === '' ? null : tail };
}

/** Parses a dotted IPv4 literal in inet_aton forms (a, a.b, a.b.c, a.b.c.d; decimal, octal, hex). */
function ipv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let v: number;
    if (/^0x[0-9a-f]{1,8}$/.test(p)) v = parseInt(p.slice(2), 16);
    else if (/^0[0-7]{1,11}$/.test(p)) v = parseInt(p, 8);
    else if (/^[0-9]{1,10}$/.test(p)) v = parseInt(p, 10);
    else return null;
    nums.push(v);
  }
  return nums;
}

/** True for any 127.0.0.0/8 address, including the short inet_aton forms (`127.1`). */
function isLoopbackV4(text: string): boolean {
  const nums = ipv4(text);
  if (nums === null || nums.length === 0) return false;
  if (nums.length === 1) return Math.floor(nums[0]! / 2 ** 24) === 127;
  return nums[0] === 127;
}

/** True for ::1 in any spelling, and IPv4-mapped loopback (::ffff:127.x.x.x). */
function isLoopbackV6(text: string): boolean {
  const t = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!t.includes(':')) return false;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:([0-9.]{7,15})$/.exec(t);
  if (mapped) return isLoopbackV4(mapped[1]!);
  const halves = t.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const all = halves.length === 2 ? [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail] : head;
  if (all.length !== 8 || !all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return false;
  return all.slice(0, 7).every((g) => parseInt(g, 16) === 0) && parseInt(all[7]!, 16) === 1;
}

const LOCAL_NAMES = new Set(['.', 'localhost', 'localhost.localdomain']);

/**
 * A test for "this /node element names the machine wmic runs on": `.`, `localhost`, 127.0.0.0/8,
 * `::1`, `%computername%` / `$env:computername` (unexpanded), or the event's own host name or FQDN.
 * An `@file` element is never local: its contents are unknown, so it counts as remote.
 */
export function localTargetTest(eventHost: string | null): (target: string) => boolean {
  // targets arrive lower-cased and trimmed from parseNodeList
  const host = eventHost?.trim().toLowerCase() ?? '';
  const usable = host.length > 0 && !/\s/.test(host);
  const hostShort = host.split('.')[0] ?? '';
  const hostDotted = host.includes('.');
  return (target: string): boolean => {
    let t = target;
    if (t.startsWith('@')) return false;
    if (t.endsWith('.') && t.length > 1) t = t.slice(0, -1);
    if (LOCAL_NAMES.has(t)) return true;
    // %COMPUTERNAME% (cmd) or $env:COMPUTERNAME (PowerShell) left unexpanded, possibly with a domain suffix
    const first = t.split('.', 1)[0] ?? '';
    if (first === '%computername%' || first === '$env:computername') return true;
    const c = t.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39 && isLoopbackV4(t)) return true;
    if (t.includes(':') && isLoopbackV6(t)) return true;
    if (!usable) return false;
    if (t === host) return true;
    // a short name and an FQDN of the same machine: compare first labels only when one side is short
    if (t.includes('.') && hostDotted) return false;
    const tShort = t.split('.', 1)[0] ?? '';
    return tShort === hostShort && !/^[0-9]+$/.test(tShort);
  };
}

/** One-off form of localTargetTest. */
export function isLocalTarget(target: string, eventHost: string | null): boolean {
  return localTargetTest(eventHost)(target.trim().toLowerCase());
}
