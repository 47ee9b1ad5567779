/**
 * Publish in shadow mode: the pairs that would have been notified are counted and added to the
 * day's shadow log (for the daily shadow report). They are not marked NOTIFIED, so a live run
 * later still sends them while they are inside the dedupe window.
 */
import { redactSecrets } from '../../detect/index.js';
import type { TrackedFinding } from '../../finding.js';
import type { ShadowEntry } from '../../ports.js';
import type { RunContext } from '../context.js';
import type { Counts } from '../summary.js';

export async function logShadow({ ports, request }: RunContext, wouldNotify: readonly TrackedFinding[]): Promise<Partial<Counts>> {
  const now = ports.clock.now();
  const entries: ShadowEntry[] = wouldNotify.map((f) => ({
    fingerprint: f.fingerprint, sourceHost: f.sourceHost, targetHost: f.targetHost, severity: f.severity,
    // A hunt without a remote command (a card-only hunt) is reported by its command line, redacted as notifications are.
    riskScore: f.riskScore, reasons: f.reasons.map((r) => r.code), remoteCommand: f.remoteCommand ?? (f.commandLine ? redactSecrets(f.commandLine) : null), seenAt: now,
  }));
  await ports.state.recordShadow(request.hunt.id, entries, now);
  // Stryker disable next-line StringLiteral,ObjectLiteral: log wording and fields (the README documents neither; ops read wouldNotify in the run summary)
  ports.log.info('shadow mode: notifications counted, not sent', { huntId: request.hunt.id, wouldNotify: entries.length });
  return { wouldNotify: entries.length };
}
