/**
 * Backticks in Slack. A code block keeps them (only a run of three, which would end the block, is
 * replaced); an inline code span cannot hold one, so a marked stand-in takes its place and the
 * message says what it stands for. PowerShell's escape character is the backtick: Slack must show
 * the command that ran, not one with `'` in its place.
 */

/** What stands for a backtick inside a Slack code span (MODIFIER LETTER GRAVE ACCENT, U+02CB). */
export const BACKTICK_STAND_IN = '\u02CB';

/** The line a Slack text carries when a stand-in appears in it. */
export const BACKTICK_NOTE = `_${BACKTICK_STAND_IN} in a code span stands for a backtick in the original text._`;

/** A stand-in already in hostile text is shown as its code point, so the stand-in only ever means a backtick. */
const rawStandIn = (text: string): string => text.replace(/\u02CB/g, '[U+02CB]');

/** Text for an inline Slack code span (before Slack escaping): every backtick as the stand-in. */
export function slackSpanText(text: string): string {
  return rawStandIn(text).replace(/`/g, BACKTICK_STAND_IN);
}

/** Text for a Slack code block (before Slack escaping): backticks kept, a run of three or more as stand-ins. */
export function slackBlockText(text: string): string {
  return rawStandIn(text).replace(/`{3,}/g, (run) => BACKTICK_STAND_IN.repeat(run.length));
}

/** Appends BACKTICK_NOTE when the text uses the stand-in. */
export function withBacktickNote(text: string): string {
  return text.includes(BACKTICK_STAND_IN) ? `${text}\n${BACKTICK_NOTE}` : text;
}
