/**
 * The archive-password form (the last row of README.md's "Credential forms" table): 7-Zip's and
 * RAR's password switch with the password joined to it.
 */
import { SEPARATOR, skipBlanks, span, wordAt, type SecretSpan, type Word } from './secret-words.js';

/**
 * 7-Zip's and RAR's password switch with the password joined to it: `7z a -pPASS x.7z`,
 * `rar a -hp"PASS" x.rar`, `"-pPASS WORD"`, `/pPASS` (7-Zip: `-` or `/`, names not case sensitive;
 * `-p` alone asks for it; rar's `-p-` means none). Only in an archiver's arguments, to a statement
 * end: elsewhere `-pXYZ` is any switch.
 */
const ARCHIVER = /(?<![\w.-])(?:7z[arg]?|rar|unrar|winrar)(?:\.exe)?["']?(?=[ \t])/gi;
const ARCHIVER_PASSWORD = /^[-/]h?p/i;

export function archiverPasswords(text: string): SecretSpan[] {
  const out: SecretSpan[] = [];
  ARCHIVER.lastIndex = 0;
  for (let m = ARCHIVER.exec(text); m !== null; m = ARCHIVER.exec(text)) {
    let i = m.index + m[0].length;
    for (let w = wordAt(text, skipBlanks(text, i)); w !== null && !SEPARATOR.has(w.value); w = wordAt(text, skipBlanks(text, i))) {
      const found = archivePassword(text, w);
      if (found !== null) out.push(found);
      i = w.end;
      // `7z a x.7z C:\fin; Remove-Item -Path C:\fin`: the next statement is not the archiver's (a quoted word ends in a quote)
      if (text[w.end - 1] === ';') break;
    }
    ARCHIVER.lastIndex = Math.max(i, ARCHIVER.lastIndex);
  }
  return out;
}

/** The password of one archiver word `-pPASS` / `-hpPASS` / `"-pPASS"`, or the quoted word after `-p"`. */
function archivePassword(text: string, w: Word): SecretSpan | null {
  const p = ARCHIVER_PASSWORD.exec(w.value)?.[0].length ?? 0;
  const value = w.value.slice(p);
  if (p === 0 || value === '-') return null;
  const quoted = w.end - w.start !== w.value.length;
  const escaped = value === '\\';
  // `-p"PASS WORD"` (or `-p\"PASS WORD\"` in a quoted line): the quoted password starts where `-p` ends
  if ((value === '' || escaped) && text[w.end] === '"') {
    const joined = wordAt(text, escaped ? w.end - 1 : w.end)!;
    return joined.value === '' ? null : span(joined);
  }
  return value === '' ? null : { start: quoted ? w.start : w.start + p, end: w.end, value };
}
