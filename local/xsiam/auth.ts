/** Checks standard and advanced key headers the way XSIAM documents them (reference §1). */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface AuthPolicy {
  readonly keyId: string;
  readonly key: string;
  readonly keyType: 'standard' | 'advanced' | 'either';
  readonly maxClockSkewMs: number;
  readonly rejectReplayedNonces: boolean;
}

function one(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Null when the request is authentic, else the reason (never containing a secret). */
export function checkAuth(headers: IncomingHttpHeaders, policy: AuthPolicy, nowMs: number, seenNonces: Set<string>): string | null {
  const authorization = one(headers, 'authorization');
  const keyId = one(headers, 'x-xdr-auth-id');
  if (authorization === undefined || authorization === '') return 'missing Authorization header';
  if (keyId === undefined || keyId === '') return 'missing x-xdr-auth-id header';
  if (!same(keyId, policy.keyId)) return 'unknown API key id';
  const nonce = one(headers, 'x-xdr-nonce');
  const timestamp = one(headers, 'x-xdr-timestamp');
  const advanced = nonce !== undefined && timestamp !== undefined;
  // Standard keys may carry the two extra headers (XSOAR sends them); the raw key decides then.
  if (policy.keyType !== 'advanced' && same(authorization, policy.key)) return null;
  if (policy.keyType === 'standard') return 'invalid API key';
  if (!advanced) return policy.keyType === 'advanced' ? 'advanced key requires x-xdr-nonce and x-xdr-timestamp' : 'invalid API key';
  if (!/^\d{10,16}$/.test(timestamp)) return 'x-xdr-timestamp is not epoch milliseconds';
  if (Math.abs(nowMs - Number(timestamp)) > policy.maxClockSkewMs) return 'x-xdr-timestamp outside the allowed clock skew';
  const expected = createHash('sha256').update(`${policy.key}${nonce}${timestamp}`, 'utf8').digest('hex');
  if (!same(authorization.toLowerCase(), expected)) return 'invalid API key signature';
  if (policy.rejectReplayedNonces) {
    if (seenNonces.has(nonce)) return 'nonce already used';
    seenNonces.add(nonce);
  }
  return null;
}
