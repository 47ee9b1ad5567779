/**
 * Which agent a /node: value names. A host name matches `agent_hostname` case-insensitively, an
 * FQDN by its first label (`sql01.corp.example` is the agent `SQL01`); an IP address matches one
 * of the agent's addresses exactly, so `10.1.1.5` never matches an agent at `10.1.1.50`.
 */

import { hostIdentity } from '../hosts/index.js';

export type ParsedTarget =
  | { readonly kind: 'host'; readonly raw: string; /** First label, lower-cased. */ readonly label: string }
  | { readonly kind: 'ip'; readonly raw: string; /** Lower-cased (IPv6 hex). */ readonly ip: string }
  /** An `@file` list, a wildcard, or text XQL strings cannot carry: nothing to look up. */
  | { readonly kind: 'unchecked'; readonly raw: string; readonly why: string };

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+(%[0-9a-z]+)?$/i;
// NetBIOS and DNS names: letters, digits, hyphen, underscore, dots between labels. Anything else
// (quotes, `*`, spaces) could not be put in an XQL string literal safely and is not a host name.
const HOSTNAME = /^[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_-]{1,63})*\.?$/i;

/** Reads a /node: value as a host name, an IP address, or something that cannot be checked. */
export function parseTarget(value: string): ParsedTarget {
  const raw = value.trim();
  if (raw.startsWith('@')) return { kind: 'unchecked', raw, why: 'the targets were read from a file (@list) on the source host' };
  if (IPV4.test(raw)) return { kind: 'ip', raw, ip: raw };
  // At least two colons: `fe80:1` or a bare hex word such as `cafe` is no address.
  if (IPV6.test(raw) && raw.split(':').length >= 3) return { kind: 'ip', raw, ip: raw.toLowerCase() };
  if (raw.length <= 255 && HOSTNAME.test(raw)) return { kind: 'host', raw, label: firstLabel(raw) };
  return { kind: 'unchecked', raw, why: 'the target is not a host name or IP address XSIAM can be asked about' };
}

/** First DNS label, lower-cased: `SQL01.corp.example` → `sql01`. */
export function firstLabel(name: string): string {
  const dot = name.indexOf('.');
  return (dot === -1 ? name : name.slice(0, dot)).toLowerCase();
}

/** `agent_ip_addresses` as a list: arrays as they are, comma-joined strings split (both occur). */
export function ipList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.filter((v): v is string => typeof v === 'string').map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
}

/** True when the agent (host name and addresses) is the machine `target` names. */
export function targetMatchesAgent(target: ParsedTarget, agent: { readonly hostname: string | null; readonly ips: readonly string[] }): boolean {
  switch (target.kind) {
    case 'host':
      // A parsed label is never empty (HOSTNAME needs a first character), so a blank agent name never matches.
      return agent.hostname !== null && firstLabel(agent.hostname.trim()) === target.label;
    case 'ip':
      return agent.ips.some((ip) => hostIdentity(ip) === hostIdentity(target.ip));
    case 'unchecked':
      return false;
  }
}
