/**
 * The local command line's dispatcher, with its streams injected so tests drive it exactly as a
 * user does (stdout, stderr, exit code). local/cli.ts wires the real process to it.
 */
import type { Readable } from 'node:stream';
import { runExplain, EXPLAIN_USAGE } from './explain.js';
import { runLocalHunt } from './run.js';
import { RUN_USAGE, UsageError } from './run-options.js';
import { runXqlCommand, XQL_USAGE } from './xql.js';
import { BACKFILL_USAGE, runBackfillCommand } from './backfill.js';
import { errorDocument } from './run-json.js';
import { describeError, errorLine, RunRefusedError } from './errors.js';
import { terminalJson, terminalText, writesJson } from './terminal-safe.js';
import { runValidateCommand, VALIDATE_USAGE } from './validate.js';
import { HUNTS_USAGE, runHuntsCommand } from './hunts-list.js';

export interface MainIo {
  readonly stdin: Readable;
  readonly write: (text: string) => void;
  readonly error: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => number;
}

type Command = (args: readonly string[], io: MainIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  run: (args, io) => runLocalHunt(args, io),
  explain: (args, io) => runExplain(args, io),
  xql: (args, io) => runXqlCommand(args, io),
  backfill: (args, io) => runBackfillCommand(args, io),
  validate: (args, io) => runValidateCommand(args, io),
  hunts: (args, io) => runHuntsCommand(args, io),
};

const USAGE: Readonly<Record<string, string>> = {
  run: RUN_USAGE, explain: EXPLAIN_USAGE, xql: XQL_USAGE, backfill: BACKFILL_USAGE, validate: VALIDATE_USAGE, hunts: HUNTS_USAGE,
};

export async function main(argv: readonly string[], rawIo: MainIo): Promise<number> {
  // No command, or options only: the default command is `run`.
  const [first, ...rest] = argv;
  const json = writesJson(first === undefined || first.startsWith('-') ? 'run' : first, first === undefined || first.startsWith('-') ? argv : rest);
  // Every byte printed is made safe for a terminal here, once (terminal-safe.ts).
  const io: MainIo = {
    ...rawIo,
    write: (text) => rawIo.write(json ? terminalJson(text) : terminalText(text)),
    error: (text) => rawIo.error(terminalText(text)),
  };
  if (first === 'help' || first === '--help' || first === '-h') {
    io.write(`${RUN_USAGE}\n\n${BACKFILL_USAGE}\n\n${EXPLAIN_USAGE}\n\n${XQL_USAGE}\n\n${VALIDATE_USAGE}\n\n${HUNTS_USAGE}\n`);
    return 0;
  }
  const name = first === undefined || first.startsWith('-') ? 'run' : first;
  const args = name === first ? rest : argv;
  const command = COMMANDS[name];
  if (command === undefined) {
    io.error(`hunt: unknown command "${name.slice(0, 40)}" (available: ${Object.keys(COMMANDS).join(', ')}, help)\n`);
    return 2;
  }
  // `<command> --help` prints that command's usage, whatever else is on the line.
  if (args.includes('--help') || args.includes('-h')) {
    io.write(`${USAGE[name] ?? RUN_USAGE}\n`);
    return 0;
  }
  try {
    return await command(args, io);
  } catch (err) {
    const code = err instanceof UsageError || err instanceof RunRefusedError ? 2 : 1;
    if ((name === 'run' || name === 'backfill') && json) io.write(`${JSON.stringify(errorDocument(describeError(err), null, null, null), null, 2)}\n`);
    if (err instanceof UsageError) io.error(`hunt: ${err.message}\n${USAGE[name] ?? RUN_USAGE}\n`);
    else if (err instanceof RunRefusedError) io.error(`hunt: ${err.message}\n`);
    else io.error(`hunt: ${errorLine(err)}\n`);
    return code;
  }
}
