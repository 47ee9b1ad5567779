/**
 * Where a credential sits in a command line or a script: one scanner per form (the table in
 * README.md, "Credential forms"). Each scanner walks the text once from left to right and resumes
 * after what it consumed, so the work stays linear in the text however hostile it is.
 */
import { archiverPasswords } from './secret-archive.js';
import { mysqlPasswords, type MysqlArguments } from './secret-mysql.js';
import { arrayElementAfter, hereStringAt, PROMPTS } from './secret-powershell.js';
import { isBlank, notLiteral, SEPARATOR, skipBlanks, span, wordAt, type SecretSpan, type Word } from './secret-words.js';
import { foldKeyword, hasNonAscii } from './text.js';

/**
 * `/password:x`, `-password=x`, `/pwd:`, `/pass:`, `/p:`, `--password=x`, `/rp:` (value after `:`
 * or `=`, spaces allowed around it), and the same names followed by a space and the value:
 * `psexec -p PASS`, `sqlcmd -P PASS`, `plink -pw PASS`, `schtasks /rp PASS`, `--password PASS`,
 * PowerShell's `-Password 'x'`, Start-Process's `-ArgumentList '-p','x'`. A space-separated value that is another switch, a variable or a
 * sub-expression or a path (`mkdir -p C:\x`) is not a typed secret.
 */
const SWITCH_NAMES = ['password', 'passwd', 'pwd', 'pass', 'pw', 'rp', 'p'] as const;
const SWITCH = new RegExp(String.raw`(?<![\w\\/.$-])(?:--?|\/)(?:${SWITCH_NAMES.join('|')})(?![\w-])`, 'gi');

function switchValues(text: string, mysql: MysqlArguments): SecretSpan[] {
  const out: SecretSpan[] = [];
  SWITCH.lastIndex = 0;
  for (let m = SWITCH.exec(text); m !== null; m = SWITCH.exec(text)) {
    if (mysql.ports.has(m.index)) continue; // `mysql -P 3306`: the port
    const after = m.index + m[0].length;
    let i = skipBlanks(text, after);
    const joined = text[i] === ':' || text[i] === '=';
    if (joined) i = skipBlanks(text, i + 1);
    // `-p"` or `-p` at a line end has no value, unless the switch is a quoted array element: `-ArgumentList '-p','PASS'`
    const w = joined || i > after ? wordAt(text, i) : arrayElementAfter(text, m.index, after);
    if (w !== null && (joined || !(notLiteral(w) || /^(?:[a-z]:)?\\/i.test(w.value)))) {
      out.push(span(w));
      SWITCH.lastIndex = Math.max(w.end, SWITCH.lastIndex);
    }
  }
  return out;
}

