/**
 * Is a /node target something wmic can reach as written: a host name (NetBIOS or DNS label), an
 * FQDN, an IPv4 or IPv6 address? A target that is none of these (a URL, a name with spaces or
 * brackets, a name with look-alike letters from another script) did not come from an
 * administrator's script: it is flagged with a reason and points, and the pair is still reported.
 * Host name rules: RFC 1123 §2.1 (letters, digits, hyphen; labels 1–63, names up to 253,
 * https://www.rfc-editor.org/rfc/rfc1123#page-13); `_` is accepted as NetBIOS and AD names use it
 * (https://learn.microsoft.com/troubleshoot/windows-server/active-directory/naming-conventions-for-computer-domain-site-ou).
 */
import { isIP } from 'node:net';
import type { RiskReason } from '../finding.js';
import { type RiskAssessment, severityFor } from './risk.js';
import { RISK_REASONS } from './risk-reasons.js';

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i;
const DOTTED_NUMBERS = /^\d+(\.\d+){3}$/;

const codePoint = (c: string): string => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `target` is not a host name, FQDN or IP address wmic can reach; null when it is one (or an @file list). */
export function targetNameProblem(target: string): string | null {
  // most targets are one plain label (a NetBIOS name): the checks below would all pass it
  // Stryker disable next-line ConditionalExpression: fast path only; a plain label (no dot, colon, space or @, 1-63 chars) passes every later check, which return null too
  if (LABEL.test(target)) return null;
  if (target.startsWith('@')) return null;
  if (isIP(target.replace(/^\[(.*)\]$/, '$1')) !== 0) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return 'it is a URL, not a host name';
  const foreign = [...target].find((c) => c.charCodeAt(0) > 0x7e || c.charCodeAt(0) < 0x20);
  if (foreign !== undefined) return `it holds a character a host name cannot (${codePoint(foreign)}, e.g. a look-alike letter)`;
  if (/\s/.test(target)) return 'it holds a space';
  if (DOTTED_NUMBERS.test(target)) return 'it reads as an IPv4 address but is not one';
  const name = target.replace(/\.$/, '');
  if (name.length === 0 || name.length > 253) return `a host name has 1 to 253 characters, this has ${name.length}`;
  const bad = [...name].find((c) => !/[a-z0-9_.-]/i.test(c));
  if (bad !== undefined) return `it holds "${bad}", which a host name cannot`;
  const label = name.split('.').find((l) => !LABEL.test(l));
  return label === undefined ? null : 'a label is empty, longer than 63 characters, or starts or ends with a hyphen';
}

/** `risk` with the `target.not-a-host` reason added (and the score and severity moved) when `target` is not reachable as written. */
export function withTargetCheck(risk: RiskAssessment, target: string): RiskAssessment {
  const problem = targetNameProblem(target);
  if (problem === null) return risk;
  const entry = RISK_REASONS['target.not-a-host'];
  const reason: RiskReason = { code: 'target.not-a-host', points: entry.points, detail: `${entry.detail}: ${problem}` };
  const riskScore = Math.max(0, Math.min(100, risk.riskScore + entry.points));
  return { riskScore, severity: severityFor(riskScore), reasons: [...risk.reasons, reason] };
}
