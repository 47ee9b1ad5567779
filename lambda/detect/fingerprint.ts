import { createHash } from 'node:crypto';
import { normaliseCommand } from './text.js';

/**
 * Hex SHA-256 of huntId, lower-cased source host, target, and the normalised remote command
 * (lower-case, whitespace collapsed, trimmed), joined by newlines. The dedupe key of a host pair.
 */
export function findingFingerprint(huntId: string, sourceHost: string, target: string, remoteCommand: string | null): string {
  const text = `${huntId}\n${sourceHost.toLowerCase()}\n${target}\n${normaliseCommand(remoteCommand ?? '')}`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
