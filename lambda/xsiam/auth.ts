/** Request signing for standard and advanced XSIAM API keys. */
import { createHash, randomBytes } from 'node:crypto';
import type { XsiamCredentials } from './types.js';

/**
 * Authorization value of an advanced key: lowercase hex SHA-256 of `apiKey + nonce + timestamp`,
 * concatenated with no separator, exactly as the timestamp string is sent in `x-xdr-timestamp`.
 */
export function signAdvanced(apiKey: string, nonce: string, timestamp: string | number): string {
  return createHash('sha256').update(`${apiKey}${nonce}${String(timestamp)}`, 'utf8').digest('hex');
}

/** 64 random hex characters (the official Node SDK's form; the server does not check the charset). */
export function randomNonce(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Headers that authenticate one request. Advanced keys get a fresh nonce and timestamp every
 * call because the server rejects signatures older than a few minutes.
 */
export function authHeaders(
  credentials: XsiamCredentials,
  nowMs: number,
  nonce: () => string = randomNonce,
): Record<string, string> {
  if (credentials.keyType === 'standard') {
    return { authorization: credentials.apiKey, 'x-xdr-auth-id': credentials.apiKeyId };
  }
  const n = nonce();
  const timestamp = String(Math.trunc(nowMs));
  return {
    authorization: signAdvanced(credentials.apiKey, n, timestamp),
    'x-xdr-auth-id': credentials.apiKeyId,
    'x-xdr-nonce': n,
    'x-xdr-timestamp': timestamp,
  };
}
