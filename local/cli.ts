/**
 * `npm run hunt -- <command>`: the local command line. A thin dispatcher; each command lives in local/cli/.
 * Each command writes to stdout only what it produces; diagnostics go to stderr.
 */
import { runExplain } from './cli/index.js';
import { runLocalHunt } from './cli/index.js';
import { RUN_USAGE, UsageError } from './cli/index.js';
import { runXqlCommand, XQL_USAGE } from './cli/index.js';

type Command = (args: readonly string[]) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  run: (args) =>
    runLocalHunt(args, {
      write: (text) => void process.stdout.write(text),
      error: (text) => void process.stderr.write(text),
      env: process.env,
      now: Date.now,
    }),
  explain: (args) =>
    runExplain(args, {
      stdin: process.stdin,
      write: (text) => void process.stdout.write(text),
      error: (text) => void process.stderr.write(text),
    }),
  xql: (args) =>
    runXqlCommand(args, {
      write: (text) => void process.stdout.write(text),
      error: (text) => void process.stderr.write(text),
      now: Date.now,
    }),
};

async function main(argv: readonly string[]): Promise<number> {
  // No command, or options only: the default command is `run`.
  const [name, ...rest] = argv;
  const [command, args] = name === undefined || name.startsWith('-') ? [COMMANDS.run, argv] : [COMMANDS[name], rest];
  if (name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${RUN_USAGE}\n\nnpm run hunt -- explain [--host NAME] [--state DIR] [ '<wmic command line>' ]   (JSONL rows on stdin without an argument; --state adds the history reasons of that state folder)\n\n${XQL_USAGE}\n`);
    return 0;
  }
  if (command === undefined) {
    process.stderr.write(`hunt: unknown command "${name}" (available: ${Object.keys(COMMANDS).join(', ')}, help)\n`);
    return 2;
  }
  try {
    return await command(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`hunt: ${err.message}\n${name === 'xql' ? XQL_USAGE : RUN_USAGE}\n`);
      return 2;
    }
    process.stderr.write(`hunt: ${describe(err)}\n`);
    return 1;
  }
}

/** Name, message and causes, without stack noise; messages of this product carry no secrets. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause === undefined ? '' : ` (cause: ${describe(err.cause)})`;
  return `${err.name}: ${err.message}${cause}`;
}

process.exitCode = await main(process.argv.slice(2));
