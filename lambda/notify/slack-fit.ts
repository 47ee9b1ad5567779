/**
 * Keeps a Chatbot description inside one Slack section. Chatbot renders a custom notification's
 * description into a Slack section block, whose text is at most 3,000 characters (Slack Block Kit
 * reference, section block: https://api.slack.com/reference/block-kit/blocks#section); reports say
 * what does not fit is dropped without an error. The email and the `default` JSON keep the full text.
 */
import { slackBlockText } from './backtick.js';
import { clipVisible, slackEscape } from './sanitize.js';

/** Most characters of one Slack section's text. */
export const SLACK_SECTION_MAX = 3_000;

/** The visible line that says text was cut and where the rest is. */
export function cutMarker(hidden: number): string {
  return `… (cut: ${hidden} more characters; full text in the email)`;
}

/** A Slack code block of `value` (at most `max` characters), followed by the cut marker when text was left out. */
export function slackCodeBlock(value: unknown, max: number): { readonly text: string; readonly hidden: number } {
  const clipped = clipVisible(value, max);
  const { hidden } = clipped;
  const text = clipped.text.trim() === '' && hidden === 0 ? '(unknown)' : clipped.text;
  // Backticks stay (a run of three would close the block); `&`, `<`, `>` are escaped as Slack requires.
  const block = `\`\`\`\n${slackEscape(slackBlockText(text))}\n\`\`\``;
  return { text: hidden > 0 ? `${block}\n${cutMarker(hidden)}` : block, hidden };
}

/**
 * Renders `render(cap)` with the largest cap (at most `maxCap`) whose description fits `max`
 * characters, measuring the rendered text itself. Falls back to `capLines` when even a small cap
 * does not fit (the fixed lines alone are too long, e.g. hostile host names).
 */
export function fitDescription(render: (cap: number) => string, maxCap: number, max = SLACK_SECTION_MAX): string {
  const full = render(maxCap);
  if (full.length <= max) return full;
  const floor = Math.min(maxCap, 40);
  let lo = floor;
  let hi = maxCap;
  let best: string | null = null;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const text = render(mid);
    if (text.length <= max) {
      best = text;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best ?? capLines(render(floor), max);
}

/** Closers for a cut mrkdwn text: an open code block, then an open inline span on the last line. */
function closers(kept: string): string {
  let close = '';
  if ((kept.match(/```/g) ?? []).length % 2 === 1) close += '\n```';
  else {
    const lastLine = kept.slice(kept.lastIndexOf('\n') + 1);
    // Stryker disable next-line StringLiteral: any replacement without a backtick counts the same
    const spans = lastLine.replace(/```/g, '');
    if ((spans.match(/`/g) ?? []).length % 2 === 1) close += '`';
  }
  return close;
}

/**
 * Cuts a description to at most `max` characters, preferring a line boundary, closing an open
 * code block or span (so the rest of the message is not swallowed) and ending with the cut marker.
 */
export function capLines(text: string, max = SLACK_SECTION_MAX): string {
  if (text.length <= max) return text;
  // Room for the closers and the marker with the largest possible count.
  const reserve = '\n```'.length + 1 + cutMarker(text.length).length;
  let end = Math.max(0, max - reserve);
  const newline = text.lastIndexOf('\n', end);
  if (newline > end / 2) end = newline;
  let kept = text.slice(0, end);
  const last = kept.charCodeAt(kept.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) kept = kept.slice(0, -1);
  // Never leave half an entity (`&am`) or half a `[U+XXXX]` token behind.
  kept = kept.replace(/&[a-z]{0,3}$/, '').replace(/\[(U(\+[0-9A-F]{0,5})?)?$/, '');
  return `${kept}${closers(kept)}\n${cutMarker(text.length - kept.length)}`;
}
