/**
 * The storm digest: when one run finds more new host pairs than the storm limit, one message
 * with the top pairs by risk and the run's totals replaces the per-pair messages. The pairs are
 * ranked once (digest-rank.ts) and rendered per format, like a finding's email / chatbot / payload.
 */
import type { TrackedFinding } from '../finding.js';
import type { NotificationContext } from '../ports.js';
import type { ChatbotNotification } from './chatbot.js';
import { renderDigestChatbot } from './digest-chatbot.js';
import { renderDigestEmail } from './digest-email.js';
import { renderDigestDefault } from './digest-payload.js';
import { planDigest } from './digest-rank.js';
import type { EmailMessage } from './email.js';
import { DEFAULT_LIMITS, type RenderLimits } from './limits.js';

export { byRisk, maxSeverity } from './digest-rank.js';

/** The three renderings of one message. */
export interface RenderedMessage {
  readonly email: EmailMessage;
  readonly chatbot: ChatbotNotification;
  readonly default: object;
}

/**
 * Renders the digest of `fs`: email, Chatbot notification and `default` JSON.
 * @param stormLimit - the limit that was exceeded, quoted in the text; @default fs.length - 1
 * @param limits - caps on attacker-controlled text; @default DEFAULT_LIMITS
 */
export function renderDigest(
  fs: readonly TrackedFinding[],
  ctx: NotificationContext,
  stormLimit: number = Math.max(0, fs.length - 1),
  limits: RenderLimits = DEFAULT_LIMITS,
): RenderedMessage {
  const digest = planDigest(fs, stormLimit);
  return {
    email: renderDigestEmail(digest, ctx, limits),
    chatbot: renderDigestChatbot(digest, ctx, limits),
    default: renderDigestDefault(digest, ctx, limits),
  };
}