/** SWITCH's names, as foldKeyword writes a look-alike spelling of them. */
const FOLDED_SWITCH_NAMES: ReadonlySet<string> = new Set(SWITCH_NAMES);
/** A switch name with its value joined by `:` or `=`; the name holds no blank, quote, slash or separator. */
const ANY_JOINED_SWITCH = /(?<![\w\\/.$-])(?:--?|\/)([^\s:="'/\\]{1,40})[ \t]*[:=]/g;

/**
 * `/ᴘassword:x`, `/ｐｗｄ:x`: the joined switch form spelt with look-alike letters (small capitals,
 * fullwidth forms). wmic folds its switch names that way (foldKeyword), so such a line still passes
 * the password, and SWITCH, which reads ASCII names, cannot see it. Only a text holding a non-ASCII
 * character can hold one; ASCII names are left to SWITCH.
 */
function lookalikeSwitchValues(text: string): SecretSpan[] {
  const out: SecretSpan[] = [];
  // Stryker disable next-line ConditionalExpression: a shortcut: in an ASCII text every name is ASCII, and the loop skips ASCII names
  if (!hasNonAscii(text)) return out;
  ANY_JOINED_SWITCH.lastIndex = 0;
  for (let m = ANY_JOINED_SWITCH.exec(text); m !== null; m = ANY_JOINED_SWITCH.exec(text)) {
    const name = m[1]!;
    if (!hasNonAscii(name) || !FOLDED_SWITCH_NAMES.has(foldKeyword(name))) continue;
    const w = wordAt(text, skipBlanks(text, m.index + m[0].length));
    if (w === null) continue;
    out.push(span(w));
    ANY_JOINED_SWITCH.lastIndex = Math.max(w.end, ANY_JOINED_SWITCH.lastIndex);
  }
  return out;
}

/**
 * Words after `at`, skipping switches (however many, and a quoted value glued to one:
 * `/fullname:"Svc Backup"`), up to `max` words or a statement end: a separator word, or
 * an unquoted word ending in `;` (`net user backdoor /add; wmic …` has no password), or an unquoted
 * `&` or `|` inside a word (the word before it still counts, whole), or a quote glued to a word that
 * is not a switch's value (`cmd /c "net user bob /add" & …`: the quoted string ends there).
 */
function positionals(text: string, at: number, max: number): { words: Word[]; end: number } {
  const words: Word[] = [];
  let i = at;
  while (words.length < max) {
    i = skipBlanks(text, i);
    const w = wordAt(text, i);
    if (w === null || SEPARATOR.has(w.value)) break;
    // cmd runs what follows an unquoted `&` or `|` as the next command, blanks or not (`/delete&net use …`)
    const cut = w.end - w.start === w.value.length ? w.value.search(/[&|]/) : -1;
    if (cut === 0) break;
    i = w.end;
    const isSwitch = text[w.start] === '/' || text[w.start] === '-';
    if (!isSwitch) words.push(w);
    if (text[i] === '"') {
      // a quote glued to a word: the value of `/fullname:"…"`, else the end of an enclosing quoted string
      if (!isSwitch || !/[:=]\\?$/.test(w.value)) break;
      i = wordAt(text, i)!.end; // to the next quote: also the `\"` closing `/fullname:\"…\"` inside a quoted command
    }
    // Stryker disable next-line EqualityOperator: cut is never 0 here (such a word ended the loop above)
    if (cut > 0) {
      // Stryker disable next-line ArithmeticOperator: an earlier i only re-reads this statement's own words (NET.lastIndex never goes back)
      i = w.start + cut;
      break;
    }
    // a quoted word ends with its quote, or runs to the end of the text when unclosed: only an unquoted one ends in `;`
    if (text[w.end - 1] === ';') break;
  }
  return { words, end: i };
}

/**
 * `net use [device] \\host\share PASSWORD /user:dom\name` and `net user NAME PASSWORD [/add]`
 * (net.exe's documented syntax: the password is a positional word; `*` asks for it instead).
 */
const NET = /(?<![\w.-])net1?(?:\.exe)?["']?[ \t]+(user|use)(?![\w-])/gi;

function netPasswords(text: string): SecretSpan[] {
  const out: SecretSpan[] = [];
  NET.lastIndex = 0;
  for (let m = NET.exec(text); m !== null; m = NET.exec(text)) {
    const { words, end } = positionals(text, m.index + m[0].length, 8);
    const isUser = m[1]!.toLowerCase() === 'user';
    // net use: the device (`X:`, `LPT1:`, `*`) and the \\host\share come first; what follows is the password
    const secret = isUser ? words[1] : words.find((w) => !/^(?:[a-z]:|lpt\d:?|com\d:?|\*|\\\\.*)$/i.test(w.value));
    if (secret !== undefined && secret.value !== '*' && secret.value !== '') out.push(span(secret));
    NET.lastIndex = Math.max(end, NET.lastIndex);
  }
  return out;
}

/**
 * `ConvertTo-SecureString 'x' -AsPlainText -Force`, `ConvertTo-SecureString -String 'x' …`, and
 * `'x' | ConvertTo-SecureString -AsPlainText`: the plain text a PSCredential is then built from.
 */
const TO_SECURE = /convertto-securestring(?![\w-])/gi;

function secureStringValues(text: string): SecretSpan[] {
  const out: SecretSpan[] = [];
  TO_SECURE.lastIndex = 0;
  for (let m = TO_SECURE.exec(text); m !== null; m = TO_SECURE.exec(text)) {
    const before = piped(text, m.index);
    if (before !== null) out.push(before);
    let i = m.index + m[0].length;
    for (let k = 0; k < 6; k++) {
      i = skipBlanks(text, i);
      const w = wordAt(text, i);
      // `… -Force; Connect-Thing`: the statement ends at a separator
      if (w === null || w.value.startsWith(')') || SEPARATOR.has(w.value)) break;
      i = w.end;
      const name = w.value.toLowerCase();
      if (name.startsWith('-')) {
        if (name === '-key' || name === '-securekey') i = wordAt(text, skipBlanks(text, i))?.end ?? i;
        continue;
      }
      if (!notLiteral(w)) {
        // an unquoted argument closing a sub-expression: `(ConvertTo-SecureString x)`
        const quoted = w.end - w.start !== w.value.length;
        let end = w.end;
        // the word does not start with `)` (the loop ends before such a word), so this stops inside it
        if (!quoted) while (text[end - 1] === ')') end--;
        out.push({ start: w.start, end, value: quoted ? w.value : text.slice(w.start, end) });
      }
      break;
    }
    TO_SECURE.lastIndex = Math.max(i, TO_SECURE.lastIndex);
  }
  return out;
}

/** The quoted literal piped into the command at `at` (`'x' | ConvertTo-SecureString`), looking back at most 256 characters. */
function piped(text: string, at: number): SecretSpan | null {
  let i = at - 1;
  while (isBlank(text[i])) i--;
  if (text[i] !== '|') return null;
  i--;
  while (isBlank(text[i])) i--;
  const q = text[i];
  if (q !== '"' && q !== "'") return null;
  const open = text.lastIndexOf(q, i - 1);
  if (open < 0 || i - open > 256) return null;
  return { start: open, end: i + 1, value: text.slice(open + 1, i) };
}

/**
 * `Password=x` and `Pwd=x` in connection strings (to the next `;`), and PowerShell assignments
 * `$password = 'x'`, `$pass = "x"`, `$pw = …`, `$password = @'` (a here-string) `'@`.
 */
const ASSIGN = /(?<![\w\\/.-])(\$?)(password|passwd|pwd|pass|pw)[ \t]*=(?!=)/gi;
const STOPS_ASSIGNED = new Set([';', '"', "'", '\n', '\r']);

function assignedValues(text: string): SecretSpan[] {
  const out: SecretSpan[] = [];
  ASSIGN.lastIndex = 0;
  for (let m = ASSIGN.exec(text); m !== null; m = ASSIGN.exec(text)) {
    const name = m[2]!.toLowerCase();
    if (m[1] === '' && name !== 'password' && name !== 'pwd') continue;
    const i = skipBlanks(text, m.index + m[0].length);
    // `$password = @'` and its lines up to `'@`: a literal, whatever its first character
    const here = hereStringAt(text, i);
    let w: Word | null;
    if (here !== null) w = here;
    else if (text[i] === '"' || text[i] === "'") w = wordAt(text, i);
    else {
      let j = i;
      // Stryker disable next-line EqualityOperator: with `<=` the end moves one past the text (text[j] is undefined and stops nothing); slice clamps it: same value, same redacted text
      while (j < text.length && !STOPS_ASSIGNED.has(text[j]!) && !(m[1] === '$' && isBlank(text[j]))) j++;
      if (PROMPTS.has(text.slice(i, j).toLowerCase())) continue;
      // Stryker disable next-line ConditionalExpression: an empty word is dropped later either way (notLiteral, or redactSecrets' empty-span and short-value filters)
      w = j === i ? null : { start: i, end: j, value: text.slice(i, j) };
    }
    if (w === null || (here === null && m[1] === '$' && notLiteral(w))) continue;
    out.push(span(w));
    ASSIGN.lastIndex = Math.max(w.end, ASSIGN.lastIndex);
  }
  return out;
}

/** `scheme://user:password@host`: the password part of a URL's user information. */
const URL_USERINFO = /:\/\/[^\s/:@"']{1,256}:([^\s/@"']{1,256})@/g;

function urlPasswords(text: string): SecretSpan[] {
  const out: SecretSpan[] = [];
  URL_USERINFO.lastIndex = 0;
  for (let m = URL_USERINFO.exec(text); m !== null; m = URL_USERINFO.exec(text)) {
    const end = m.index + m[0].length - 1;
    out.push({ start: end - m[1]!.length, end, value: m[1]! });
  }
  return out;
}

/** Every credential form's scanner, in the README table's order; each gets the text's MySQL client arguments, read once (findSecrets). */
export const SECRET_FORMS: readonly ((text: string, mysql: MysqlArguments) => SecretSpan[])[] = [
  switchValues, lookalikeSwitchValues, netPasswords, secureStringValues, assignedValues, urlPasswords, archiverPasswords, mysqlPasswords,
];
