/**
 * One host identity for every feature that asks "is this the same machine?": dedupe (the pair's
 * fingerprint), incidents, history and target confirmation. Displays keep what the line said;
 * only comparisons and keys use the identity.
 *
 * The rule: trimmed, lower-cased, trailing dots dropped; an IPv4 address in dotted decimal as
 * written (no leading zeros: `010.1.1.5` is octal to Windows and is kept whole); an IPv6 address
 * (brackets and zone dropped) in its RFC 5952 text form; an `@file` list whole; any other name by
 * its first DNS label, so `SQL01`, `sql01.` and `sql01.corp.example` are one host.
 */

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/;

/** The 8 groups of an IPv6 address (an embedded IPv4 tail counts as two), or null when it is not one. */
function ipv6Groups(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const groups = part.split(':');
    for (const [i, g] of groups.entries()) {
      if (i === groups.length - 1 && IPV4.test(g)) {
        const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
        out.push(a * 256 + b, c * 256 + d);
      } else if (HEX_GROUP.test(g)) out.push(parseInt(g, 16));
      else return null;
    }
    return out;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (head === null || tail === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...Array<number>(missing).fill(0), ...tail] : null;
}

/** RFC 5952 §4: lower-case hex, no leading zeros, the longest run of two or more zero groups as `::`. */
function ipv6Text(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = Math.max(i, j);
  }
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    // RFC 5952 §5: an IPv4-mapped address keeps its dotted tail
    const [c, d] = [groups[6]!, groups[7]!];
    return `::ffff:${c >> 8}.${c & 255}.${d >> 8}.${d & 255}`;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The canonical text of an IPv6 address (`[fe80::1%eth0]` → `fe80::1`), or null when `text` is not one. */
export function canonicalIpv6(text: string): string | null {
  let t = text.trim().toLowerCase();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  const zone = t.indexOf('%');
  if (zone >= 0) t = t.slice(0, zone);
  if (!t.includes(':') || t.length > 45) return null;
  const groups = ipv6Groups(t);
  return groups === null ? null : ipv6Text(groups);
}

/** True when `text` is an IPv4 address in dotted decimal. */
export function isIpv4(text: string): boolean {
  return IPV4.test(text.trim());
}

/** The identity two spellings of one host share (the rule above). */
export function hostIdentity(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('@')) return h;
  const v6 = canonicalIpv6(h);
  if (v6 !== null) return v6;
  let end = h.length;
  while (end > 0 && h[end - 1] === '.') end--;
  const name = h.slice(0, end);
  if (IPV4.test(name) || name.includes(':') || name.startsWith('[')) return name;
  // a dotted-quad that is not plain decimal (`010.1.1.5`) is an address Windows reads its own way: whole
  if (/^[0-9.]+$/.test(name)) return name;
  const dot = name.indexOf('.');
  const label = dot < 0 ? name : name.slice(0, dot);
  return label === '' ? name : label;
}

/** True when the two spellings name one host. */
export function sameHost(a: string, b: string): boolean {
  return hostIdentity(a) === hostIdentity(b);
}
