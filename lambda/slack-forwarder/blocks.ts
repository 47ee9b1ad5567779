/**
 * A rendered Chatbot custom notification as a Slack Block Kit message for an incoming webhook:
 * the title as a header, the description and next steps as mrkdwn sections split under Slack's
 * per-block limit (never inside an HTML entity, and closing/reopening code fences and spans at a
 * cut), the keywords as a context line and the summary as the top-level `text` fallback.
 */
import { type ChatbotNotification, neutraliseShortcodes } from '../notify/index.js';

/** Header block text: plain_text, at most 150 characters (https://docs.slack.dev/reference/block-kit/blocks/header-block). */
export const HEADER_TEXT_MAX = 150;
/** Section block text: at most 3,000 characters (https://docs.slack.dev/reference/block-kit/blocks/section-block). */
export const SECTION_TEXT_MAX = 3_000;
/** Blocks per message: at most 50 (https://docs.slack.dev/reference/block-kit/blocks). */
export const BLOCKS_MAX = 50;
/** Our cap on the top-level `text` fallback (Slack truncates far later; notifications show only the start). */
export const FALLBACK_TEXT_MAX = 3_000;
/**
 * Our cap on all the text of one message. Slack documents no total, but rejects block messages of
 * roughly 13,000 characters with `msg_blocks_too_long` (slackapi/bolt-js#2509), so stay below that.
 */
export const MESSAGE_TEXT_BUDGET = 12_000;

/** A mrkdwn text object; `verbatim` stops Slack from auto-linking URLs, channel names and mentions. */
export interface Mrkdwn { readonly type: 'mrkdwn'; readonly text: string; readonly verbatim: true }
export type Block =
  | { readonly type: 'header'; readonly text: { readonly type: 'plain_text'; readonly text: string; readonly emoji: true } }
  | { readonly type: 'section'; readonly text: Mrkdwn }
  | { readonly type: 'context'; readonly elements: Mrkdwn[] }
  | { readonly type: 'divider' };

/** The JSON body posted to the webhook. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: Block[];
}

const FENCE = '```';
/** Smallest piece worth cutting a long line into; below it, start a new section instead. */
const MIN_PIECE = 32;

const mrkdwn = (text: string): Mrkdwn => ({ type: 'mrkdwn', text, verbatim: true });

/** A cut position at or before `at` that splits no surrogate pair and no `&amp;`/`&lt;`/`&gt;` entity. */
function safeCut(s: string, at: number): number {
  let end = Math.min(at, s.length);
  const amp = s.lastIndexOf('&', end - 1);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: every caller cuts at end >= 31 (clip at 149 and more, splitMrkdwn at room() - 1 >= MIN_PIECE - 1), where amp > end - 5 already implies amp > 0
  if (amp >= 0 && amp > end - 5) {
    const semi = s.indexOf(';', amp);
    if (semi === -1 || semi >= end) end = amp;
  }
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end -= 1;
  return Math.max(1, end);
}

