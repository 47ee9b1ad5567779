/**
 * MySQL's and MariaDB's command-line clients (the "mysql -p" row of README.md's "Credential forms"):
 * the password is glued to a lower-case `-p` (`mysql -u root -pS3cret crm`), and the upper-case
 * `-P` is the port, not a password. MySQL 8.4 Reference Manual, "Command Options for Connecting to
 * the Server" (https://dev.mysql.com/doc/refman/8.4/en/connection-options.html):
 * "--password[=password], -p[password] ... If you use the short option form (-p), you cannot have a
 * space between the option and the password"; "--port=port_num, -P port_num". `--password=x` is the
 * switch form of secret-forms.ts.
 */
import { eachArgument, joinedPassword, type SecretSpan } from './secret-words.js';

const CLIENT = String.raw`(?:mysql(?:dump|admin|import|show|check|pump|slap|binlog|sh)?|mariadb(?:-dump|-admin|-import|-show|-check)?)`;
/** A client name, or a path to its .exe (not the `MySQL Server 8.0` folder of `C:\Program Files\MySQL\MySQL Server 8.0\bin\mysql.exe`). */
const MYSQL = new RegExp(String.raw`(?:(?<![\w.\\-])${CLIENT}(?:\.exe)?|(?<=\\)${CLIENT}\.exe)["']?(?=[ \t])`, 'gi');
/**
 * Every client name holds one of these: a text without them is skipped in one fast pass. MYSQL's
 * lookbehinds make the engine try it at every position, and most texts name no MySQL client (it
 * was half of all credential scanning in the P1 benchmark).
 */
const NAMES_A_CLIENT = /mysql|mariadb/i;
/** Case-sensitive: `-P` is the port. */
const MYSQL_PASSWORD = /^-p/;

/** What the MySQL clients' arguments in a text hold: read once per text by findSecrets (redact.ts) and shared by two forms. */
export interface MysqlArguments {
  readonly passwords: SecretSpan[];
  /** Where each `-P` (the port switch) of a MySQL client starts: its value is a port, not a password (the switch form skips it). */
  readonly ports: ReadonlySet<number>;
}

export function mysqlArguments(text: string): MysqlArguments {
  const passwords: SecretSpan[] = [];
  const ports = new Set<number>();
  // Stryker disable next-line ConditionalExpression: a shortcut: without it MYSQL finds nothing in such a text either
  if (!NAMES_A_CLIENT.test(text)) return { passwords, ports };
  MYSQL.lastIndex = 0;
  for (let m = MYSQL.exec(text); m !== null; m = MYSQL.exec(text)) {
    const end = eachArgument(text, m.index + m[0].length, (arg) => {
      if (arg[0]!.value === '-P') ports.add(arg[0]!.start);
      const found = joinedPassword(arg, MYSQL_PASSWORD);
      if (found !== null) passwords.push(found);
    });
    MYSQL.lastIndex = Math.max(end, MYSQL.lastIndex);
  }
  return { passwords, ports };
}

/** The MySQL form's scanner: the passwords of the arguments already read. */
export const mysqlPasswords = (_text: string, mysql: MysqlArguments): SecretSpan[] => mysql.passwords;
