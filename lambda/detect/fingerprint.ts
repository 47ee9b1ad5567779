import { createHash } from 'node:crypto';
import { hostIdentity } from '../hosts/index.js';
import { normaliseCommand } from './text.js';

/**
 * Hex SHA-256 of huntId, the source host's and the target's identity (lambda/hosts/: `SQL01` and
 * `sql01.corp.example` are one host; a short lower-case name is its own identity, so the
 * fingerprints of such pairs are what they always were), and the normalised remote command
 * (lower-case, whitespace collapsed, trimmed), joined by newlines. The dedupe key of a host pair.
 */
export function findingFingerprint(huntId: string, sourceHost: string, target: string, remoteCommand: string | null): string {
  const text = `${huntId}\n${hostIdentity(sourceHost)}\n${hostIdentity(target)}\n${normaliseCommand(remoteCommand ?? '')}`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