/** Cuts `s` to `max` characters (ending in `…`) at a safe position. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, safeCut(s, max - 1))}…`;
}

/** Odd number of backticks: an inline code span is open at the end of `s`. */
const spanOpen = (s: string): boolean => ((s.match(/`/g)?.length ?? 0) % 2) === 1;

/**
 * Splits mrkdwn into section texts of at most `max` characters. Cuts fall between lines where they
 * can; a line longer than a section is cut inside, and an open code block (```) or code span (`)
 * is closed before the cut and reopened after it, so escaped text never leaves its code formatting.
 */
export function splitMrkdwn(text: string, max = SECTION_TEXT_MAX): string[] {
  const chunks: string[] = [];
  let lines: string[] = [];
  let size = 0;
  let inFence = false;
  const room = (): number => max - size - (lines.length > 0 ? 1 : 0) - (inFence ? FENCE.length + 1 : 0);
  const push = (line: string): void => { size += (lines.length > 0 ? 1 : 0) + line.length; lines.push(line); };
  const flush = (): void => {
    // Stryker disable next-line ConditionalExpression: `false`: flush() sees no lines, or only the reopened fence, only when max < 40 (callers split at 3,000), and empty chunks are filtered; `true` hangs (Timeout)
    if (lines.length === 0 || (inFence && lines.length === 1)) return;
    if (inFence) lines.push(FENCE);
    chunks.push(lines.join('\n'));
    lines = [];
    size = 0;
    if (inFence) push(FENCE);
  };
  for (const line of text.split('\n')) {
    if (line === FENCE) {
      // An opening fence needs room for itself, its closing fence and some content.
      if (room() < (inFence ? FENCE.length : 2 * FENCE.length + 2 + MIN_PIECE)) flush();
      push(line);
      inFence = !inFence;
      continue;
    }
    let rest = line;
    while (rest.length > room()) {
      if (room() < MIN_PIECE) { flush(); continue; }
      // Inside a line that is not in a code block, keep one character for closing a code span.
      const reserve = inFence ? 0 : 1;
      const cut = safeCut(rest, room() - reserve);
      let piece = rest.slice(0, cut);
      if (!inFence && spanOpen(piece)) {
        piece += '`';
        rest = `\`${rest.slice(cut)}`;
      } else {
        rest = rest.slice(cut);
      }
      push(piece);
      flush();
    }
    push(rest);
  }
  // Stryker disable next-line BooleanLiteral: inFence is not read after this line
  if (inFence) { push(FENCE); inFence = false; }
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the loop always ends with a push, so lines is never empty here (`false`/`<= 0` are killed by tests)
  if (lines.length > 0) chunks.push(lines.join('\n'));
  return chunks.filter((c) => c.trim() !== '');
}

/**
 * Plain text of a Chatbot title (mrkdwn) for the header: a code span becomes a quoted span whose
 * emoji shortcodes cannot render (plain_text with `emoji: true` renders our own `:fire:`), `&amp;`
 * decoded, one line. plain_text is not parsed for mentions or links, but angle brackets still
 * become ‹ › so no `<!here>`-looking text appears in the largest line of the message.
 */
export function plainTitle(title: string): string {
  const plain = title
    // A code span (hostile text) stays visibly quoted, and none of its emoji shortcodes renders.
    .replace(/`([^`]*)`/g, (_m, inner: string) => `"${neutraliseShortcodes(inner).replace(/"/g, '\\"')}"`)
    .replace(/`/g, '')
    .replace(/&lt;/g, '‹').replace(/&gt;/g, '›').replace(/[<>]/g, (c) => (c === '<' ? '‹' : '›')).replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return clip(plain === '' ? 'WMIC remote execution' : plain, HEADER_TEXT_MAX);
}

/** The Block Kit message of a rendered Chatbot notification. */
export function toBlockKit(n: ChatbotNotification): SlackMessage {
  const header = plainTitle(n.content.title);
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: header, emoji: true } }];
  for (const text of splitMrkdwn(n.content.description)) blocks.push({ type: 'section', text: mrkdwn(text) });
  const steps = n.content.nextSteps ?? [];
  if (steps.length > 0) {
    blocks.push({ type: 'divider' });
    const body = ['*Next steps:*', ...steps.map((s, i) => `${i + 1}. ${s}`)].join('\n');
    for (const text of splitMrkdwn(body)) blocks.push({ type: 'section', text: mrkdwn(text) });
  }
  const keywords = (n.content.keywords ?? []).map((k) => k.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  if (keywords.length > 0) blocks.push({ type: 'context', elements: [mrkdwn(clip(keywords.join('  ·  '), SECTION_TEXT_MAX))] });
  // The summary is already Slack-escaped by the renderer; the header is plain text and gets escaped here.
  // Stryker disable next-line StringLiteral: plainTitle turns every < and > into ‹ ›, so the header holds none to escape ('&amp;' is pinned by blocks-survivors tests)
  const fallback = n.metadata?.summary ?? header.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return { text: clip(fallback, FALLBACK_TEXT_MAX), blocks };
}

/** Characters of text in a message (fallback plus every text object). */
export function textSize(m: SlackMessage): number {
  let size = m.text.length;
  for (const b of m.blocks) {
    if (b.type === 'header' || b.type === 'section') size += b.text.text.length;
    else if (b.type === 'context') for (const e of b.elements) size += e.text.length;
  }
  return size;
}

/** True when the message is inside Slack's block count and our total text budget. */
export function fits(m: SlackMessage): boolean {
  return m.blocks.length <= BLOCKS_MAX && textSize(m) <= MESSAGE_TEXT_BUDGET;
}
