/**
 * A notifier for local runs: prints each message as the analyst would read the email (or the
 * `default` JSON, one object per line) and keeps what it "sent" for `--output json`.
 */
import type { TrackedFinding } from '../../lambda/finding.js';
import type { NotificationContext, Notifier, PublishOutcome } from '../../lambda/ports.js';
import type { SnsMessage } from '../../lambda/notify/index.js';
import { shortText, textField } from '../../lambda/notify/index.js';
import { type Failure, assertOptions, checkStormLimit, failureOf, planMessages } from '../../lambda/notify/index.js';

/** One finding the console notifier "sent" (per pair or inside a digest). */
export interface ConsoleSent {
  /** `pair` when it had its own message, `digest` when a storm digest covered it. */
  readonly via: 'pair' | 'digest';
  readonly fingerprint: string | null;
  readonly source: string | null;
  readonly target: string | null;
  readonly severity: string | null;
  readonly riskScore: number | null;
  /** Redacted remote command (capped at 4096 characters), null when the line has none. */
  readonly remoteCommand: string | null;
  readonly count: number | null;
  readonly user: string | null;
  readonly firstSeen: number | null;
  readonly lastSeen: number | null;
  /** Subject of the message that carried it. */
  readonly subject: string;
}

/** Options of ConsoleNotifier. */
export interface ConsoleNotifierOptions {
  /** Receives each printed message (e.g. `(t) => process.stdout.write(t)`). */
  readonly write: (text: string) => void;
  readonly stormLimit: number;
  /** `text`: the email as an analyst reads it; `json`: the `default` payload, one line per message. @default 'text' */
  readonly format?: 'text' | 'json';
}

const finite = (n: unknown): number | null => (typeof n === 'number' && Number.isFinite(n) ? n : null);

/** Notifier that writes to a console-like sink. */
export class ConsoleNotifier implements Notifier {
  /** Every finding "sent" so far, in order. */
  readonly sent: ConsoleSent[] = [];
  private readonly write: (text: string) => void;
  private readonly stormLimit: number;
  private readonly format: 'text' | 'json';

  constructor(opts: ConsoleNotifierOptions) {
    const problems = checkStormLimit(opts?.stormLimit);
    if (typeof opts?.write !== 'function') problems.push('write must be a function');
    const format = opts?.format ?? 'text';
    if (format !== 'text' && format !== 'json') problems.push(`format must be 'text' or 'json' (got ${String(format)})`);
    assertOptions('ConsoleNotifier', problems);
    this.write = opts.write;
    this.stormLimit = opts.stormLimit;
    this.format = format;
  }

  /** Prints one message per finding, or one digest beyond the storm limit. */
  async publish(findings: readonly TrackedFinding[], context: NotificationContext): Promise<PublishOutcome> {
    const plan = planMessages(findings, context, this.stormLimit);
    const delivered: string[] = [];
    const failed: Failure[] = [...plan.failed];
    let messages = 0;
    const byFingerprint = new Map(findings.map((f) => [String(f?.fingerprint), f]));
    for (const message of plan.messages) {
      try {
        this.write(this.print(message));
      } catch (error) {
        for (const fp of message.fingerprints) failed.push(failureOf(fp, 'WriteError', error instanceof Error ? error.message : error));
        continue;
      }
      messages += 1;
      for (const fp of message.fingerprints) {
        delivered.push(fp);
        const f = byFingerprint.get(fp);
        if (f) this.sent.push(this.record(f, message));
      }
    }
    return { delivered, failed, messages, digest: plan.digest };
  }

  private print(message: SnsMessage): string {
    if (this.format === 'json') return `${JSON.stringify(message.rendered.default)}\n`;
    const rule = '='.repeat(78);
    return `${rule}\nSubject: ${message.subject}\n${rule}\n${message.rendered.email.body}\n`;
  }

  private record(f: TrackedFinding, message: SnsMessage): ConsoleSent {
    return {
      via: message.kind === 'digest' ? 'digest' : 'pair',
      fingerprint: shortText(f.fingerprint, 128),
      source: shortText(f.sourceHost),
      target: shortText(f.targetHost),
      severity: shortText(f.severity, 16),
      riskScore: finite(f.riskScore),
      remoteCommand: textField(f.remoteCommand, 4_096).value,
      count: finite(f.count),
      user: shortText(f.user),
      firstSeen: finite(f.firstSeen),
      lastSeen: finite(f.lastSeen),
      subject: message.subject,
    };
  }
}
