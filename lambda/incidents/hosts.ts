/**
 * Host keys: the source is `agent_hostname` (`SQL01`), a target is what wmic's /node named
 * (`sql01.corp.example`, `10.20.1.40`). Both are matched on the lower-cased first DNS label so a
 * pivot is recognised; IP addresses and other non-names are kept whole.
 */
import { createHash } from 'node:crypto';
import { hostIdentity } from '../hosts/index.js';

/** Longest key (a partition key is at most 2,048 bytes; real host names are far shorter). */
const HOST_KEY_MAX = 128;

/** The key two spellings of one host share: its identity (lambda/hosts/), capped. */
export function hostKey(host: string): string {
  const full = hostIdentity(host);
  // A long (hostile) name keeps a prefix and a digest of the whole: distinct names stay distinct.
  return full.length <= HOST_KEY_MAX ? full : `${full.slice(0, HOST_KEY_MAX - 17)}~${createHash('sha256').update(full, 'utf8').digest('hex').slice(0, 16)}`;
}

/** A new incident's id: stable for its first pair, so a run repeated after a crash picks the same one. */
export function newIncidentId(huntId: string, firstFingerprint: string): string {
  return `INC-${createHash('sha256').update(`${huntId}\n${firstFingerprint}`, 'utf8').digest('hex').slice(0, 10).toUpperCase()}`;
}
