/**
 * The archive-password form (the last row of README.md's "Credential forms" table): 7-Zip's and
 * RAR's password switch with the password joined to it.
 */
import { eachArgument, joinedPassword, type SecretSpan } from './secret-words.js';

/**
 * 7-Zip's and RAR's password switch with the password joined to it: `7z a -pPASS x.7z`,
 * `rar a -hp"PASS" x.rar`, `"-pPASS WORD"`, `/pPASS` (7-Zip: `-` or `/`, names not case sensitive;
 * `-p` alone asks for it; rar's `-p-` means none). Only in an archiver's arguments, to a statement
 * end: elsewhere `-pXYZ` is any switch.
 */
const ARCHIVER = /(?<![\w.-])(?:7z[arg]?|rar|unrar|winrar)(?:\.exe)?["']?(?=[ \t])/gi;
const ARCHIVER_PASSWORD = /^[-/]h?p/i;
/** Every archiver name holds one of these: a text without them is skipped in one fast pass (ARCHIVER's lookbehind is tried at every position). */
const NAMES_AN_ARCHIVER = /7z|rar/i;

export function archiverPasswords(text: string): SecretSpan[] {
  const out: SecretSpan[] = [];
  // Stryker disable next-line ConditionalExpression: a shortcut: without it ARCHIVER finds nothing in such a text either
  if (!NAMES_AN_ARCHIVER.test(text)) return out;
  ARCHIVER.lastIndex = 0;
  for (let m = ARCHIVER.exec(text); m !== null; m = ARCHIVER.exec(text)) {
    // each argument whole: `-pSum"mer 20"25` is one password, `-p"PASS WORD"` too
    const end = eachArgument(text, m.index + m[0].length, (arg) => {
      const found = joinedPassword(arg, ARCHIVER_PASSWORD, '-');
      if (found !== null) out.push(found);
    });
    ARCHIVER.lastIndex = Math.max(end, ARCHIVER.lastIndex);
  }
  return out;
}
