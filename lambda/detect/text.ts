/** Small text helpers shared by the wmic, cmd.exe and PowerShell readers. All linear, no regex backtracking. */

/** Characters wmic and the Windows argv splitter treat as token separators (NBSP is not one). */
export function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\v' || ch === '\f';
}

/**
 * Small-capital and other letters that NFKC leaves alone but ArgFuscator's wmic model lists as
 * accepted look-alikes; mapped so `ᴘrocess` reads as `process`.
 */
const SMALL_CAPITALS: Readonly<Record<string, string>> = {
  '\u1D00': 'a', '\u0299': 'b', '\u1D04': 'c', '\u1D05': 'd', '\u1D07': 'e', '\uA730': 'f', '\u0262': 'g',
  '\u029C': 'h', '\u026A': 'i', '\u1D0A': 'j', '\u1D0B': 'k', '\u029F': 'l', '\u1D0D': 'm', '\u0274': 'n',
  '\u1D0F': 'o', '\u1D18': 'p', '\u0280': 'r', '\uA731': 's', '\u1D1B': 't', '\u1D1C': 'u', '\u1D20': 'v',
  '\u1D21': 'w', '\u028F': 'y', '\u1D22': 'z',
};

/**
 * Folds a keyword (switch name, alias, verb) the way wmic is believed to compare them:
 * case-insensitive, with compatibility look-alikes (fullwidth, superscript, small capitals) folded.
 * Invisible characters (ZWSP, soft hyphen) are kept, so a keyword carrying one no longer matches.
 */
export function foldKeyword(text: string): string {
  let out = '';
  for (const ch of text) out += SMALL_CAPITALS[ch] ?? ch;
  return out.normalize('NFKC').toLowerCase();
}

const NON_ASCII = /[^\x00-\x7f]/;

/** True when `text` holds a character outside ASCII (one native scan). */
export function hasNonAscii(text: string): boolean {
  return NON_ASCII.test(text);
}

/** True when `text` holds a non-ASCII character that folding changed (a look-alike). */
export function hasLookalike(text: string): boolean {
  return hasNonAscii(text) && foldKeyword(text) !== text.toLowerCase();
}

/** Lower-cases and collapses whitespace runs to one space, trimmed (for fingerprints and globs). */
export function normaliseCommand(text: string): string {
  const parts: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const space = i === text.length || isSpace(text[i]);
    if (space && start >= 0) {
      parts.push(text.slice(start, i));
      start = -1;
    } else if (!space && start < 0) start = i;
  }
  return parts.join(' ').toLowerCase();
}

/** Caps stored command text at `max` characters with a visible marker saying how much was cut. */
export function capText(text: string, max = 8192): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}…[truncated ${text.length - max} chars]`;
}

/** File name part of a Windows or POSIX path, lower-cased, quotes removed. */
export function baseName(path: string): string {
  const clean = path.replaceAll('"', '').trim();
  const cut = Math.max(clean.lastIndexOf('\\'), clean.lastIndexOf('/'));
  return clean.slice(cut + 1).toLowerCase();
}
