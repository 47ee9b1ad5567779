/** Size limits of SNS and the caps renderers apply to attacker-controlled text. */

/** SNS maximum for one message and for the sum of a PublishBatch (256 KiB, body plus attributes). */
export const SNS_MAX_BYTES = 262_144;

/** Room kept under the SNS limit for anything SNS counts that we do not (a safety margin). */
export const SNS_MARGIN_BYTES = 2_048;

/** Entries per PublishBatch call. */
export const SNS_MAX_BATCH_ENTRIES = 10;

/** How much of each attacker-controlled value a rendering shows. */
export interface RenderLimits {
  /** Characters of one text value (command line, parent command line) in the email. */
  readonly text: number;
  /** Characters of one text value in Slack, where long text is unreadable anyway. */
  readonly slack: number;
  /** Characters of one text value in the JSON payload. */
  readonly json: number;
  /** Items of one list (event ids, digest rows). */
  readonly list: number;
}

/**
 * Caps from generous to tight. A message is rendered at the first level that fits SNS's limit; the
 * last level is small enough that any finding fits (every hostile field is capped at every level).
 */
export const LIMIT_LEVELS: readonly RenderLimits[] = [
  { text: 8_000, slack: 1_500, json: 32_768, list: 500 },
  { text: 2_000, slack: 800, json: 8_192, list: 100 },
  { text: 500, slack: 300, json: 1_024, list: 20 },
  { text: 120, slack: 120, json: 200, list: 5 },
];

/** The default (most generous) caps, used by the public render functions. */
export const DEFAULT_LIMITS: RenderLimits = LIMIT_LEVELS[0] ?? { text: 8_000, slack: 1_500, json: 32_768, list: 500 };

/** Caps for short identifiers (host names, user names, image paths). */
export const SHORT_TEXT = 512;
